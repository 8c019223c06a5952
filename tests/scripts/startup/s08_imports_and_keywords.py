import gc
print(gc.get_count()[0])
import sys
from sys import getsizeof as gs, getrefcount
x = gs([]), getrefcount(x)
print(1, 2, sep='-', end='')
d = dict(a=1, b=2.5)
