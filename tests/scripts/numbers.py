# ints are arbitrary precision (30-bit digits); floats print the shortest repr that round-trips.
import sys
for v in [0, 1, -1, 255, 256, 2**30 - 1, 2**30, 2**60, -2**90, 10**40]:
    print(v, sys.getsizeof(v), hash(v))
print(0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e15, 1e-5, 1e-4, 123456789.123456789, 5e-324, 1.7976931348623157e308)
print(float('inf'), float('-inf'), float('nan'), -0.0, 0.0 == -0.0, 3.0, 2.5e-3)
print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, 7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 2 ** -2, 2 ** 0.5)
print(10 / 4, 10 // 4, 2 ** 100, (2 ** 100) // 3, (2 ** 100) % 7, -(2 ** 65) >> 3, 1 << 70, 0xff & 0x0f, 5 | 2, 6 ^ 3, ~5)
print(10 ** 20 / 7, (10 ** 30 + 1) / 3, 1 / 10 ** 30, int(1e20), int(-2.9), float(2 ** 60), abs(-2 ** 70))
print(hash(1.5), hash(-1), hash(-2), hash(2 ** 61), hash(2 ** 61 - 1), hash(1e100), hash(0.1), hash(True), hash(1.0))
print(round(0.5), round(1.5), round(2.5), round(-0.5), round(2.675, 2), round(1234, -2), divmod(-7, 2), divmod(7.5, 2))
print(max(1, 2.5, -3), min([4, 2, 8]), sum([0.1] * 10), sum(range(101)), 1 == 1.0, 1 is 1.0 if False else 'skip', True + True)
print(int('42'), int(' -7 '), int('ff', 16), int('0b101', 0), float('1.5'), float(' -2e3 '), float('inf'), bool(0), bool([]), bool('x'))
print(sys.getsizeof(1.5), sys.getsizeof(True), sys.getsizeof(None), sys.getsizeof(0))
