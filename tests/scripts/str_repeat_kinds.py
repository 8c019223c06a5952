import sys
for s in ['a', 'ab', 'é', 'éa', '€', '€x', '𝄞', 'a𝄞', '']:
    for n in [0, 1, 2, 3, 7, 64, 1000]:
        t = s * n
        print(repr(t[:12]), len(t), sys.getsizeof(t), t == ''.join([s] * n), hash(t) == hash(''.join([s] * n)))
