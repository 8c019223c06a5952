import sys
x = 1000
print(sys.getrefcount(x))
a = []
b = a
print(sys.getrefcount(a))
def f(p):
    print(sys.getrefcount(p))
f(a)
for i in [a]:
    print(sys.getrefcount(a))
l = [1, 2, 3]
print(sys.getsizeof(l), sys.getsizeof([x, x, x]), sys.getsizeof(list(range(3))), sys.getsizeof([0]*3), sys.getsizeof([i for i in range(3)]))
for i in range(10):
    l.append(i)
    print(len(l), sys.getsizeof(l))
d = {'a': 1, 'b': 2.5, 'c': 'x'}
print(d, sys.getsizeof(d))
del d['a']
d['z'] = None
print(d, list(d), list(d.items()))
s = 'héllo 中 😀'
print(s, len(s), sys.getsizeof(s), sys.getsizeof('abc'), sys.getsizeof('é'), sys.getsizeof('中'), sys.getsizeof('😀'))
print(0.1 + 0.2, 1e16, 1e-7, 7 // -2, -7 % 3, 2 ** 100, 10 / 4, float('inf'), -0.0)
print(hash('abc'), hash(1.5), hash((1, 2)), hash(-1))
print(sorted([3, 1, 2]), min(3, 1), max([1, 5]), sum([1, 2.5]))
t = (1, 'a', [2])
print(t, t[1:], type(t).__name__, isinstance(t, tuple))
print('a,b,,c'.split(','), ' x y '.split(), '-'.join(['a', 'b']))
a2 = []
a2.append(a2)
print(a2)
print({k: v for k, v in zip('abc', range(3))})
