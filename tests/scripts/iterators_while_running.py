# An iterator object stays an object while it runs: the function a map or filter calls, or a
# generator's own body, can look at it (its type, repr); advancing a running generator again
# is "generator already executing".
m = map(lambda x: type(m).__name__ + str(x), [1, 2])
print(list(m))
f = filter(lambda x: repr(f)[:8] == '<filter ', [1, 0])
print(list(f))
def gen():
    yield type(g).__name__
    yield repr(g)[:20]
    msg = ''
    try:
        next(g)
    except ValueError as e:
        msg = str(e)
    yield msg
g = gen()
print(list(g))
h = (type(h).__name__ for x in [1])
print(next(h))
e = enumerate(map(lambda x: type(e).__name__, 'ab'))
print(list(e))
