import gc
print(gc.get_count()[0])
print(1, 2, sep="", end="")
d = dict(a=1, b=2.5)
