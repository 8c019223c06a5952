b = {'k': [], 2: (3,)}
del b[None]
