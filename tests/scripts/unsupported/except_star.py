# expect: except*
# at: 5:1
try:
    pass
except* ValueError:
    pass
