# A tuple of types (for isinstance) is a tuple: its length, equality and ordering item by
# item (types have no order), membership by identity, and unpacking errors by length.
import sys
x = (int, str)
print(len(x), x == (int, str), x != (int,), str in x, float in x, x < (int, str, float), (int, (str, float)) == (int, (str, float)), x != 5)
try:
    x < (str,)
except TypeError as e:
    print(e)
try:
    a, i = (str,)
except ValueError as e:
    print(e)
try:
    a, b, c = x
except ValueError as e:
    print(e)
