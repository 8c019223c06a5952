# What format(), str.format and % return: the argument itself when the result is exactly one
# unchanged str, a singleton for a one-character Latin-1 result, else a new string (issue 17).
s = 'abc'
print(format(s, 's') is s, format(s, '') is s, format(s, '.5') is s, format(s, '<2') is s, format(s, '>4') is s)
print(format(5, 'd') is chr(53), format(5, '') is chr(53), format(5.0, '.0f') is chr(53), format(7, 'x') is chr(55))
print('{}'.format(5) is chr(53), '%d' % 5 is chr(53), '%s' % 5 is chr(53), '{:d}'.format(5) is chr(53))
print('a{}'.format('') is chr(97), '{}{}'.format('a', '') is chr(97), '%s%s' % ('a', '') is chr(97))
print('{}'.format(s) is s, '{:}'.format(s) is s, '{!s}'.format(s) is s, '{0}'.format(s) is s, '%s' % (s,) is s, '%.9s' % s is s, '{:.9}'.format(s) is s, 'x{}'.format(s)[1:] is s, '%s' % s is s)
t = 'x=%d'
t %= 5
print(t, format(True), format(None), format([1, 2]), format(2.5), '{:>6}'.format(True), '%s|%r' % (True, None))
print('{0}{1}{0}'.format('ab', 'cd'), '{a[0]}{b}'.format(a=[1], b=2), '{:{}}|'.format('x', 4), '{:*^{w}}'.format('mid', w=9))
