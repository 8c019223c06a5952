print(('').pop((({},) and 0).append() and 0))
