# str.join writes its result in place at the widest kind; str.split makes its pieces one by
# one: sizes, singletons and identity as CPython's, for every kind (issue 15).
import sys
print('-'.join(['a', 'é', '€x', '𝄞']), ''.join([]), ''.join(['', '']), ''.join(['', 'é']), 'é'.join(['a', 'b']))
for s in ['a b  c ', '  ', 'x', 'é  ü\t€\n𝄞 end', '\u3000a\u2003b']:
    print(s.split(), s.split(None, 1), s.split(' '), s.split(' ', 1), s.split('  '))
t = 'abc'
print(t.split()[0] is t, t.split('x')[0] is t, ' abc'.split()[0] is t)
r = ','.join(['ab', 'cd'])
print(sys.getsizeof(r), sys.getsizeof('€'.join(['a', 'b'])), sys.getsizeof('-'.join(['𝄞', 'b'])), sys.getsizeof('-'.join(['é', 'b'])))
print(hash(r) == hash('ab,cd'), r == 'ab,cd', sys.getrefcount(r))
print(''.join(['', 'x']) is chr(120), ''.join(['', 'é']) is chr(233), ''.join(['','']) is '', '-'.join(['a']) is 'a', ''.join(['ab', 'c']))
