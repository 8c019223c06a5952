# sys.getrefcount of an iterator object (a generator, a map, a list iterator): its names, the
# loops and yield froms advancing it, the iterators made of it, the argument.
import sys
def gen():
    yield sys.getrefcount(g)
    yield sys.getrefcount(g)
g = gen()
print(sys.getrefcount(g))
print(next(g))
for x in g:
    print('loop', x, sys.getrefcount(g))
it = iter([1, 2, 3])
print(sys.getrefcount(it))
m = map(str, it)
print(sys.getrefcount(it), sys.getrefcount(m))
z = zip(it, it)
print(sys.getrefcount(it))
del z
print(sys.getrefcount(it))
def outer():
    yield from inner
def inner_gen():
    yield sys.getrefcount(inner)
inner = inner_gen()
o = outer()
print(next(o), sys.getrefcount(inner), sys.getrefcount(o))
h = (x for x in range(3))
print(sys.getrefcount(h), list(map(lambda v: sys.getrefcount(h), h)))
e = enumerate(h)
print(sys.getrefcount(h), sys.getrefcount(e))
r = reversed([1, 2])
print(sys.getrefcount(r))
k = iter({'a': 1}.items())
print(sys.getrefcount(k))
def consume(x):
    return sys.getrefcount(x)
print(consume(iter('ab')), consume(g))
