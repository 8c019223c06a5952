# pow (modular too), hex/oct/bin, sys.maxsize (one object, CPython's refcount), range slicing.
import sys
from sys import maxsize
print(sys.getrefcount(sys.maxsize), sys.maxsize, maxsize is sys.maxsize, sys.getrefcount(maxsize))
print(pow(2, 10), pow(2, -2), pow(3, 4, 5), pow(3, -1, 7), pow(-2, 3, -5), pow(2, 3, 1), pow(True, 2))
for args in [(2, 3, 0), (2.0, 3, 5), (0, -1, 5), (2, 'x'), (2,), (2, 3, None), (10, -3, 7), (2**100, 2**50, 10**9 + 7)]:
    try:
        print(pow(*args))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(pow(base=2, exp=5), pow(2, exp=3, mod=5))
try:
    pow(2, 3, 4, 5)
except TypeError as e:
    print(e)
try:
    pow(2, ex=3)
except TypeError as e:
    print(e)
print(hex(255), hex(-255), oct(8), bin(5), bin(-5), hex(True), bin(0), hex(2**100), oct(-2**70))
try:
    hex(1.5)
except TypeError as e:
    print(e)
try:
    hex()
except TypeError as e:
    print(e)
try:
    oct(1.5)
except TypeError as e:
    print(e)
try:
    oct()
except TypeError as e:
    print(e)
try:
    bin(1.5)
except TypeError as e:
    print(e)
try:
    bin()
except TypeError as e:
    print(e)
r = range(10)
print(r[2:5], r[::2], r[::-1], r[-3:], r[5:2], r[1:8:3], range(0, 10, 3)[1:], range(10, 0, -2)[1::2], range(5)[10:], range(-5, 5)[::-3])
print(list(range(0, 30, 4)[1:-1:2]), len(range(100)[::7]), range(3)[:])
try:
    r[::0]
except ValueError as e:
    print(e)
try:
    r['a':]
except TypeError as e:
    print(e)
