# Keys and items views compare as sets (dictview_richcompare: length, then each item looked up
# in the other, walked with a real iterator); values views only by identity (issue 17).
import gc
d = {1: 2, 3: 4}; e = {3: 4, 1: 2}; f = {1: 2}; g = {1: 5, 3: 4}
print(d.keys() == e.keys(), d.items() == e.items(), d.keys() != f.keys(), d.items() == g.items(), d.keys() == g.keys())
print(f.keys() < d.keys(), f.keys() <= d.keys(), d.keys() > f.keys(), d.keys() >= d.keys(), d.keys() < d.keys(), f.items() < d.items(), g.items() > f.items())
print(d.values() == d.values(), d.keys() == d.items(), {(1, 2): 0}.keys() == f.items(), d.keys() == [1, 3])
nan = float('nan'); h = {1: nan}; print(h.items() == h.items(), h.items() == {1: float('nan')}.items())
v = d.keys(); print(v == v, v != v)
gc.disable()
c0 = gc.get_count()[0]
r = d.items() == e.items()
print(gc.get_count()[0] - c0)
