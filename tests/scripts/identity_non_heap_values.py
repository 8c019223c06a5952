# `is`, `id()` and `==` on values pylayout does not build in memory: ranges, iterators,
# views, builtins, types, modules, functions, bound methods, tuples of types. Every value
# stays alive to the end, so no two may share an id.
import sys
import gc


def f(x):
    return x


def g(x):
    return x


def show(v, w):
    print(type(v).__name__, v is v, v is w, w is not v, id(v) == id(v), id(v) == id(w), v == w)


l = [1, 2]
t = (1, 2)
d = {'a': 1}
s = 'ab'
ids = {}
v0 = range(3)
show(v0, v0)
ids[id(v0)] = 'range(3)'
v1 = range(0, 10, 2)
show(v1, v1)
ids[id(v1)] = 'range(0, 10, 2)'
v2 = iter(l)
show(v2, v2)
ids[id(v2)] = 'iter(l)'
v3 = iter(t)
show(v3, v3)
ids[id(v3)] = 'iter(t)'
v4 = iter(s)
show(v4, v4)
ids[id(v4)] = 'iter(s)'
v5 = iter(d)
show(v5, v5)
ids[id(v5)] = 'iter(d)'
v6 = iter(d.values())
show(v6, v6)
ids[id(v6)] = 'iter(d.values())'
v7 = iter(d.items())
show(v7, v7)
ids[id(v7)] = 'iter(d.items())'
v8 = iter(range(2))
show(v8, v8)
ids[id(v8)] = 'iter(range(2))'
v9 = enumerate(l)
show(v9, v9)
ids[id(v9)] = 'enumerate(l)'
v10 = zip(l, t)
show(v10, v10)
ids[id(v10)] = 'zip(l, t)'
v11 = reversed(l)
show(v11, v11)
ids[id(v11)] = 'reversed(l)'
v12 = d.keys()
show(v12, v12)
ids[id(v12)] = 'd.keys()'
v13 = d.values()
show(v13, v13)
ids[id(v13)] = 'd.values()'
v14 = d.items()
show(v14, v14)
ids[id(v14)] = 'd.items()'
v15 = len
show(v15, v15)
ids[id(v15)] = 'len'
v16 = print
show(v16, v16)
ids[id(v16)] = 'print'
v17 = sys.getsizeof
show(v17, v17)
ids[id(v17)] = 'sys.getsizeof'
v18 = gc.collect
show(v18, v18)
ids[id(v18)] = 'gc.collect'
v19 = int
show(v19, v19)
ids[id(v19)] = 'int'
v20 = str
show(v20, v20)
ids[id(v20)] = 'str'
v21 = range
show(v21, v21)
ids[id(v21)] = 'range'
v22 = type
show(v22, v22)
ids[id(v22)] = 'type'
v23 = sys
show(v23, v23)
ids[id(v23)] = 'sys'
v24 = gc
show(v24, v24)
ids[id(v24)] = 'gc'
v25 = f
show(v25, v25)
ids[id(v25)] = 'f'
v26 = g
show(v26, v26)
ids[id(v26)] = 'g'
v27 = l.append
show(v27, v27)
ids[id(v27)] = 'l.append'
v28 = d.get
show(v28, v28)
ids[id(v28)] = 'd.get'
v29 = s.upper
show(v29, v29)
ids[id(v29)] = 's.upper'
v30 = (int, float)
show(v30, v30)
ids[id(v30)] = '(int, float)'
v31 = (str,)
show(v31, v31)
ids[id(v31)] = '(str,)'
print('distinct ids:', len(ids), 'of', 32)
print(range(3) is range(3), range(3) == range(3))
print(l.append is l.append)
print(type(len) is type(l.append), type(len) == type(d.get), isinstance(l.append, type(len)))
print(len is len, int is int, sys is sys, type(3) is int, type(range(1)) is range)
x = range(5)
y = x
print(x is y, id(x) == id(y), x is range(5))
it = iter(l)
print(it is iter(it), next(it), it is it)
gc.disable()
a = gc.get_count()[0]
m = l.append
b = gc.get_count()[0]
m(3)
c = gc.get_count()[0]
del m
e = gc.get_count()[0]
print('a bound method is a GC object:', b - a, c - b, e - c, l)
