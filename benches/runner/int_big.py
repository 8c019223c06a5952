# Products and sums of ints of thousands of digits.
x = 1
for i in range(1, 2500):
    x *= i
y = 0
for i in range(2000):
    y += x
print(x % 1000000007, y % 998244353)
