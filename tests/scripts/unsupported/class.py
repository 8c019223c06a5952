# expect: class definition
# at: 3:1
class A:
    pass
