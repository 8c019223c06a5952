# Parameters as CPython binds them: defaults (one tuple, evaluated once: the mutable-default
# lesson), keyword-only parameters, *args, **kwargs, positional-only ones, and every
# argument error's wording.
import sys, gc
def append_to(x, l=[]):
    l.append(x)
    return l
print(append_to(1), append_to(2), append_to.__defaults__)
print(sys.getrefcount(append_to.__defaults__[0]))
def f(a, b=2, *args, c, d=4, **kw):
    return a, b, args, c, d, kw
print(f(1, c=3))
print(f(1, 5, 6, 7, c=3, e=9, d=8))
print(f.__kwdefaults__, f.__defaults__)
def g(a, /, b, *, c=1):
    return a, b, c
print(g(1, 2), g(1, b=3, c=4))
for call in ["f()", "f(1)", "f(1, 2, 3)", "g(a=1, b=2)", "g(1, 2, 3)", "g(1)", "g(1, 2, d=5)", "g(1, b=2, b=3)", "f(1, a=2, c=3)"]:
    pass
def h(x, y=1):
    return x + y
try:
    h(1, 2, 3)
except TypeError as e:
    print(e)
try:
    h()
except TypeError as e:
    print(e)
try:
    h(1, z=2)
except TypeError as e:
    print(e)
try:
    h(1, x=2)
except TypeError as e:
    print(e)
try:
    g(a=1, b=2)
except TypeError as e:
    print(e)
try:
    g(1, 2, 3)
except TypeError as e:
    print(e)
try:
    g(1, 2, 3, c=5)
except TypeError as e:
    print(e)
def k(*, a, b):
    return a
try:
    k()
except TypeError as e:
    print(e)
try:
    k(1)
except TypeError as e:
    print(e)
def m(a, b, c, d=1):
    pass
try:
    m()
except TypeError as e:
    print(e)
c0 = gc.get_count()[0]
x = f(1, 2, 3, c=4, e=5)
c1 = gc.get_count()[0]
del x
c2 = gc.get_count()[0]
def n(*args, **kw):
    return len(args) + len(kw)
c3 = gc.get_count()[0]
for i in range(5):
    n(1, 2, a=3)
c4 = gc.get_count()[0]
print(c1 - c0, c2 - c1, c3 - c2, c4 - c3)
def mk():
    def inner(q=[1, 2]):
        return q
    return inner
a1 = mk(); a2 = mk()
print(a1() is a2(), a1.__defaults__ == a2.__defaults__, a1.__defaults__ is a2.__defaults__)
