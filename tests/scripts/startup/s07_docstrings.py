import gc
print(gc.get_count()[0])
def g(p):
    'abc'[0]
    q = False
def h():
    'doc' 'string'
    return 1.5
