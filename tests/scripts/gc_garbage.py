# gc.garbage: the list CPython makes at start-up (uncollectable objects would go there).
import gc, sys
print(gc.get_count())
print(sys.getrefcount(gc.garbage), gc.garbage, type(gc.garbage), gc.is_tracked(gc.garbage), sys.getsizeof(gc.garbage))
from gc import garbage
print(sys.getrefcount(garbage), garbage is gc.garbage)
gc.garbage.append([1])
print(gc.garbage, len(garbage), gc.get_count(), gc.collect())
