# An exception passes through finally blocks and a handler that does not match.
def inner(l):
    try:
        l.append(1)
        return l[5]
    finally:
        l.append(2)

def outer():
    l = []
    try:
        inner(l)
    except KeyError:
        print('not this one')
    finally:
        print(l)

outer()
