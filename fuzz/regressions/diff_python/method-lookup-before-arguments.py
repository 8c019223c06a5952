assert (-59).startswith(base=(2 ** 53).append())
