# expect: star expression
# at: 3:7
print(*[1, 2])
