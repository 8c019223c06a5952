# Setting an attribute a list has no room for.
x = []
x.y = 1
