# Assignment never copies: both names refer to one object.
a = 'spam' * 3
b = a
print('b = a        same object:', a is b)
a = a + '!'                   # builds a new str and rebinds a; b still has the old one
print('a = a + "!"  same object:', a is b, '  b is', b)
x = [1, 2]
y = x
x.append(3)                   # a list changes in place: y sees it
print('y after x.append(3):', y)
