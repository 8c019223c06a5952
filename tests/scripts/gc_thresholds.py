# Automatic collections: thresholds, disable/enable, counts after each phase.
import gc
gc.collect()
print(gc.get_threshold(), gc.isenabled())
for i in range(1000):
    a = []
    b = [a]
    a.append(b)
print(gc.get_count())
print(gc.collect())
gc.disable()
for i in range(800):
    c = {}
    c['self'] = c
print(gc.isenabled(), gc.get_count())
gc.enable()
print(gc.collect())
gc.set_threshold(100, 3, 3)
print(gc.get_threshold())
for i in range(2000):
    l = [i]
    l.append(l)
print(gc.get_count(), gc.collect())
gc.set_threshold(700, 10, 10)
def build(n):
    for i in range(n):
        x = [i]
        y = {'x': x}
        x.append(y)
    return n
print(build(1500), gc.get_count(), gc.collect())
