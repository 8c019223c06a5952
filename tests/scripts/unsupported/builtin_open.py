# expect: the builtin open
# at: 3:
print(open("x"))
