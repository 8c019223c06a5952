# expect: complex number
# at: 3:5
z = 1j
