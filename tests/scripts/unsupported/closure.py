# expect: closure
# at: 6:16
def outer():
    v = 1
    def inner():
        return v
    return inner
