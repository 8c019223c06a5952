import gc
print(gc.get_count()[0])
for x in [1, 2, 3]:
    pass
if x in [4, 5]:
    pass
if not x in (1,):
    pass
