import gc
print(gc.get_count()[0])
def add(a):
    a = 0.5
def f():
    r = 255
