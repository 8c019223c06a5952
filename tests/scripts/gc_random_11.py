import gc
gc.collect()
print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked((1,)), gc.is_tracked(([],)), gc.isenabled())
print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked((1,)), gc.is_tracked(([],)), gc.isenabled())
for i in range(100):
    p = []
print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked((1,)), gc.is_tracked(([],)), gc.isenabled())
for i in range(10):
    k = [None]
    k[0] = k
print(gc.collect())
for i in range(10):
    p = []
for i in range(1000):
    x = [[], []]
    x[0].append(x[1])
    x[1].append(x[0])
print(gc.is_tracked([]), gc.is_tracked({}), gc.is_tracked((1,)), gc.is_tracked(([],)), gc.isenabled())
for i in range(1000):
    a = []
    a.append(a)
print(gc.collect())
