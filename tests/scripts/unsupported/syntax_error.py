# expect: SyntaxError
# at: 3:
x = (1,
