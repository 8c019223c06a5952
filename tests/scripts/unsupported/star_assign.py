# expect: star expression
# at: 3:4
a, *b = [1, 2, 3]
