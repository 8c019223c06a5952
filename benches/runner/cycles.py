import gc
# 200,000 two-list cycles dropped as soon as made: automatic collections free them.
for i in range(200000):
    a = []
    b = [a]
    a.append(b)
del a, b
print(gc.collect())
