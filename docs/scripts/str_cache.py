# Equal identifier-like constants are one object; strings built at run time are not, until
# interned; the empty string and one-character Latin-1 strings are shared singletons.
import sys
a = 'hello_world'
b = 'hello_' + 'world'     # folded by the compiler into the same constant
print("identifier-like constants are one object:", a is b)
c = 'hello world'
d = 'hello ' + str('world')
print("built at run time:", c is d, " after sys.intern:", sys.intern(d) is sys.intern(c))
x = 'abc'
y = 'xa'
e = 'é!'
print("x[0] is y[1]:", x[0] is y[1], "  chr(233) is e[0]:", chr(233) is e[0])
print("chr(300) is chr(300):", chr(300) is chr(300), "  x[0:0] is '':", x[0:0] is str())
