# Big-int arithmetic allocates as CPython 3.11 does: add, subtract and multiply size their
# block for the operands, powers make (and free) their intermediate products, ~x is
# -(x + 1) in long_add's block. Which results share an address shows it.
import sys
big = 2 ** 40
r = []
for k in range(1, 30):
    x = big * k
    y = id(big + k) == id(big - k)
    z = id(2 ** (30 + k)) == id(3 ** k)
    w = id(-(2 ** (10 * k))) == id(2 ** (10 * k) + 1)
    v = id(big * big) == id(big * k * k)
    u = id(x - big * (k - 1)) == id(x + 1)
    r.append((y, z, w, v, u, sys.getsizeof(big + k), sys.getsizeof(x - x + 5)))
print(r)
a = 2 ** 100
b = 2 ** 100 + 7
c = b - a
d = a - b
print(c, d, id(a - a) == id(0), id(b - a) == id(a - b))
for e in range(1, 70):
    print(id(7 ** e) == id(7 ** (e + 1)), id((-3) ** e) == id(5 ** e), end=' ')
print()
for k in (29, 30, 31, 59, 60, 61, 89, 90, 91):
    n = 2 ** k
    print(id(~n) == id(~(n - 1)), id(~-n) == id(-n - 1), id(~n + 0) == id(n * 1), end=' ')
print()
