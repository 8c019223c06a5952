# map and filter: lazy iterators calling their function per item; iterator objects inside
# zip, enumerate, map and filter are shared, as iter() of an iterator is itself.
import sys, gc
m = map(lambda x: x * 2, [1, 2, 3])
print(next(m), list(m), list(m), sys.getsizeof(m), gc.is_tracked(m), type(m).__name__)
print(list(filter(None, [0, 1, '', 'a', [], [2]])), list(filter(lambda x: x > 1, (1, 2, 3))))
print(list(map(pow, [2, 3], [3, 2])), list(map(len, ['ab', 'c'])), list(filter(bool, [0, 3])))
print(sorted(map(str, range(12))), sum(map(len, ['a', 'bb'])), max(map(abs, [-5, 3])))
for x in map(repr, "ab"):
    print(x)
calls = []
def noisy(v):
    calls.append(v)
    return v
lazy = map(noisy, [1, 2, 3])
print(calls, next(lazy), calls)
def mk():
    try:
        map(len)
    except TypeError as e:
        print(e)
    try:
        map()
    except TypeError as e:
        print(e)
    try:
        filter(len)
    except TypeError as e:
        print(e)
    try:
        map(len, 5)
    except TypeError as e:
        print(e)
    try:
        list(map(5, [1]))
    except TypeError as e:
        print(e)
    try:
        map(len, [1], kw=1)
    except TypeError as e:
        print(e)
mk()
print(repr(map(len, []))[:17], repr(filter(None, []))[:20])
print(list(map(lambda a, b: a + b, 'abc', 'xy')), dict(zip('ab', map(ord, 'ab'))))
it = iter([1, 2, 3, 4, 5])
print(list(zip(it, it)), list(enumerate(map(len, ['a', 'bb']), 1)), list(zip(range(3), filter(None, [0, 5, 0, 6]))))
e = enumerate(iter('xy'))
print(next(e), list(e), sys.getsizeof(e))
c0 = gc.get_count()[0]
z = zip(it, it)
c1 = gc.get_count()[0]
print(c1 - c0)
