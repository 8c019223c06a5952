# The caret lines 3.11 draws: ~ under the operands and ^ under the operator; ~ under the
# value and ^ under the brackets; ^ under a call; none when the whole line raised.
def total(items):
    return items [ 3 ] + 1
try:
    (1) + ('a')  # a comment makes the line longer
except TypeError:
    try:
        x = 10 // 'a'
    except TypeError:
        print(total([1, 2]))
