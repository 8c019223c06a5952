# expect: try statement
# at: 3:1
try:
    pass
except Exception:
    pass
