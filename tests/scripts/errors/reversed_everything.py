# reversed() of every sequence and dict view: the type CPython makes (list_reverseiterator,
# reversed, dict_reverse*iterator, range_iterator), order, recycled item tuples, and the
# sequence let go when the iterator is exhausted (issue 17).
import sys, gc
d = {'a': 1, 'b': 2, 'c': 3}
del d['b']
print(list(reversed(d)), list(reversed(d.keys())), list(reversed(d.values())), list(reversed(d.items())))
print(list(reversed((1, 2, 3))), list(reversed('héllo')), list(reversed('')), tuple(reversed(())), ''.join(reversed('abc')))
x = reversed((1,)); print(type(x).__name__, gc.is_tracked(x))
x = reversed('ab'); print(type(x).__name__, gc.is_tracked(x))
x = reversed([1]); print(type(x).__name__, gc.is_tracked(x))
x = reversed({}); print(type(x).__name__, gc.is_tracked(x))
x = reversed({}.values()); print(type(x).__name__, gc.is_tracked(x))
x = reversed({}.items()); print(type(x).__name__, gc.is_tracked(x))
x = reversed(range(3)); print(type(x).__name__, gc.is_tracked(x))
t = (1, 2, 3000)
it = reversed(t); print(sys.getrefcount(t)); print(list(it)); print(sys.getrefcount(t))
l = [1, 2]
it = iter(l); print(sys.getrefcount(l)); list(it); print(sys.getrefcount(l))
r = reversed(l); print(sys.getrefcount(l)); list(r); print(sys.getrefcount(l))
it = iter(d); print(sys.getrefcount(d)); list(it); print(sys.getrefcount(d))
s = 'xyz'
it = reversed(s); print(next(it), sys.getrefcount(s)); list(it); print(sys.getrefcount(s))
items = reversed({1: 2, 3: 4}.items()); a = next(items); b = next(items); print(a, b, a is b)
items = reversed({1: 2, 3: 4}.items()); a = next(items); print(a); a = None; b = next(items); print(b)
r = reversed(d)
next(r)
d["z"] = 0
print(next(r))
