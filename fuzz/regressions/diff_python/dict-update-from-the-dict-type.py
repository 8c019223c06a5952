x = {}
print(x.update(dict))
