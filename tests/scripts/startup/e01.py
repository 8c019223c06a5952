import gc
print(gc.get_count()[0])
while True:
    break
x = 1.5
