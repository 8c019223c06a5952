# Big-int floor division and modulo allocate as 3.11's l_divmod does: x_divrem's shifted
# dividend (freed), the remainder in the divisor's block, the quotient's block, the floor
# fix-up's long_add and long_sub; divrem1 for a one-digit divisor; a // b with |a| < |b|
# gives a itself as the remainder. Which results share an address shows it.
import sys
big = 2 ** 40
r = []
for k in range(1, 40):
    a = big * k + 12345
    b = 3 ** k + 1
    q = a // b
    m = a % b
    r.append((q, m, -a // b, -a % b, a // -b, a % -b))
    r.append((id(a // b) == id(a * 1), id(a % b) == id(b + 0), id(big // (k + 1)) == id(big + k)))
    x = 10 ** (k + 10)
    r.append((id(x // 7) == id(x + 1), id(x % 10 ** 9) == id(x - 1), id(-x // 3) == id(x * 2), sys.getsizeof(x // 10 ** 8)))
    r.append((id((-x) % (10 ** 12 + k)) == id(x // 10 ** 11), id(5 % x) == id(5), id(-5 % x) == id(x - 5)))
print(r)
