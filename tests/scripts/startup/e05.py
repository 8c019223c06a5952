import gc
print(gc.get_count()[0])
x = tuple(range(30))
y = (1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22)
