# s += i * i, 1,000,000 times: small-int arithmetic, results past the small-int cache.
s = 0
for i in range(1000000):
    s += i * i
print(s)
