# Rebinding a name takes one reference from the object it named.
import sys
x = [1.5]
y = x
print('before x = 123:', sys.getrefcount(y))
x = 123
print('after  x = 123:', sys.getrefcount(y))
