import gc
print(gc.get_count()[0])
x = 1 if 0 else 2.5
y = 0 and [1.5]
