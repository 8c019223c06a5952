# Attribute assignment where Python allows it: a function or an exception keeps its own
# attributes in a __dict__ made by the first one (a GC object, counted); types are immutable;
# other objects have no room for new attributes and their methods are read-only.
import gc, sys
def f(): pass
print(gc.get_count())
f.calls = 0
print(gc.get_count(), f.calls, f.__dict__)
f.calls += 1
f.tags = ['a']
print(f.calls, f.tags, f.__dict__, sys.getrefcount(f.tags))
del f.calls
print(f.__dict__)
try:
    f.calls
except AttributeError as e:
    print(e)
try:
    del f.missing
except AttributeError as e:
    print(e)
def g(): pass
d = g.__dict__
print(d, gc.get_count())
d['z'] = 3
print(g.z)
try:
    raise ValueError('x')
except ValueError as e:
    e.note = 'extra'
    print(e.note, e.__dict__, e.args)
lst = []
try:
    lst.x = 1
except AttributeError as e:
    print(e)
try:
    lst.append = 1
except AttributeError as e:
    print(e)
try:
    int.x = 1
except TypeError as e:
    print(e)
try:
    len.x = 1
except AttributeError as e:
    print(e)
try:
    del lst.pop
except AttributeError as e:
    print(e)
try:
    ValueError.x = 1
except TypeError as e:
    print(e)
counter = lambda: None
counter.n = 5
counter.n *= 2
print(counter.n, counter.__dict__)
del f
print(gc.get_count())
