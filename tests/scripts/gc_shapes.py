# Cycles of every shape, found by gc.collect(); the count is what CPython returns.
import gc
gc.collect()
a = []
a.append(a)
del a
print('self-list', gc.collect())
a = []; b = [a]; a.append(b)
del a, b
print('two lists', gc.collect())
d = {}
d['me'] = d
del d
print('self-dict', gc.collect())
l = [1, 2]
d = {'l': l}
l.append(d)
del l, d
print('list-dict', gc.collect())
t = ([], 'x')
t[0].append(t)
del t
print('tuple through list', gc.collect())
ring = [[] for i in range(10)]
for i in range(10):
    ring[i].append(ring[(i + 1) % 10])
del ring
print('ring of 10', gc.collect())
keep = []
keep.append(keep)
print('reachable cycle stays', gc.collect(), len(keep))
print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked({'a': 1}), gc.is_tracked({'a': []}))
print(gc.is_tracked(()), gc.is_tracked((1, 2)), gc.is_tracked(([],)), gc.is_tracked(1), gc.is_tracked('s'))
x = (1, 'a', 2.5)
y = ([1], 2)
gc.collect()
print('tuples of atoms untracked by a collection:', gc.is_tracked(x), gc.is_tracked(y))
