# sys.getsizeof of a generator: 168 bytes of generator and frame headers, then a word per
# local and per slot of the value stack its code needs (co_stacksize, computed as CPython's
# compiler does, dead code left out). An f-string with no field is not folded with its
# neighbours (f'ab' * 2 is made at run time) but a tuple of constants holding one is.
import sys
def show(name, g):
    print(name, sys.getsizeof(g))
show('a', (i for i in range(10)))
show('b', (i * 2 for i in range(10)))
show('c', (i * 2 + 1 for i in range(10) if i % 2))
show('d', (str(i) for i in range(10)))
show('e', (x + y for x in 'ab' for y in 'cd'))
show('f', (f'{x}' for x in 'ab'))
show('g', (f'{x!r:>{3}} {x}' for x in 'ab'))
show('h', ((x, x, [x, {x: 1}]) for x in 'ab'))
show('i', (1 < x < 3 < 4 for x in [1]))
show('j', (x if x else -x for x in [1]))
show('k', (x and x or x for x in [1]))
show('l', (sorted([x], key=len, reverse=True) for x in ['a']))
show('m', (max(*[x, x]) for x in [1]))
show('n', ('-'.join([x, x]) for x in 'a'))
show('o', ([y for y in x] for x in ['ab']))
show('p', (x[1:2] for x in ['ab']))
show('q', (x[::2] for x in ['ab']))
show('r', (lambda: x for x in ['ab']))
show('s', ({'a': x, 'b': 2} for x in [1]))
def g1(n):
    for i in range(n):
        yield i
def g2(a, b=2, *args, **kw):
    x = yield a + b
    for i in range(3):
        yield [i, i * 2, (i, a)]
    c, *d = [1, 2, 3]
    kw['z'] = c
    kw['z'] += 1
    del kw['z']
    e = dict(kw, k=1)
    print(*args, sep='', **kw)
    return e
def g3():
    yield from [1, 2]
    x = yield from g1(2)
    assert x is None, 'msg'
    while x:
        x -= 1
    if x:
        raise ValueError('v') from None
def g4():
    def inner(q=[1]):
        return q
    yield inner
    n = 0
    def counter():
        nonlocal n
        n += 1
    yield lambda y, *, z=1: y + z
    import sys as s
    from sys import getsizeof as gs
    yield s, gs
def g5(x):
    x.a = 1
    x.a += 2
    del x.a
    x[1:2] = []
    x[1:2] += [3]
    yield (x.count(1), x.index(2, 0, 5), f'{x}', x[0], -x[0], not x)
show('g1', g1(3))
show('g2', g2(1))
show('g3', g3())
show('g4', g4())
show('g5', g5([1]))
def f():
    return (f'a', 1)
print(f() is f())
x = f'ab' * 2
print(x is f'ab' * 2, (f'', 2), f'' * 3 == '')
import sys
print(sys.getrefcount(f()))
def with_try(items):
    for a, b in items:
        try:
            yield a / b
        except ZeroDivisionError as e:
            yield str(e)
        else:
            yield 'ok'
def with_finally():
    try:
        x = yield 1
    except ValueError:
        pass
    for i in range(2):
        try:
            if i:
                break
        finally:
            print('finally', i)
    yield x
show('try', with_try([(1, 0)]))
show('finally', with_finally())
print(list(with_try([(1, 2), (1, 0)])))
