import gc
print(gc.get_count()[0])
x = 1 if 0 else 2.5
y = 0 and [1.5]
z = 1 or (2.5, 3.5)
w = 1.5 if y else 2.5
