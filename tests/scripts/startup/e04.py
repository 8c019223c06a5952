import gc
print(gc.get_count()[0])
x = (1,2)*3
y = (1.5,)*20
z = (0,)*25
