# str.translate and str.maketrans: lookups through any subscriptable table, a new string
# for every non-empty result (never a one-character singleton), CPython's errors.
t = str.maketrans('abc', 'xyz', 'd')
print(t, 'aabbccdd'.translate(t), 'abc'.translate({97: None, 98: 'QQ', 99: 65}), 'é'.translate({233: 'e'}), 'abc'.translate([]), 'abc'.translate('xyz' * 40))
print(str.maketrans({'a': 1, 98: 'c'}), ''.maketrans('a', 'b'), 'ab€'.translate({8364: 'E', 97: '😀'}))
m = str.maketrans
print(m('ab', 'ba'), 'abba'.translate(m('ab', 'ba')))
s = 'abc'
print(s.translate({}) is s, 'a'.translate({}) == 'a', ''.translate({97: 'b'}) == '', 'aaa'.translate({97: None}) == '')
def bad(f):
    try:
        print(f())
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
bad(lambda: str.maketrans(1))
bad(lambda: str.maketrans('ab', 'c'))
bad(lambda: str.maketrans('a', 1))
bad(lambda: 'a'.translate({97: 2 ** 30}))
bad(lambda: 'a'.translate({97: 1.5}))
bad(lambda: str.maketrans({'ab': 1}))
bad(lambda: 'a'.translate(5))
bad(lambda: str.maketrans())
bad(lambda: 'a'.translate())
bad(lambda: str.maketrans({1.5: 2}))
x = 'a'
y = 'abc'
print(x.translate({}) is x, y.translate({}) is y, y.translate({98: 'b'}) is y)
for a in [(1, 'a'), (1, 'a', 5), ('a', 'b', 5), ({}, 'x')]:
    try:
        print(str.maketrans(*a))
    except TypeError as e:
        print(e)
