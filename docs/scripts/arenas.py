# Fill about 3 MiB (40,000 strs of 80-byte blocks) with strs, then free them all.
# Arenas whose pools are all empty go back to the system -- except one.
big = []
for i in range(40000):
    big.append(str(i) * 4)
del big
