print('' % dict)
