# expect: raise statement
# at: 3:1
raise ValueError
