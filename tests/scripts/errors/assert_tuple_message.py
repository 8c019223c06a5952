# assert with a non-str message: the exception holds the object itself.
assert [] , (1, 2)
