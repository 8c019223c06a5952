# expect: yield inside a try statement
# at: 5:9
def g():
    try:
        yield 1
    finally:
        print('closed')
