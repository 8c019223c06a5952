print([3, 'a', None] <= [[1], (2,)])
