# Which tuples the cycle collector follows, and when it stops following them.
import gc
x = 1000
s = 'abc'
t = (x, s)                 # built at run time from atoms (int, str)
u = (x, [])                # holds a list: may be part of a cycle
n = ((x, s), (x, s))       # nested tuples of atoms
print("()        tracked:", gc.is_tracked(()))
print("t (x, s)  tracked:", gc.is_tracked(t))
print("u (x, []) tracked:", gc.is_tracked(u))
print("n nested  tracked:", gc.is_tracked(n))
gc.collect(0)
print("after one collection: t", gc.is_tracked(t), " u", gc.is_tracked(u), " n", gc.is_tracked(n))
gc.collect()
print("after a full collection: n", gc.is_tracked(n))
