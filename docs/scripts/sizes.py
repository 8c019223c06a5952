# Objects of several sizes, kept alive: which size class each request lands in.
import sys
f = float('1.5')              # 24 bytes        -> class 1 (32-byte blocks)
i = 2 ** int('60')            # 36 bytes        -> class 2 (48)
l = list()                    # 16 + 40 bytes   -> class 3 (64)
s = str(10 ** 30)             # 48 + 31 + 1     -> class 4 (80)
big = [None] * 100            # its item array: 800 bytes > 512 -> the system allocator
print(sys.getsizeof(f), sys.getsizeof(i), sys.getsizeof(l), sys.getsizeof(s), sys.getsizeof(big))
