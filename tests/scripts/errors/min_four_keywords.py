min([1], key=None, default=0, a=1, b=2)
