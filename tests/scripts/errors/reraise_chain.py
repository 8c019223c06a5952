# A bare raise keeps the traceback; a raise in a finally during handling chains.
def f():
    try:
        [][0]
    except IndexError:
        raise

try:
    f()
finally:
    {}['k']
