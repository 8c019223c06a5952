# PEP 393: the narrowest kind that holds every character.
import sys
for s in ['', 'a', 'abc', 'é', 'héllo', '中', '中文字', '😀', 'a😀', 'ÿ' * 10, 'abc' * 100]:
    print(repr(s), len(s), sys.getsizeof(s))
s = 'Hello, World'
print(s.upper(), s.lower(), s[::-1], s[2:8], s[-3:], s.split(', '), s.replace('l', 'L'), s.find('W'))
print(' a  b c '.split(), 'x,,y'.split(','), 'a-b-c-d'.split('-', 2), ' strip me '.strip(), '--x--'.strip('-'))
print('-'.join(['a', 'b', 'c']), ''.join([]), ', '.join([str(i) for i in [1, 2, 3]]))
print('abc' < 'abd', 'é' > 'z', 'a' * 5, 'ab' + 'cd', 'b' in 'abc', 'abc'.startswith('ab'), 'abc'.endswith(('x', 'c')))
print(ord('é'), chr(233), chr(0x1F600), ord('😀'), str(123), str(-4.5), repr("it's"), repr('say "hi"'), repr('a\nb\t\\'))
print(hash('abc'), hash(''), hash('é'), hash('中文'), hash('😀'))
print(sys.getsizeof('a' + 'é'), sys.getsizeof('abc' + '中'), sys.getsizeof(str(2**100)))
# split with maxsplit keeps the whitespace after the last piece
print(' a b '.split(None, 1), ' a b  '.split(maxsplit=1), 'a  b c '.split(None, 2), ' x '.split(None, 0))
