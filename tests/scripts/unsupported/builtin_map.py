# expect: the builtin map
# at: 3:
print(list(map(str, [1, 2])))
