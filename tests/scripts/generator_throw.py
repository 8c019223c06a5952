# generator.throw(): the exception raised where the generator is suspended — caught by its
# handlers it goes on to the next yield; a yield from passes it on; a fresh or finished
# generator raises it at once; StopIteration leaving the frame is PEP 479's RuntimeError.
def g():
    try:
        x = yield 1
        print('got', x)
    except ValueError as e:
        print('caught', e)
        yield 2
    yield 3
it = g()
print(next(it))
print(it.throw(ValueError('boom')))
print(next(it))
print(it.throw(ValueError, 'two') if False else 'skip')
def h():
    yield 1
    yield 2
k = h()
next(k)
try:
    k.throw(KeyError('k'))
except KeyError as e:
    print('out', repr(e))
print(list(k))
try:
    k.throw(IndexError)
except IndexError as e:
    print('finished gen', repr(e))
def outer():
    r = yield from h()
    return r
o = outer()
next(o)
try:
    o.throw(TypeError('via'))
except TypeError as e:
    print('delegated', e)
def deleg():
    yield from g()
d = deleg()
next(d)
print(d.throw(ValueError('inner')))
def stop():
    yield 1
s = stop()
next(s)
try:
    s.throw(StopIteration)
except RuntimeError as e:
    print('RuntimeError', e)
def ret():
    try:
        yield 1
    except ValueError:
        return 'done'
r = ret()
next(r)
try:
    r.throw(ValueError)
except StopIteration as e:
    print('stop', e.value)
try:
    h().throw(5)
except TypeError as e:
    print(e)
x = h()
try:
    x.throw(ValueError('fresh'))
except ValueError as e:
    print('fresh', e, list(x))
import sys
import gc
def counter():
    n = 0
    while True:
        try:
            yield n
        except KeyError:
            n = -100
        n += 1
c = counter()
print(next(c), c.throw(KeyError), next(c), c.throw(KeyError('again')), sys.getrefcount(c))
gc.collect()
before = gc.get_count()[0]
c.throw(KeyError, ('x',))
print(gc.get_count()[0] - before)
w = h()
next(w)
for bad in ((), (1, 2, 3, 4)):
    try:
        w.throw(*bad)
    except TypeError as e:
        print(e)
try:
    w.throw(ValueError, 'with tb None', None)
except ValueError as e:
    print('tb None', e)
