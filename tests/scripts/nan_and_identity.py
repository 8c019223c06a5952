# The == and != operators take no identity shortcut (PyObject_RichCompare), containers and
# `in` do (PyObject_RichCompareBool); +x and abs(x) of a non-negative exact int return x
# itself (long_long), of a bool a new int (issue 17: found by hidden checks).
nan = float('nan')
other = float('nan')
print(nan == nan, nan != nan, nan < nan, nan <= nan, nan > nan, nan >= nan)
print(nan == other, nan != other, [nan] == [nan], (nan,) == (nan,), nan in [nan], nan in (nan,))
print([nan] == [other], [nan] != [nan], {1: nan} == {1: nan}, {nan: 1}[nan])
print(1 < nan, nan < 1, 1.0 <= nan, min(nan, 1.0), max(1.0, nan), min([2.0, nan]))
l = [nan, 1.0]
print(l.count(nan), l.index(nan), l == l)
for x in [0, 1, 256, 257, 5000, -5000, 10**20, -(10**20), True, False, 2.5, -2.5]:
    print(repr(x), +x is x, abs(x) is x, -(-x) is x, type(+x).__name__ if False else repr(+x), repr(abs(x)))
print(sorted(5) if False else 'sorted copies first')
