import gc
print(gc.get_count()[0])
def g(a):
    if a:
        return {i: i for i in 'abc'}
        pass
    r = 3
    return [j for j in (1.5, 2.5) if j * r]
