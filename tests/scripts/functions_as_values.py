# Functions are objects: items of lists, tuples and dicts, dict keys, arguments; each a
# 152-byte GC object that MAKE_FUNCTION allocates (so does every comprehension's function),
# holding its defaults and its closure of cells.
import sys
import gc

# The late-binding lesson: every lambda reads the comprehension's one cell for i.
funcs = [lambda: i for i in range(3)]
print([f() for f in funcs])
# Defaults are evaluated once, when the function is made.
bound = [lambda i=i: i for i in range(3)]
print([f() for f in bound], [f.__defaults__ for f in bound])
print(sys.getsizeof(funcs[0]), gc.is_tracked(funcs[0]), sys.getrefcount(funcs[0]))
print(funcs[0] is funcs[1], funcs[0] == funcs[0], funcs.index(funcs[2]), funcs[1] in funcs)

# A dict of handlers, functions as keys, functions in a tuple.
ops = {'add': lambda a, b: a + b, 'mul': lambda a, b: a * b}
print([ops[k](6, 7) for k in sorted(ops)])
def double(x):
    return 2 * x
def square(x):
    return x * x
table = {double: 'double', square: 'square'}
print(table[square], double in table, len(table))
pair = (double, square)
print([f(5) for f in pair], gc.is_tracked(pair), sys.getrefcount(double))
del table, pair
print(sys.getrefcount(double))
print(sorted([3, 1, 2], key=double), max([double, square], key=lambda f: f(3)) is square)
print(list(map(square, [1, 2, 3])), [f.__name__ for f in (double, square)])

# A list that holds a lambda that holds the list through a cell: a cycle.
def make():
    items = []
    items.append(lambda: items)
    return items
x = make()
print(len(x), x[0]() is x)
del x
print(gc.collect())
def pair_of_counters():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    def get():
        return count
    return [inc, get]
inc, get = pair_of_counters()
inc()
inc()
print(get(), sys.getrefcount(inc))
del inc, get
print(gc.collect())

# Generation 0 counts every function and cell made, like any GC object.
gc.collect()
c0 = gc.get_count()[0]
fs = [lambda: n for n in range(5)]
print(gc.get_count()[0] - c0)
fs2 = [(lambda k: lambda: k)(n) for n in range(5)]
print(gc.get_count()[0] - c0, [f() for f in fs2])
del fs, fs2
print(gc.get_count()[0] - c0, gc.collect())
gc.set_threshold(7)
keep = []
for n in range(40):
    keep.append(lambda n=n: n)
    if n % 9 == 0:
        print(n, gc.get_count())
print(sum(f() for f in keep), gc.get_stats()[0]['collections'] > 0)
