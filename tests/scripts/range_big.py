# Ranges are ints of any size: membership and indexing are arithmetic, len() of a range past
# sys.maxsize items is CPython's OverflowError, and a range whose fields do not fit a C long
# iterates with a longrange_iterator (reversed too).
import sys
r = range(2**64, 2**64 + 10, 3)
print(r, len(r), list(r), r[1], r[-1], 2**64 + 3 in r, 2**64 + 4 in r)
print(type(iter(r)).__name__, sys.getsizeof(iter(r)), hash(r), hash(range(2**70)))
big = range(10**20)
print(10**18 in big, big[10**19], big[-1], bool(big), big[::10**18])
try:
    len(big)
except OverflowError as e:
    print('OverflowError', e)
print(list(reversed(range(2**63 - 3, 2**63 + 2))), type(reversed(range(2**63 - 3, 2**63 + 2))).__name__)
print(type(reversed(range(5))).__name__, list(reversed(range(-2**63, -2**63 + 3))))
print(type(iter(range(-2**63, 2**63 - 1))).__name__)
print(range(2**64) == range(0, 2**64, 1), range(2**64, 2**64) == range(0), range(10**30, 10**30 + 1, 7) == range(10**30, 10**30 + 2, 9))
for i in range(2**64 - 2, 2**64 + 1):
    print(i)
print(sum(range(10**20, 10**20 + 5)), max(range(-2**65, 0, 2**64)))
print(range(-5, 5)[2:2**70], range(10)[::-1], range(0, 2**70, 2**66)[1:3])
print(range(10)[::10**30], range(10)[10**30:], range(10)[-10**30::-1], range(3, 50, 7)[::-2])
try:
    range(5)[1:'a']
except TypeError as e:
    print(e)
try:
    range(5)[::0]
except ValueError as e:
    print(e)
try:
    range(2**64)['x']
except TypeError as e:
    print(e)
try:
    range(0, 10, 0)
except ValueError as e:
    print(e)
