import gc
print(gc.get_count()[0])
x = [[i, j] for i in range(3) for j in [i]]
y = [[k for k in range(i)] for i in range(3)]
