# expect: yield
# at: 4:5
def g():
    yield 1
