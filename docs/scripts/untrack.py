# Which objects the collector tracks, and when a collection stops tracking them.
import gc
x = 10 ** 20 + 1
s = str(x)
t = (x, s)              # a tuple made at run time: tracked when created
n = (t, t)              # holds a tracked tuple
e = {}                  # a dict starts untracked...
d = {'k': x}            # ...and stays so while it holds only atomic things
dl = {'k': []}          # a container stored in it tracks it
dt = {'k': t}           # a tracked tuple does too
print('list  ', gc.is_tracked([]), ' int', gc.is_tracked(x), ' str', gc.is_tracked(s))
print('before      t', gc.is_tracked(t), 'n', gc.is_tracked(n), 'e', gc.is_tracked(e),
      'd', gc.is_tracked(d), 'dl', gc.is_tracked(dl), 'dt', gc.is_tracked(dt))
gc.collect(0)
print('collect(0)  t', gc.is_tracked(t), 'n', gc.is_tracked(n), 'dt', gc.is_tracked(dt))
gc.collect()
print('collect(2)  t', gc.is_tracked(t), 'n', gc.is_tracked(n), 'dt', gc.is_tracked(dt),
      'dl', gc.is_tracked(dl))
