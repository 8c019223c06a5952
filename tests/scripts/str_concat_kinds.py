import sys
for a in ['a', 'é', '€', '𝄞', 'ab', 'xé', 'y€', 'z𝄞']:
    for b in ['b', 'è', '₤', '𝄢', 'cd', 'wè', 'v₤', 'u𝄢']:
        t = a + b
        print(repr(t), len(t), sys.getsizeof(t), hash(t) == hash(''.join([a, b])))
