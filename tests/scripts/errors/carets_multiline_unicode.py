# A multi-line expression: carets to the end of its first line. Wide characters count once.
name = 'héllo'
try:
    total = (len(name) +
             name)
except TypeError:
    table = {'é': 1}
    print(table ['ü'])
