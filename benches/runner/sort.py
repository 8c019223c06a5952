# Sort 300,000 pseudo-random ints, with sorted() and list.sort().
seed = 12345
xs = []
for i in range(300000):
    seed = (seed * 1103515245 + 12345) % 2147483648
    xs.append(seed)
ys = sorted(xs)
xs.sort(reverse=True)
print(ys[0], ys[-1], xs[0], xs[-1])
