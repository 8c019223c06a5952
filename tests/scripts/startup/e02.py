import gc
print(gc.get_count()[0])
if False:
    y = [i*1.5 for i in range(3)]
