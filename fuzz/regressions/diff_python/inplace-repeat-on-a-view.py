x = {'a': 1}.keys()
x *= 'ab'
