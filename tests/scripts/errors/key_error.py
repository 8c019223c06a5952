d = {'a': 1, (1, 'x'): 2}
print(d['a'], d[(1, 'x')])
print(d['missing'])
