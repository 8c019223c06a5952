import gc
print(gc.get_count()[0])
def f(a): return a + 1
def g(b): return b * 2
def h(c): return c < 2
