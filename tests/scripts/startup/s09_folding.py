import gc
print(gc.get_count()[0])
x = 10**20 * 3.5
y = 2**70 * 1.5
z = (1, 2) + (3,)
t = (1, 2) * 1
u = ('a',) * 3
v = -0.0
