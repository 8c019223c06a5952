# An exception thrown into a generator that does not catch it leaves through the generator's
# frame: the traceback shows the throw() call, then the yield it was raised at.
def reader():
    total = 0
    while True:
        line = yield total
        total += len(line)
r = reader()
next(r)
r.send('abc')
r.throw(ValueError('closed early'))
