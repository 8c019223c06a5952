import sys
# Ints at the edges of a machine word: the runner computes these on i64 when both operands
# and the result fit, and through big ints otherwise; python3 must agree on every value,
# type, size and identity.
edges = [0, 1, -1, 5, -5, 256, 257, -6, 2**30 - 1, 2**30, 2**60 - 1, 2**60, -2**60,
         2**62, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 2**64, 10**18, -10**18]
for x in edges:
    for y in edges:
        s = x + y
        d = x - y
        p = x * y
        a = x & y
        o = x | y
        e = x ^ y
        print(s, d, p, a, o, e, sys.getsizeof(s), sys.getsizeof(p))
        if y != 0:
            print(x // y, x % y, sys.getsizeof(x // y))
# Results that land in the small-int cache are the cached objects; others are new.
big = 1000
c256 = 256
c257 = 257
zero = 0
m5 = -5
m6 = -6
print(big - 744 is c256, big - 743 is c257, (big * 0) is zero, (big - 1005) is m5, (big - 1006) is m6)
n = 10**15
m = n + 0
print(m == n, m is n, sys.getrefcount(n))
# Bools keep their own rules.
print(True & True, True | False, True ^ True, True + True, type(True & True).__name__)
t = 0
for i in range(1000):
    t += i * i - (i // 3) % 7
print(t)
