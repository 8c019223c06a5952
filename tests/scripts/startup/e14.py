import gc
print(gc.get_count()[0])
x = -0.0
y = 0.0
z = (-0.0, 0.0)
w = True
v = (True, 1, 1.0)
