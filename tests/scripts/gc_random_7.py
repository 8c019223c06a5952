import gc
gc.collect()
for i in range(700):
    r = (1, 2)
for i in range(10):
    p = []
for i in range(300):
    q = {'n': 1}
for i in range(1000):
    d = {'l': []}
    d['l'].append(d)
for i in range(10):
    x = [[], []]
    x[0].append(x[1])
    x[1].append(x[0])
gc.set_threshold(50, 5, 5)
gc.set_threshold(50, 5, 5)
for i in range(1000):
    q = {'n': 1}
print(gc.collect())
