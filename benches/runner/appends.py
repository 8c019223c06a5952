# 1,000,000 appends in a loop: list_resize's growth, one int object per item.
l = []
for i in range(1000000):
    l.append(i)
print(len(l), l[-1])
