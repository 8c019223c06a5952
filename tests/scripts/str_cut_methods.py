# str methods that cut and pad (rsplit, splitlines, partition, rpartition, removeprefix,
# removesuffix, center, ljust, rjust, zfill, expandtabs, swapcase): results, identity and the
# capacity of the lists they return, for every str kind (issue 17).
import sys
S = ['', 'a', 'ab', 'a b  c ', '  x\ty\t\tz  ', 'é-ü-€', '𝄞 a 𝄞', '-42', '+7', 'a\r\nb\nc\rd\x0be\x0cf\x1cg\x85h\u2028i', 'aaa', 'line\n', 'ΑΣ ΣΑΣ', 'Straße']
for s in S:
    print(repr(s))
    print(' ', s.rsplit(), s.rsplit(None, 1), s.rsplit(' '), s.rsplit(' ', 1), s.rsplit('a'), s.rsplit('aa'), s.rsplit(maxsplit=0))
    print(' ', s.splitlines(), s.splitlines(True), s.splitlines(keepends=0))
    print(' ', s.partition(' '), s.rpartition(' '), s.partition('a'), s.rpartition('a'), s.partition('€'), s.rpartition('𝄞'))
    print(' ', s.removeprefix('a'), s.removesuffix(' '), s.removeprefix(''), s.removesuffix(''))
    print(' ', repr(s.center(9)), repr(s.center(10, '*')), repr(s.ljust(6, 'é')), repr(s.rjust(7, '€')), repr(s.zfill(6)), repr(s.center(0)))
    print(' ', repr(s.expandtabs()), repr(s.expandtabs(3)), repr(s.expandtabs(0)), repr(s.expandtabs(tabsize=-1)), repr(s.swapcase()))
    print(' ', s.rindex(s[-1:]) if s else -9, s.split() == s.rsplit())
    r = [s.rsplit()[0] is s if s.rsplit() else None, s.splitlines()[0] is s if s.splitlines() else None, s.partition('Q')[0] is s, s.rpartition('Q')[2] is s,
         s.removeprefix('Q') is s, s.center(len(s)) is s, s.zfill(1) is s, s.expandtabs() is s, s.swapcase() is s, s.ljust(len(s)+1) is s]
    print(' ', r)
    print(' ', [sys.getsizeof(x) for x in [s.rsplit(), s.splitlines(), s.rsplit(' ', 1), s.center(20), s.partition(' ')]])
l = 'a b c d e f g h i j k l m n o'.rsplit(); print(sys.getsizeof(l), l)
l = 'a b c'.rsplit(' ', 1); print(sys.getsizeof(l), l)
