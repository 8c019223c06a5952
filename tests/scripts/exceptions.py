# try/except/else/finally, raise, exception objects: what python3 prints, sizes,
# refcounts and generation-0 counts included.
import sys, gc

count = gc.get_count

# Exception objects and their text.
e = ValueError('x')
print(repr(e), str(e), e.args, type(e).__name__, sys.getsizeof(e), gc.is_tracked(e))
print(repr(ValueError()), str(ValueError()), repr(ValueError(1, 'a')), str(ValueError(1, 'a')))
print(repr(KeyError('k')), str(KeyError('k')), str(KeyError()), str(KeyError(1, 2)))
print(isinstance(e, Exception), isinstance(e, LookupError), isinstance(KeyError(), LookupError))
print(sys.getsizeof(StopIteration()), sys.getsizeof(NameError()), sys.getsizeof(AttributeError()))
print(sys.getsizeof(ImportError()), sys.getsizeof(KeyError()), e.__class__, ValueError)
print(e.__cause__, e.__context__, e.__suppress_context__)

# Catching by class, by base class, by tuple, bare.
def kinds(n):
    if n == 0:
        return [][1]
    if n == 1:
        return {}['missing']
    if n == 2:
        return 1 // 0
    if n == 3:
        return int('x')
    if n == 4:
        return undefined_name
    if n == 5:
        return 'a' + 1
    raise RuntimeError('n', n)

for n in range(7):
    try:
        kinds(n)
    except (IndexError, KeyError) as err:
        print('lookup', n, repr(err), err.args)
    except ArithmeticError as err:
        print('arith', n, err)
    except ValueError:
        print('value', n)
    except Exception as err:
        print('other', n, type(err).__name__, err)
    else:
        print('no error')
    finally:
        print('finally', n)

try:
    pass
except ValueError:
    print('not reached')
else:
    print('else runs')

# The `as` name is unbound after the handler.
try:
    raise KeyError(5)
except KeyError as gone:
    print(gone, sys.getrefcount(gone))
try:
    print(gone)
except NameError as ne:
    print(ne)

# Re-raise, raise from, context.
def reraiser():
    try:
        {}[1]
    except KeyError:
        raise

try:
    reraiser()
except KeyError as k:
    print('reraised', repr(k), k.__context__)

try:
    try:
        1 / 0
    except ZeroDivisionError as z:
        raise ValueError('wrapped') from z
except ValueError as v:
    print(repr(v), repr(v.__cause__), repr(v.__context__), v.__suppress_context__)

try:
    try:
        [][0]
    except IndexError:
        raise TypeError('during')
except TypeError as t:
    print(repr(t), repr(t.__context__), t.__cause__)

try:
    try:
        [][0]
    except IndexError:
        raise TypeError('hidden') from None
except TypeError as t:
    print(repr(t), repr(t.__context__), t.__cause__, t.__suppress_context__)

# finally with return, break, continue.
def ret():
    try:
        return 'try'
    finally:
        print('finally before return')

def override():
    try:
        return 'try'
    finally:
        return 'finally'

def swallow():
    try:
        raise ValueError
    finally:
        return 'swallowed'

print(ret(), override(), swallow())
for i in range(3):
    try:
        if i == 1:
            continue
        if i == 2:
            break
        print('body', i)
    finally:
        print('finally', i)

# Errors in handling.
try:
    raise 5
except TypeError as t:
    print(t)
try:
    raise ValueError from 5
except TypeError as t:
    print(t)
try:
    raise
except RuntimeError as r:
    print(r)
try:
    try:
        raise ValueError
    except 5:
        pass
except TypeError as t:
    print(t)

# What a traceback keeps alive: the frames' locals, until the exception goes.
big = [1, 2, 3]
def holder(x):
    y = x
    raise ValueError(len(y))

print(sys.getrefcount(big))
try:
    holder(big)
except ValueError as v:
    print(sys.getrefcount(big), v.args)
print(sys.getrefcount(big))

# Generation 0 counts as exceptions come and go.
r = []
r.append(count()[0])
for i in range(3):
    try:
        kinds(i)
    except Exception:
        r.append(count()[0])
    r.append(count()[0])
try:
    holder(big)
except ValueError as v:
    r.append(count()[0])
r.append(count()[0])
print([b - a for a, b in zip(r, r[1:])])
try:
    assert 1 == 2, 5
except AssertionError as e:
    print(repr(e), e.args, str(e))
try:
    assert [], ['a', 1]
except AssertionError as e:
    print(repr(e), e.args)
try:
    assert 0
except AssertionError as e:
    print(repr(e), e.args)
try:
    try:
        {}[1]
    except KeyError:
        assert False, 'inner'
except AssertionError as e:
    print(repr(e.__context__))
try:
    {}.popitem()
except KeyError as e:
    print(repr(e), e.args)
try:
    [].pop()
except IndexError as e:
    print(repr(e), e.args)
try:
    next(iter([]))
except StopIteration as e:
    print(repr(e), e.args)
try:
    x = undefined_thing
except NameError as e:
    print(repr(e), e.args)
try:
    [].foo
except AttributeError as e:
    print(repr(e), e.args)
try:
    import sys
    sys.foo
except AttributeError as e:
    print(repr(e))
try:
    "%d" % "x"
except TypeError as e:
    print(repr(e))
