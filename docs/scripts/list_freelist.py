# 100 lists die at once: list_dealloc keeps the first 80 shells on the free list
# (PyList_MAXFREELIST) and gives the rest back to pymalloc.
import gc
lists = [[i] for i in range(100)]
del lists
before = gc.get_count()[0]
fresh = [[i] for i in range(100)]
print("gen0 count grew by", gc.get_count()[0] - before, "for 100 new lists")
del fresh
