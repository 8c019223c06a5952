# Starred assignment (UNPACK_EX): the rest is a new list made as PySequence_List makes it,
# the items after the star moved off its end without a resize.
import sys, gc
a, *b = [1, 2, 3]
print(a, b, sys.getsizeof(b))
*c, d = (1, 2, 3, 4, 5)
print(c, d, sys.getsizeof(c))
e, *f, g = 'hello'
print(e, f, g, sys.getsizeof(f))
h, *i = range(10)
print(h, i, sys.getsizeof(i))
j, *k, l = {'x': 1, 'y': 2}
print(j, k, l, sys.getsizeof(k))
for m, *n in [(1, 2, 3), (4,), [5, 6]]:
    print(m, n, sys.getsizeof(n))
[o, *p] = iter([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
print(o, p, sys.getsizeof(p))
for src in ([1], (), 'ab', 5):
    try:
        q, *r, s = src
        print(q, r, s)
    except (ValueError, TypeError) as err:
        print(type(err).__name__, err)
c0 = gc.get_count()[0]
t, *u = [1, 2, 3]
c1 = gc.get_count()[0]
print(c1 - c0, sys.getrefcount(u))
def fn(x):
    first, *rest = x
    return rest
print(fn([1, 2, 3]), [w for v, *w in [(1, 2), (3, 4, 5)]])
