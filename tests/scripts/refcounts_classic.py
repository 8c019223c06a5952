import sys
import gc
def g(a, b):
    c = [a, b]
    print(sys.getrefcount(a), sys.getrefcount(c))
    return c
x = [1]
y = g(x, x)
print(sys.getrefcount(x), sys.getrefcount(y))
s = 'hello world'
t = 'hello world'
print(sys.getrefcount(s), s is t)
n = 123456
m = n + 1
print(sys.getrefcount(n), sys.getrefcount(m))
z = (1, 2, 3)
print(sys.getrefcount(z))
w = [z, z]
print(sys.getrefcount(z))
del w
print(sys.getrefcount(z))
f = 2.5
print(sys.getrefcount(f))
k = 'key_not_a_builtin_name'
d = {k: 1}
print(sys.getrefcount(d), sys.getrefcount(k))
for i in range(3):
    print(sys.getrefcount(d))
for key in d:
    print(sys.getrefcount(d), sys.getrefcount(key))
print(gc.is_tracked([]), gc.is_tracked(()), gc.is_tracked((1, 2)), gc.is_tracked(([],)), gc.is_tracked({}), gc.is_tracked({'a': 1}), gc.is_tracked({'a': []}))
a = []
a.append(a)
del a
print(gc.collect())
p = []; q = [p]; p.append(q)
del p, q
print(gc.collect())
e = {}
e['self'] = e
del e
print(gc.collect())
