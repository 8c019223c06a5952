import sys
x = 1000            # a constant: held by the parser's arena and the code's co_consts
y = x
print('x refcount:', sys.getrefcount(x))
a = [1, x, '33']    # BUILD_LIST 3: exactly three slots
b = [1, 2, 3]       # three constants: LIST_EXTEND of a tuple, rounded up to four slots
print('sizes:', sys.getsizeof(a), sys.getsizeof(b))
def foo(p):
    print('inside foo:', sys.getrefcount(p))
foo(a)
del x
print('after del x:', sys.getrefcount(y))
