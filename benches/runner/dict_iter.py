# Iterate a dict of 200,000 int keys ten times: the cost must grow with the work only.
d = {}
for i in range(200000):
    d[i] = i
total = 0
for _ in range(10):
    for k in d:
        total += k
print(total)
