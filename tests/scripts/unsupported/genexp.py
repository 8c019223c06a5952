# expect: generator expression
# at: 3:4
sum(x for x in [1, 2])
