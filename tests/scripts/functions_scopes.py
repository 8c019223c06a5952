# Local scopes, globals, recursion, and the references a call holds.
import sys
count = 0
def bump(n):
    global count
    count = count + n
    return count
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def squares(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out
def refs(obj):
    inner = obj
    return sys.getrefcount(obj)
for i in range(5):
    bump(i)
print(count, fib(15), squares(6))
data = [1, 2]
print(sys.getrefcount(data), refs(data), sys.getrefcount(data))
def early(x):
    for i in range(10):
        if i == x:
            return i * 10
    return -1
print(early(3), early(20))
def nested_loops():
    found = []
    for a in range(4):
        for b in range(4):
            if b > a:
                break
            if (a + b) % 2:
                continue
            found.append((a, b))
    else:
        found.append('done')
    return found
print(nested_loops())
i = 0
while True:
    i += 1
    if i > 5:
        break
else:
    print('never')
print(i, [x * y for x in range(3) for y in range(3) if x != y], {k: v for k, v in [('a', 1), ('b', 2)]})
def kw(a, b):
    return a - b
print(kw(b=1, a=5), kw(10, b=3))
print(isinstance(1, (int, float)), isinstance('a', (int, float)), isinstance(True, (str, int)), type(2.5).__name__)
print([1, 2, 3, 2].index(2, 2), [1, 2, 3].index(3, -1), type([]) is list, type(1) == int, str(type('x')))
