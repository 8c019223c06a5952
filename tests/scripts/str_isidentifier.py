# str.isidentifier with CPython 3.11's XID_Start / XID_Continue tables.
words = ['abc', '_x', '1a', 'a1', '', 'é', 'ab cd', 'x-y', '变量', '𝔘', 'a\u0300', '\u0300a', 'ǅ', '℘', '·', 'a·', '²', 'a²', '_', '__init__', 'Ⅻ', 'ⅻx']
print([w.isidentifier() for w in words])
print(sum([1 for c in range(0x3000) if ("a" + chr(c)).isidentifier()]), sum([1 for c in range(0x3000) if chr(c).isidentifier()]))
print(sum([1 for c in range(0x10000, 0x20000, 7) if ("b" + chr(c)).isidentifier()]))
