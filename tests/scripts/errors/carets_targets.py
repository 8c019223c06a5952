# Stores point at their target: an unpacking at the tuple, a subscript store at the
# subscript, an attribute store at the attribute.
d = {}
try:
    a, b = [1]
except ValueError:
    try:
        d['k'].x = 1
    except KeyError:
        try:
            l = []
            l[5] = 1
        except IndexError:
            del l[0]
