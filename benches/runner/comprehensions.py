# List and dict comprehensions over ranges.
squares = [i * i for i in range(300000)]
evens = [x for x in squares if x % 2 == 0]
index = {i: i * 3 for i in range(200000)}
print(len(squares), len(evens), len(index), index[199999])
