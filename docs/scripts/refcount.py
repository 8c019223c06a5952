# The article's reference-count rules, measured on a list made at run time
# (a literal would also be held by the code object: see docs/refcount.md).
import sys


def foo(p):
    return sys.getrefcount(p)


x = [1.5]
print('x = [1.5]          ', sys.getrefcount(x))
y = x
print('y = x              ', sys.getrefcount(x))
print('inside foo(x)      ', foo(x))
print('after foo returns  ', sys.getrefcount(x))
a = [1, x, '33']
print('a = [1, x, "33"]   ', sys.getrefcount(x))
del y
print('del y              ', sys.getrefcount(x))
a.remove(x)
print('a.remove(x)        ', sys.getrefcount(x))
a.append(x)
del a
print('del a (held it)    ', sys.getrefcount(x))
