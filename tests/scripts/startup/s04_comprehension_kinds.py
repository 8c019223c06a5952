import gc
print(gc.get_count()[0])
x = {i: i for i in 'abc'}
y = [j for j in (1, 2) if j]
z = {k: (k, k) for k in [1, 2, 3]}
w = {k: [k, 0] for k in [1, 2, 3]}
