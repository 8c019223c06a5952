# sys.getsizeof of iterators, methods, functions and modules; hash(range) (range_hash: a
# tuple of len, start and step); isinstance with nested tuples of types (issue 17).
import sys, gc
def f():
    pass
l = [1]; d = {1: 2}
print(sys.getsizeof(iter([])), sys.getsizeof(iter(())), sys.getsizeof(iter('')), sys.getsizeof(iter('é')), sys.getsizeof(reversed([])), sys.getsizeof(reversed(())))
print(sys.getsizeof(iter({})), sys.getsizeof(iter({}.values())), sys.getsizeof(iter(d.items())), sys.getsizeof(reversed(d)), sys.getsizeof(reversed(d.items())))
print(sys.getsizeof(iter(range(3))), sys.getsizeof(enumerate([])), sys.getsizeof(zip()), sys.getsizeof(zip(l, l)), sys.getsizeof(l.append), sys.getsizeof(f), sys.getsizeof(len), sys.getsizeof(sys), sys.getsizeof(gc))
print(isinstance(1, (str, (int, float))), isinstance('a', ((int,), (float, (bool, str)))), isinstance(1.5, (str, (int,))), (int, (str, float)), (int,))
print(hash(range(3)), hash(range(2, 10, 3)), hash(range(-5, 10**18, 7)), hash(range(5, 0, -1)), hash(range(0, 2**62, 1)), range(3) == range(0, 3), hash(range(0, 3)) == hash(range(3)), hash(range(1, 5, 1)) == hash(range(1, 5)))
print(hash(range(0)) == hash(range(5, 5)), hash(range(4, 5)) == hash(range(4, 6, 9)))
