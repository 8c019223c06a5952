print(1 / 2)
print(5 // 0)
