print(str(str, None))
