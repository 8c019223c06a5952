import gc
print(gc.get_count()[0])
print([c for c in ' pad ' if c != 'a'], [ord(c) for c in ' pad '])
print([c for c in 'MiXeD' if c != 'a'], [ord(c) for c in '中文'])
