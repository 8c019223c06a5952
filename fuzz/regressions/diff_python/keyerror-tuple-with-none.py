d = (1, None, -7)
b = {}
del b[d]
