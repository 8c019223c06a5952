def f(a, b, c, d):
    return a
f(c=1)
