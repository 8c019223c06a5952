# dict.fromkeys is METH_FASTCALL without keywords: a keyword is a TypeError, not ignored.
print(dict.fromkeys([1], 5))
print(dict.fromkeys([1], a=2))
