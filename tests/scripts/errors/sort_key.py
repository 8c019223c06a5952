# list.sort and sorted with key= (builtins and def functions), reverse, stability, and what a
# key function sees: the list is empty while it is being sorted (issue 17).
import sys
words = ['pear', 'fig', 'banana', 'kiwi', 'apple', 'date']
print(sorted(words, key=len), sorted(words, key=len, reverse=True), sorted(words, key=None))
def second(p):
    return p[1]
pairs = [(1, 'b'), (2, 'a'), (3, 'b'), (4, 'a')]
print(sorted(pairs, key=second), sorted(pairs, key=second, reverse=True))
nums = [3, -1, -4, 1, 5, -9, 2, 6]
nums.sort(key=abs); print(nums)
nums.sort(key=abs, reverse=True); print(nums)
print(sorted({'b': 1, 'a': 2}, key=str), sorted('hello', key=ord), sorted([[3], [1, 2], []], key=len))
seen = []
l = [500, 300, 400]
def peek(x):
    seen.append((x, len(l), sys.getrefcount(x)))
    return -x
l.sort(key=peek)
print(l, seen, sys.getsizeof(l))
def grow(x):
    l.append(x)
    return x
l.sort(key=grow)
