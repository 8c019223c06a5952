# Dead tuples of length 1..20 wait on a free list per length, at most 2000 each
# (PyTuple_MAXFREELIST); a tuple taken from it is not a new GC allocation.
import gc
gc.disable()
a = 1000
t = (a, a)
i = id(t)
del t
u = (a, a)
print("a new 2-tuple takes the dead one's place:", id(u) == i)
pairs = [(a, k) for k in range(3000)]
del pairs                  # 3000 2-tuples die: 2000 are kept, 1000 freed
before = gc.get_count()[0]
pairs = [(a, k) for k in range(3000)]
print("gen0 count grew by", gc.get_count()[0] - before, "for 3000 new 2-tuples")
