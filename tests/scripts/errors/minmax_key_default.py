# min/max with key= (a builtin or a def) and default=; a default with several positional
# arguments is a TypeError (issue 17).
def neg(x):
    return -x
l = [3, -7, 2, 5]
print(max(l, key=abs), min(l, key=abs), max(l, key=neg), min(l, key=None), max([], default='none'), min((), key=abs, default=0))
print(max('abc', 'Ab', 'b', key=len), min(['bb', 'a', 'cc'], key=len), max([[1], [2, 3]], key=len))
print(max([1, 1.0, True], key=abs), min([2, 2.0]), max({1: 0, 5: 1}, key=neg))
print(max(1, 2, default=3))
