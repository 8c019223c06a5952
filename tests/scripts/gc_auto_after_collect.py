import gc
gc.collect()
print(gc.get_count())
for i in range(1000):
    a = []
    b = [a]
    a.append(b)
print(gc.get_count())
print(gc.collect())
for i in range(5000):
    d = {'x': []}
    d['self'] = d
print(gc.get_count(), gc.collect())
gc.set_threshold(100, 5, 5)
for i in range(777):
    l = [1, 2]
    l.append(l)
    t = (l,)
print(gc.get_count(), gc.collect(), gc.get_stats()[0]['collections'] > 0)
gc.disable()
for i in range(300):
    x = []
    x.append(x)
print(gc.isenabled(), gc.get_count(), gc.collect())
gc.enable()
def make():
    a = [1]
    a.append(a)
    return len(a)
for i in range(2000):
    make()
print(gc.get_count(), gc.collect())
