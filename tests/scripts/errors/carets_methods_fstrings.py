# A method that does not exist: the carets are under `obj.name`, not the call. An f-string's
# format error: under the whole f-string. A comprehension's frame and its caller's.
def check(values):
    assert len(values) > 3, 'too short'
try:
    [].push(1)
except AttributeError:
    try:
        s = f"{1:q} and more"
    except ValueError:
        try:
            check([1, 2])
        except AssertionError:
            squares = [v ** 2 for v in [1, 'two', 3]]
