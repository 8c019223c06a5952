# gc.get_referents: each object's tp_traverse order (a list's last item first, a dict's
# values and, unless every key is a str, its keys).
import gc, sys
d = {'a': 1, 'b': [2]}
e = {1: 'x', (2,): 3}
print(gc.get_referents([1, 'a', None]), gc.get_referents((1, 2), [3]), gc.get_referents(d), gc.get_referents(e), gc.get_referents(5, 'x'))
print(gc.get_referents())
l = [[1], [2]]
r = gc.get_referents(l)
print(r, r[0] is l[1], sys.getrefcount(l[0]))
c0 = gc.get_count()[0]
gc.get_referents(l)
print(gc.get_count()[0] - c0)
try:
    gc.get_referents(x=1)
except TypeError as err:
    print(err)
