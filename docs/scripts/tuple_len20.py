# 3.11 keeps dead 20-tuples on a free list but never hands them out again.
a = 1000
for n in (19, 20):
    t = tuple([a] * n)
    i = id(t)
    del t
    u = tuple([a] * n)
    print("length", n, "- the new tuple reuses the dead one:", id(u) == i)
    del u
