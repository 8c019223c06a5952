# expect: f-string
# at: 4:7
x = 1
print(f"{x}")
