# expect: invalid decimal literal
# at: 3:5
x = 1_000_
print(x)
