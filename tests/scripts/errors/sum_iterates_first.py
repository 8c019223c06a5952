# builtin_sum_impl gets the iterator before it looks at start (found by run_grammar, 30,000
# programs from seed 200000).
sum(1.5, 'a')
