# An int's freed block serves the next float: pools are per size class, not per type.
import gc
gc.collect()                  # a full collection empties the float free list
n = 10 ** int('10')           # 2 digits: 32 bytes, a 32-byte block (class 1)
where = id(n)
del n                         # the block goes back to its pool's free list
f = float('2.5')              # 24 bytes, class 1: the same pool's most recent free block
print('float got the int block:', id(f) == where)
