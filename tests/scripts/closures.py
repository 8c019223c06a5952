# Closures: cells for the locals inner functions and comprehensions read (made at frame
# entry, counted in generation 0), free variables, nonlocal, lambda, late binding.
import gc, sys
def make_counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc
c = make_counter()
print(c(), c(), c())
def adder(i):
    return lambda x: x + i
add3 = adder(3)
print(add3(10), (lambda a, b=2, *r, k=1, **kw: (a, b, r, k, kw))(1, 5, 6, k=7, z=8))
print(sorted(['bb', 'a', 'ccc'], key=lambda s: -len(s)), (lambda: 1)(), (lambda: 1).__name__)
def later():
    i = 0
    f = lambda: i
    i = 5
    return f()
print(later())
def outer(a):
    b = [a]
    def mid():
        def inner():
            return a, b
        return inner
    return mid()
t = outer(5)()
print(t, sys.getrefcount(t[1]))
def g(x):
    return [x * i for i in range(3)]
print(g(2))
def h(x):
    y = 5
    return gc.get_count()[0], [x + y for i in range(1)]
a0 = gc.get_count()[0]
k = h(1)[0]
print(k - a0)
def unbound():
    def r():
        return z
    try:
        r()
    except NameError as e:
        print(e)
    z = 1
unbound()
def shadow():
    v = 1
    def s():
        v = 2
        return v
    return s(), v
print(shadow())
big = [1, 2, 3]
def keep(l):
    def get():
        return l
    return get
kg = keep(big)
print(sys.getrefcount(big), kg() is big)
del kg
print(sys.getrefcount(big))
def f(x):
    return gc.get_count()[0]
def g(x):
    return gc.get_count()[0], [x for i in range(1)]
def h(x):
    y = 5
    return gc.get_count()[0], [x + y for i in range(1)]
a = gc.get_count()[0]
b = f(1)
c = gc.get_count()[0]
d = g(1)[0]
e = gc.get_count()[0]
k = h(1)[0]
print(b - a, d - c, k - e)
def outer():
    def inner(a):
        return a
    return inner
i = outer()
print(i.__name__, i.__qualname__, repr(i)[:31], (lambda: 0).__qualname__)
def mk():
    return [lambda: 0 for _ in range(1)][0] if False else (lambda q: q)
try:
    mk()()
except TypeError as e:
    print(e)
try:
    i()
except TypeError as e:
    print(e)
try:
    i(*5)
except TypeError as e:
    print(e)
def f():
    global g
    def g():
        pass
    return 1
l = f()
print(g.__qualname__, [x.__qualname__ for x in [1]] if False else 0)
def outer():
    return [(lambda i: i)() for _ in range(1)]
try:
    outer()
except TypeError as e:
    print(e)
