# What counts toward generation 0 (gc.get_count()[0]): each container object
# (list, tuple, dict) allocated adds 1 and each one freed takes 1 away; ints,
# floats and strs are not containers; an object taken from or given back to a
# free list does not count.
import gc
gc.disable()
gc.collect()            # a full collection also empties the free lists...
w = gc.get_count()      # ...so refill the ones this script's own calls use
w = str(w)
del w
c = gc.get_count()[0]
n = 10 ** 20 + 1
f = float(n)
s = str(n)
print('int, float, str   ', gc.get_count()[0] - c)
c = gc.get_count()[0]
a = [[], [], []]
print('4 new lists       ', gc.get_count()[0] - c)
c = gc.get_count()[0]
d = dict()
print('dict()            ', gc.get_count()[0] - c)
c = gc.get_count()[0]
del a
print('del a (4 lists)   ', gc.get_count()[0] - c)
c = gc.get_count()[0]
b = [[], [], [], []]
print('5 lists, 4 reused ', gc.get_count()[0] - c)
print('count             ', gc.get_count())
gc.collect(0)
print('after collect(0)  ', gc.get_count())
gc.collect(1)
print('after collect(1)  ', gc.get_count())
gc.collect(2)
print('after collect(2)  ', gc.get_count())
