# expect: decorator
# at: 3:1
@d
def f():
    pass
