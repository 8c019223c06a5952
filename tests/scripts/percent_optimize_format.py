# '%s' % (x, ...) with a tuple that is not constant: 3.11's optimize_format makes it an
# f-string, so no tuple is built (generation 0 shows it) and str(x) is the result object.
import gc
five = 5; s = 'a b'; x = 'é'
print('%s' % (five,) is chr(53), '%s' % (5,) is chr(53), '%s' % (s,) is s, '%5s|%-5s|%.1s|%r|%a' % (s, s, s, x, x))
print('%s %s' % (five, s), '%%%s%%' % (five,), '%10s|' % (five,), '%-10r|' % (s,), '%100s' % (s,) == ' ' * 97 + s)
gc.disable()
c = gc.get_count()[0]
for i in range(10):
    t = '%s-%s' % (i, five)
print(gc.get_count()[0] - c, t)
c = gc.get_count()[0]
for i in range(10):
    t = '%d-%s' % (i, five)
print(gc.get_count()[0] - c, t)
print('%s' % (five, 1) if False else 'x', '%s %s %s' % (1, five, 2) )
