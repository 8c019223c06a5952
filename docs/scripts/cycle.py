# A two-object cycle that nobody else holds, and a list that holds itself.
import gc
gc.disable()
keep = [[1, 2]]
a = []
b = {'a': a}
a.append(b)
del a, b
s = []
s.append(s)
del s
