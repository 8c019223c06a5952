# list.sort / sorted with NaNs: the order around an inconsistent `<` is CPython 3.11's
# listsort's (runs, binary insertion, powersort merges, galloping), not just "sorted".
nan = float('nan')
seed = 2024


def rand():
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed


def make(n, nan_every, spread):
    out = []
    for i in range(n):
        r = rand()
        if r % nan_every == 0:
            out.append(nan)
        elif i % 17 < 6:
            out.append(float(i % 17))        # a short ascending run
        elif i % 29 < 5:
            out.append(float(50 - i % 29))   # a short descending run
        else:
            out.append(float((r >> 8) % spread))
    return out


print(sorted([2.0, 1.0, nan, 0.5]))
for n, nan_every, spread in [(5, 3, 10), (40, 7, 20), (70, 5, 1000), (200, 11, 100),
                             (200, 3, 5), (200, 50, 1000000)]:
    xs = make(n, nan_every, spread)
    print(n, sorted(xs))
    print(n, sorted(xs, reverse=True))
    ys = list(xs)
    ys.sort(reverse=True)
    print(ys == ys, ys)
    xs.sort()
    print(xs)
