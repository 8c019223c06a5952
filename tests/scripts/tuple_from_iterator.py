# tuple(iterable) and f(*iterable) as PySequence_Tuple builds them: the tuple first, at the
# iterable's length hint (10 without one), resized as it fills (n + 10, plus a quarter) and cut
# to its length at the end; when the iterator fails, the unfinished tuple goes to the free
# list of its length, still counted; a tuple being filled is never untracked by a collection.
import gc, sys
print(gc.get_count())
def boom(n):
    for i in range(n):
        yield (i, i)
    raise ValueError('boom')
for k in [0, 3, 12]:
    try:
        tuple(boom(k))
    except ValueError as e:
        print('tuple failed', gc.get_count())
t = tuple(x for x in range(25))
print(len(t), sys.getsizeof(t), gc.get_count())
u = tuple(str(i) for i in range(3))
print(u, sys.getsizeof(u), gc.get_count())
v = tuple('abc')
print(v, sys.getsizeof(v), gc.get_count())
w = tuple({1: 2, 3: 4})
print(w, tuple(range(4)), tuple(iter([1, 2])), gc.get_count())
def f(*a):
    return len(a)
print(f(*(i for i in range(30))), f(*'xy'), f(*{1: 2}), gc.get_count())
a = [str(i) for i in range(5)]
b = tuple(s for s in a)
c = [id(x) for x in b] == [id(x) for x in a]
print(c, id(tuple(i for i in range(3))) == id(tuple(i for i in range(3))))
gc.set_threshold(3, 1, 1)
z = tuple((i,) for i in range(30))
print(gc.get_count(), len(z), gc.is_tracked(z))
gc.collect()
print(gc.is_tracked(z), gc.is_tracked(tuple(i for i in range(3))))
gc.set_threshold(700, 10, 10)
