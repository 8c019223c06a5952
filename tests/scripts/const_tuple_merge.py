# Constant tuples are merged item by item in place (merge_consts_recursive and
# intern_string_constants use PyTuple_SET_ITEM): no second tuple keeps the old items alive.
import sys
t = (1.5, 'a', None)
print(sys.getrefcount(t[0]), sys.getrefcount(t))
a = 2.5
u = (2.5, 'b', 'xyz')
v = ('xyz', 2.5)
print(sys.getrefcount(a), sys.getrefcount(u[0]), u[0] is a, v[1] is a, u[2] is v[0], sys.getrefcount(u), sys.getrefcount(v))
def f():
    return (2.5, (1.5, 'a'))
print(f()[0] is a, f()[1][0] is t[0], sys.getrefcount(f()), sys.getrefcount(t[0]))
