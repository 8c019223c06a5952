# Who holds a value: a literal is held by the compiled code too.
import sys
big = 10 ** 20            # folded by the compiler into one constant
made = 10 ** int('20')    # computed at run time: only the name holds it
print('literal  ', sys.getrefcount(big))
print('run time ', sys.getrefcount(made))
print('equal, not the same object:', big == made, big is made)
n = 256
m = int('256')
k = 257
print('small ints are shared:', n is m, '  257:', k is int('257'))
