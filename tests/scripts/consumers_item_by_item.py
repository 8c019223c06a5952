# Builtins that consume an iterator take one item at a time, as CPython's do: min and max
# let each item that is not the best go at once (a generator of 1,000 tuples never holds
# more than two); list(x) makes its list first (PyType_GenericAlloc) and, when the iterator
# fails, that list goes to the free list still counted; list.extend and sorted grow the list
# between items.
import gc
print(gc.get_count())
x = max((i, -i) for i in range(1000))
print(gc.get_count(), x)
y = min(((i % 7, i) for i in range(1000)), key=lambda t: t[0])
print(gc.get_count(), y)
def boom(n):
    for i in range(n):
        yield (i, i)
    raise ValueError('boom')
for k in range(3):
    try:
        list(boom(k))
    except ValueError as e:
        print('list failed', gc.get_count())
l = []
try:
    l.extend(boom(5))
except ValueError as e:
    print('extend failed', len(l), gc.get_count())
try:
    sorted(boom(4))
except ValueError as e:
    print('sorted failed', gc.get_count())
try:
    list(map(int, ['1', '2', 'x']))
except ValueError as e:
    print('map failed', gc.get_count())
gc.set_threshold(5, 1, 1)
print(len(list((i,) for i in range(40))), gc.get_count())
print(len(sorted([(i,) for i in range(30)] + [(0,)])), gc.get_count())
print(max([i] for i in range(50)), gc.get_count())
gc.set_threshold(700, 10, 10)
print("slices", gc.get_count())
l = [0] * 5
l[1:3] = (str(i) for i in range(4))
print(l, gc.get_count())
l[::2] = map(str, 'abcd')
print(l, gc.get_count())
d = dict.fromkeys((i, i) for i in range(50))
print(len(d), gc.get_count())
def boom():
    yield 1
    raise ValueError
try:
    l[0:1] = boom()
except ValueError:
    print('slice failed', gc.get_count(), l)
try:
    dict.fromkeys(boom())
except ValueError:
    print('fromkeys failed', gc.get_count())
print("join", gc.get_count())
s = '-'.join(str(i) for i in range(5))
print(s, gc.get_count())
def boom():
    yield 'a'
    raise ValueError
try:
    ','.join(boom())
except ValueError:
    print('join failed', gc.get_count())
x = ''.join(c for c in 'abc')
print(x, gc.get_count())
