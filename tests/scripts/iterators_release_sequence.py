# An exhausted iterator lets its sequence go (listiter_next: it_seq = NULL), so the
# sequence's refcount drops back (issue 17).
import sys
l = [1, 2]
it = iter(l); print(sys.getrefcount(l)); list(it); print(sys.getrefcount(l))
r = reversed(l); print(sys.getrefcount(l)); list(r); print(sys.getrefcount(l))
d = {1: 2}
it = iter(d); print(sys.getrefcount(d)); list(it); print(sys.getrefcount(d))
t = (1, 2, 3000)
it = iter(t); print(sys.getrefcount(t)); list(it); print(sys.getrefcount(t))
