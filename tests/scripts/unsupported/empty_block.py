# expect: expected an indented block after 'if' statement on line 3
# at: 3:
if True:
