# raise ... from ...: the cause first, "direct cause", then the new exception.
def parse(text):
    try:
        return int(text)
    except ValueError as e:
        raise LookupError('bad', text) from e

parse('1')
parse('x')
