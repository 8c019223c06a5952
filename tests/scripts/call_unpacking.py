# Calls with *seq and **mapping (CALL_FUNCTION_EX): results, argument errors, what the
# argument tuple and keyword dict hold and allocate.
import sys, gc
def f(*a, **k):
    return a, k
def g(a, b=2, *, c=3):
    return a, b, c
try:
    print('f(*1)', f(*1))
except TypeError as e:
    print('f(*1)', 'TypeError', e)
try:
    print('f(**1)', f(**1))
except TypeError as e:
    print('f(**1)', 'TypeError', e)
try:
    print('f(**{1: 2})', f(**{1: 2}))
except TypeError as e:
    print('f(**{1: 2})', 'TypeError', e)
try:
    print("f(a=1, **{'a': 2})", f(a=1, **{'a': 2}))
except TypeError as e:
    print("f(a=1, **{'a': 2})", 'TypeError', e)
try:
    print('print(*5)', print(*5))
except TypeError as e:
    print('print(*5)', 'TypeError', e)
try:
    print("len(**{'x': 1})", len(**{'x': 1}))
except TypeError as e:
    print("len(**{'x': 1})", 'TypeError', e)
try:
    print("f(*[1], *(2, 3), 4, *'ab')", f(*[1], *(2, 3), 4, *'ab'))
except TypeError as e:
    print("f(*[1], *(2, 3), 4, *'ab')", 'TypeError', e)
try:
    print("f(1, *[2], x=3, **{'y': 4}, z=5)", f(1, *[2], x=3, **{'y': 4}, z=5))
except TypeError as e:
    print("f(1, *[2], x=3, **{'y': 4}, z=5)", 'TypeError', e)
try:
    print("print(*[1, 2], sep='-')", print(*[1, 2], sep='-'))
except TypeError as e:
    print("print(*[1, 2], sep='-')", 'TypeError', e)
try:
    print("f(**{'a': 1}, **{'a': 2})", f(**{'a': 1}, **{'a': 2}))
except TypeError as e:
    print("f(**{'a': 1}, **{'a': 2})", 'TypeError', e)
try:
    print("sorted(*[[3, 1]], **{'reverse': True})", sorted(*[[3, 1]], **{'reverse': True}))
except TypeError as e:
    print("sorted(*[[3, 1]], **{'reverse': True})", 'TypeError', e)
try:
    print("f(*{'k': 1})", f(*{'k': 1}))
except TypeError as e:
    print("f(*{'k': 1})", 'TypeError', e)
try:
    print('f(*range(3), **{})', f(*range(3), **{}))
except TypeError as e:
    print('f(*range(3), **{})', 'TypeError', e)
try:
    print('[].append(*[1])', [].append(*[1]))
except TypeError as e:
    print('[].append(*[1])', 'TypeError', e)
try:
    print("'-'.join(*[['a', 'b']])", '-'.join(*[['a', 'b']]))
except TypeError as e:
    print("'-'.join(*[['a', 'b']])", 'TypeError', e)
try:
    print("g(*[1, 2], **{'c': 3})", g(*[1, 2], **{'c': 3}))
except TypeError as e:
    print("g(*[1, 2], **{'c': 3})", 'TypeError', e)
try:
    print("g(1, **{'b': 2})", g(1, **{'b': 2}))
except TypeError as e:
    print("g(1, **{'b': 2})", 'TypeError', e)
try:
    print('g(*(1,), c=5)', g(*(1,), c=5))
except TypeError as e:
    print('g(*(1,), c=5)', 'TypeError', e)
try:
    print("g(**{'a': 1, 'b': 2, 'z': 3})", g(**{'a': 1, 'b': 2, 'z': 3}))
except TypeError as e:
    print("g(**{'a': 1, 'b': 2, 'z': 3})", 'TypeError', e)
try:
    print('sys.getsizeof(*[[1, 2, 3]])', sys.getsizeof(*[[1, 2, 3]]))
except TypeError as e:
    print('sys.getsizeof(*[[1, 2, 3]])', 'TypeError', e)
try:
    print('max(*[3, 9, 2])', max(*[3, 9, 2]))
except TypeError as e:
    print('max(*[3, 9, 2])', 'TypeError', e)
try:
    print("int(*['12'], **{'base': 8})", int(*['12'], **{'base': 8}))
except TypeError as e:
    print("int(*['12'], **{'base': 8})", 'TypeError', e)
try:
    print("ValueError(*'ab')", ValueError(*'ab'))
except TypeError as e:
    print("ValueError(*'ab')", 'TypeError', e)
t = (1, 2)
l = [1, 2]
d = {'a': 1}
print(sys.getrefcount(t), sys.getrefcount(l), sys.getrefcount(d))
def h(*a, **k):
    return sys.getrefcount(t), sys.getrefcount(l), sys.getrefcount(d), a is t, len(k)
print(h(*t, **d), h(*l), h(*t), h(**d))
c0 = gc.get_count()[0]
h(*t)
c1 = gc.get_count()[0]
h(*l)
c2 = gc.get_count()[0]
h(*l, **d)
c3 = gc.get_count()[0]
h(1, *l, x=2, **d)
c4 = gc.get_count()[0]
print(c1 - c0, c2 - c1, c3 - c2, c4 - c3)
for args in [(1, 2), 2]:
    try:
        print(f(1, *args), f(*[1], *args))
    except TypeError as e:
        print('TypeError', e)
try:
    f(*2, **3)
except TypeError as e:
    print('TypeError', e)
print('%s %s' % (str, int), '%r' % ((int, float),))
