# expect: default parameter value
# at: 3:7
def f(a=1):
    return a
