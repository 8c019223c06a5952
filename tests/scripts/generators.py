# Generator functions: a call runs nothing and makes one GC object (the generator, which
# takes the frame and keeps the function); each next resumes where the last yield left;
# return ends it (StopIteration carries the value); yield from delegates; send passes a
# value in; close ends a suspended frame and lets its locals go; __next__ and __iter__ are the
# slot wrappers.
import gc, sys
print(gc.get_count())
def countdown(n):
    while n > 0:
        yield n
        n -= 1
c = countdown(3)
print(gc.get_count(), type(c).__name__, gc.is_tracked(c), sys.getrefcount(countdown))
print(next(c), next(c), gc.get_count(), list(c), list(c), next(c, 'done'))
print(gc.get_count(), sys.getrefcount(countdown))
del c
print(gc.get_count())
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(12)], gc.get_count())
del f
def squares(items):
    for x in items:
        if x % 2:
            continue
        yield x * x
    else:
        yield 'end'
print(list(squares([1, 2, 3, 4])), sum(squares(range(6)) if False else [1]))
def ret():
    yield 1
    return [5, 6]
it = ret()
print(next(it), gc.get_count())
try:
    next(it)
except StopIteration as e:
    print(repr(e), e.value, e.args, gc.get_count())
print(gc.get_count())
def inner():
    x = yield 1
    print('inner got', x)
    return 'inner result'
def outer():
    v = yield from inner()
    print('outer got', v)
    w = yield from [7, 8]
    yield w
o = outer()
print(next(o), o.send('hello'), next(o), next(o), gc.get_count())
print(next(o, 'exhausted'), gc.get_count())
def chain(*its):
    for it in its:
        yield from it
print(list(chain([1, 2], 'ab', (3,), {'k': 1})), gc.get_count())
def avg():
    total = 0
    n = 0
    average = None
    while True:
        term = yield average
        total += term
        n += 1
        average = total / n
a = avg()
print(next(a), a.send(10), a.send(20), a.send(5), gc.get_count())
a.close()
print(next(a, 'closed'), a.close(), gc.get_count())
big = [1, 2, 3]
def hold(x):
    y = x
    yield len(y)
h = hold(big)
print(sys.getrefcount(big))
print(next(h), sys.getrefcount(big))
h.close()
print(sys.getrefcount(big), gc.get_count())
h = hold(big)
print(sys.getrefcount(big))
del h
print(sys.getrefcount(big), gc.get_count())
def selfref():
    yield next(s)
s = selfref()
try:
    next(s)
except ValueError as e:
    print(e, gc.get_count())
def g1(x):
    yield x
x = g1(1)
try:
    x.send(3)
except TypeError as e:
    print(e, gc.get_count())
print(x.send(None), gc.get_count())
def stops():
    yield 1
    next(iter([]))
s2 = stops()
print(next(s2))
try:
    next(s2)
except RuntimeError as e:
    print(repr(e), repr(e.__cause__), e.__context__ is e.__cause__, e.__suppress_context__)
print(gc.get_count())
def gen_closure(n):
    def add(v):
        return v + n
    yield add(1)
    n = 10
    yield add(1)
print(list(gen_closure(1)), gc.get_count())
def nested_loops():
    for i in range(3):
        for j in range(3):
            if i == j:
                break
            yield (i, j)
        while i > 1:
            yield 'w'
            i -= 1
print(list(nested_loops()), gc.get_count())
def returns_early(n):
    for i in range(n):
        if i == 2:
            return i
        yield i
print(list(returns_early(5)), list(returns_early(1)))
def pipeline():
    nums = (i * i for i in range(6))
    evens = (n for n in nums if n % 2 == 0)
    yield from evens
print(list(pipeline()), gc.get_count())
def make():
    return countdown(2)
print(list(make()), list(map(str, countdown(3))), sorted(countdown(4)), gc.get_count())
def g():
    yield 1
    return 5
x = g()
print(x.__iter__() is x, x.__next__())
try:
    x.__next__()
except StopIteration as e:
    print(repr(e))
try:
    x.__next__(1)
except TypeError as e:
    print(e)
try:
    x.__iter__(1, 2)
except TypeError as e:
    print(e)
try:
    x.__next__(k=1)
except TypeError as e:
    print(e)
