# expect: lambda
# at: 3:5
f = lambda x: x
