# expect: set display
# at: 3:5
s = {1, 2}
