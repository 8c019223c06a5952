# f-strings: conversions, specs with nested fields, the = form, {{ }}, raw and concatenated
# parts, what is the same object (one str part is itself; BUILD_STRING makes a new one), and
# f"{n:=^9}", which tree-sitter reads as a walrus (issue 17).
import sys
x = 3.14159; w = 10; name = 'héllo'; n = 42; a = ''; b = chr(120); five = 5
print(f'a{x!r:>{w}.3}b{{c}}\n', f'{x=}', f"{name = :>8}", f'{n:=^9}', f'{n:=10}', f'{n:#x}|{n:08b}|{x:.2%}')
print(f'{name!a} {name!s} {name!r}', f'{[1, 2]}', f'{None}', f'{(1, "a")}', f'{{}}', f'{n}' 'plain' f'{n + 1}', rf'\d{n}', f'{{{n}}}')
print(f'{a}{b}' is chr(120), f'{b}' is chr(120), f'{five}' is chr(53), f'{five:d}' is chr(53), f'{b!s}' is chr(120), f'{a}' is a, f'' is '', f'{a}{a}' is '')
s = 'a b c'
print(f'{s}' is s, f'{s:}' is s, f'{s:3}' is s, f'{s:4}' is s, f'x{s}'[1:] is s, sys.getrefcount(f'{s}'))
print(f'{x:{w}.{3}f}|', f'{n:{"+"}{w}}', f'{"nested"!r:^{w + 4}}', f'{n!r:>5}', f'{3 * n = }')
def g():
    f'not a docstring {n}'
    return 1
print(g(), f'{g()}', f'{[f"{i}" for i in range(3)]}')
