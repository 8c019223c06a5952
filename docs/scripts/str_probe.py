# PEP 393: one width for the whole string, chosen by its widest character.
import sys
for s in ('', 'a', 'a' * 10, 'é', 'aé', '中', '😀', '中' * 10, '😀' * 10, 'a' * 9 + '😀'):
    print(len(s), "chars:", repr(s), "getsizeof", sys.getsizeof(s))
