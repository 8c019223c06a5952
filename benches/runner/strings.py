# Build a string from 200,000 pieces, split it again, and join with a separator.
parts = []
for i in range(200000):
    parts.append(str(i))
s = ','.join(parts)
back = s.split(',')
t = '-'.join(back)
print(len(s), len(back), len(t), t[:20])
