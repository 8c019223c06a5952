# How a list is made decides its capacity: allocated = (sys.getsizeof(l) - 56) // 8.
import sys

def allocated(l):
    return (sys.getsizeof(l) - 56) // 8

x, y, z = 'x', 'y', 'z'
print("[]                  ", allocated([]))
print("[x, y, z]           ", allocated([x, y, z]))
print("[1, 2, 3]           ", allocated([1, 2, 3]))
print("list(range(3))      ", allocated(list(range(3))))
print("[i for i in range(3)]", allocated([i for i in range(3)]))
a = [1, 2, 3]
print("a[:]                ", allocated(a[:]))
print("a + a               ", allocated(a + a))
print("[0] * 3             ", allocated([0] * 3))
l = []
for i in range(5):
    l.append(i)
print("5 appends           ", allocated(l))
while len(l) > 2:
    l.pop()
print("popped back to 2    ", allocated(l))
