import gc
gc.collect()
for i in range(300):
    q = {'n': 1}
print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked((1,)), gc.is_tracked(([],)), gc.isenabled())
for i in range(1000):
    a = []
    a.append(a)
print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked((1,)), gc.is_tracked(([],)), gc.isenabled())
print(gc.collect())
for i in range(100):
    s = [i for i in range(3)]
print(gc.collect())
