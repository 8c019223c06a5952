# How each way of building a container decides its capacity (sys.getsizeof shows it).
import sys
x, y, z = 'a', 'b', 'c'
print(sys.getsizeof([]), sys.getsizeof([1]), sys.getsizeof([1, 2]), sys.getsizeof([1, 2, 3]))
print(sys.getsizeof([x, y, z]), sys.getsizeof(list(range(3))), sys.getsizeof([0] * 3))
print(sys.getsizeof([i for i in range(3)]), sys.getsizeof(list((1, 2, 3))), sys.getsizeof(list('abc')))
big = [x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x, y, z, x]
print(len(big), sys.getsizeof(big))
l = []
for i in range(20):
    l.append(i)
    print(i, sys.getsizeof(l))
while l:
    l.pop()
    print(len(l), sys.getsizeof(l))
l = list(range(10))
print(sys.getsizeof(l[2:5]), sys.getsizeof(l[::3]), sys.getsizeof(l + l), sys.getsizeof(l * 2), sys.getsizeof(l.copy()))
l += [1, 2, 3]
print(sys.getsizeof(l))
l *= 3
print(sys.getsizeof(l))
del l[5:]
print(sys.getsizeof(l), l)
l.insert(0, 'x')
l.extend(range(7))
l.extend('hello')
print(sys.getsizeof(l), l)
l.clear()
print(sys.getsizeof(l))
t = (1, 2, 3)
print(sys.getsizeof(()), sys.getsizeof((1,)), sys.getsizeof(t), sys.getsizeof(t + t), sys.getsizeof(t * 3), sys.getsizeof(tuple([x, y])))
d = {}
print(sys.getsizeof(d))
for i in range(12):
    d['k' + str(i)] = i
    print(len(d), sys.getsizeof(d))
e = {}
for i in range(12):
    e[i * 7] = str(i)
    print(len(e), sys.getsizeof(e))
for i in range(0, 12, 2):
    del e[i * 7]
print(sys.getsizeof(e), e)
e[100] = 'new'
e[0] = 'zero again'
print(e, list(e.keys()), list(e.values()))
print(sys.getsizeof({'a': 1, 'b': 2}), sys.getsizeof({x: 1, y: 2}), sys.getsizeof(dict(a=1, b=2)), sys.getsizeof(dict.fromkeys('abcdef')))
print(sys.getsizeof({k: k for k in range(10)}), sys.getsizeof(dict(d)), sys.getsizeof(d.copy()))
