# Build a dict of 300,000 str keys, then sum its values by key.
d = {}
for i in range(300000):
    d['k' + str(i)] = i
total = 0
for k in d:
    total += d[k]
print(len(d), total)
