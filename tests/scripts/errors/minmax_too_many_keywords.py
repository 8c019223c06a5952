max(1, 2, default=0, key=None, start=1)
