import gc
print(gc.get_count()[0])
def f(a, b):
    return {a: [b*1.5 for _ in range(2)]}
def g(a, b):
    return {a: [b*1.5 for _ in range(2)]}
