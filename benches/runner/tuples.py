# 300,000 3-tuples appended to a list: tuple free lists and generation-0 counts.
rows = []
for i in range(300000):
    rows.append((i, i + 1, i + 2))
total = 0
for a, b, c in rows:
    total += a + b + c
print(len(rows), total)
