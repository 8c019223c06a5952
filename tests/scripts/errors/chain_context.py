# An exception raised while another is handled: both tracebacks, "During handling".
def lookup(d, k):
    return d[k]

def convert(d):
    try:
        return lookup(d, 'n')
    except KeyError as e:
        return int(str(e.args[0]) + 'x')

convert({})
