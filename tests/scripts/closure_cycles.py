# A nested function that refers to itself is a reference cycle through its closure cell
# (function -> closure tuple -> cell -> function): only the collector frees it, and counts the
# function, its closure tuple, its cells, and what only they hold (defaults, a list in a
# cell). A cycle that survived a collection waits in an older generation.
import gc
def outer():
    def inner():
        return inner
    return inner
f = outer()
del f
print(gc.collect())
def fact_outer(n):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)
    return fact(n)
print(fact_outer(5), gc.get_count())
print(gc.collect())
def with_defaults():
    def rec(x=[1, 2], *, y={'a': 1}):
        return rec
    return rec
with_defaults()
print(gc.collect())
def holder():
    data = [1, 2, 3]
    def rec():
        return rec, data
    return rec
h = holder()
print(gc.collect())
del h
print(gc.collect())
def two():
    def a():
        return b
    def b():
        return a
    return a
two()
print(gc.collect())
for i in range(3):
    fact_outer(3)
print(gc.get_count(), gc.collect())
gc.set_threshold(10)
for i in range(30):
    fact_outer(3)
print(gc.get_count(), gc.get_stats()[0]['collected'], gc.get_stats()[1])
