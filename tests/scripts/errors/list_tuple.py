print([] + ())
