# expect: with statement
# at: 3:1
with x:
    pass
