# Entry size follows the key kind: a table of exact-str keys stores {key, value} (16 bytes),
# any other key makes it {hash, key, value} (24 bytes).
import sys
s = {}
for k in ('a', 'b', 'c', 'd', 'e'):
    s[k] = None
i = {}
for k in (1, 2, 3, 4, 5):
    i[k] = None
print("5 str keys:", sys.getsizeof(s), " 5 int keys:", sys.getsizeof(i))
d = {'a': 1}
print("{'a': 1}:", sys.getsizeof(d))
d[1] = 2
print("after d[1] = 2:", sys.getsizeof(d), "(converted to general, resized to 16 slots)")
e = {'a': 1, 'b': 2, 'c': 3}
del e['a']
del e['b']
print("after 2 deletes:", sys.getsizeof(e), len(e), "- deleting gives no memory back")
print("insertion order:", list({'b': 1, 'a': 2, 'c': 3}))
