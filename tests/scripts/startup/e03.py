import gc
print(gc.get_count()[0])
def f(a):
    """doc"""
    return a
