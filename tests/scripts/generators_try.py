# A generator suspended inside a try: its handlers still catch what the body raises after it
# resumes, and while it is suspended inside a handler the exception it handles is its own
# (saved with the frame, not the caller's context). A try with a finally, or a handler that
# could catch GeneratorExit, is refused: closing the generator would run it.
import gc, sys
def safe_div(pairs):
    for a, b in pairs:
        try:
            yield a / b
        except ZeroDivisionError as e:
            yield 'div0: ' + str(e)
            yield sys.exc_info()[0].__name__ if False else 'still handling'
        else:
            yield 'ok'
print(list(safe_div([(1, 2), (1, 0), (3, 1)])))
def inner_err():
    try:
        yield 1
        raise KeyError('k')
    except (KeyError, IndexError) as e:
        yield repr(e)
        raise ValueError('from handler')
g = inner_err()
print(next(g), next(g))
try:
    next(g)
except ValueError as e:
    print(repr(e), repr(e.__context__))
def interleaved():
    try:
        raise IndexError('outer')
    except IndexError:
        yield 'in handler'
        try:
            1 / 0
        except ZeroDivisionError as z:
            print('ctx', repr(z.__context__))
        yield 'after'
a = interleaved()
print(next(a))
try:
    raise TypeError('caller')
except TypeError:
    print(next(a))
print(next(a, 'end'))
b = interleaved()
print(next(b))
b.close()
del b
print(gc.get_count())
def tries():
    for i in range(3):
        try:
            if i == 1:
                continue
            yield i
        except Exception:
            pass
    try:
        yield 'x'
        return 'r'
    except LookupError:
        pass
print(list(tries()))
