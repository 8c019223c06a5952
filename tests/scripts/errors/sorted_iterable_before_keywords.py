# builtin_sorted copies the iterable before list.sort reads the keywords (found by run_grammar,
# 20,000 programs from seed 80000).
print(sorted([3, 1], reverse=True))
sorted(5, end=1)
