# expect: attribute assignment
# at: 3:1
x.y = 1
