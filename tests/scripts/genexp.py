# Generator expressions: lazy (nothing runs until next), their frame keeping the function,
# the iterator and the locals until exhausted; consumed by sum, any, all, join, zip ...
import gc, sys
g = (x * 2 for x in [1, 2, 3])
print(type(g).__name__, gc.is_tracked(g), next(g), list(g), list(g))
print(sum(x * x for x in range(4)), list(x for x in 'ab' if x > 'a'), any(print(x) or x > 1 for x in [1, 2, 3]))
print(''.join(str(i) for i in range(5)), max(len(w) for w in ['a', 'bbb', 'cc']), sorted((-x for x in [3, 1, 2])))
print(list((x, y) for x in range(3) for y in 'ab' if x != 1), dict((k, len(k)) for k in ['a', 'bb']))
def f(n):
    return (i * n for i in range(3))
print(list(f(10)), tuple(f(2)))
g2 = (1 / x for x in [1, 0])
print(next(g2))
try:
    next(g2)
except ZeroDivisionError as e:
    print('raised', e)
print(next(g2, 'done'))
c0 = gc.get_count()[0]
g3 = (x for x in [1])
c1 = gc.get_count()[0]
print(c1 - c0)
big = [1, 2]
g4 = (x for x in big)
print(sys.getrefcount(big))
print(next(g4), sys.getrefcount(big))
del g4
print(sys.getrefcount(big))
lazy = []
def note(v):
    lazy.append(v)
    return v
g5 = (note(v) for v in range(3))
print(lazy, next(g5), lazy, list(zip(g5, 'xy')))
print(all(x < 2 for x in [0, 1, 2, 3]), min((x for x in []), default=-1))
def f():
    return (x for x in [1])
print(repr(f())[:42], repr((y for y in 'a'))[:28])
