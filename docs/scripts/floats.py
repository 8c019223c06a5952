# 1000 floats made at run time, then all freed: 100 of them are kept on the float
# free list (their 32-byte blocks stay in use); the other 900 blocks go back.
fs = []
for i in range(1000):
    fs.append(i * 0.5)
del fs
