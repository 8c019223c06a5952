import gc
print(gc.get_count()[0])
def f1(a, b):
    c = a * 1.5 + (b, 1)[0]
    return [c for _ in range(2)]
def f2(a, b):
    c = a * 2.5 + (b, 2)[0]
    return [c for _ in range(2)]
def f3(a, b):
    c = a * 3.5 + (b, 3)[0]
    return [c for _ in range(2)]
def f4(a, b):
    c = a * 4.5 + (b, 4)[0]
    return [c for _ in range(2)]
def f5(a, b):
    c = a * 5.5 + (b, 5)[0]
    return [c for _ in range(2)]
def f6(a, b):
    c = a * 6.5 + (b, 6)[0]
    return [c for _ in range(2)]
def f7(a, b):
    c = a * 7.5 + (b, 7)[0]
    return [c for _ in range(2)]
def f8(a, b):
    c = a * 8.5 + (b, 8)[0]
    return [c for _ in range(2)]
def f9(a, b):
    c = a * 9.5 + (b, 9)[0]
    return [c for _ in range(2)]
def f10(a, b):
    c = a * 10.5 + (b, 10)[0]
    return [c for _ in range(2)]
def f11(a, b):
    c = a * 11.5 + (b, 11)[0]
    return [c for _ in range(2)]
def f12(a, b):
    c = a * 12.5 + (b, 12)[0]
    return [c for _ in range(2)]
def f13(a, b):
    c = a * 13.5 + (b, 13)[0]
    return [c for _ in range(2)]
def f14(a, b):
    c = a * 14.5 + (b, 14)[0]
    return [c for _ in range(2)]
def f15(a, b):
    c = a * 15.5 + (b, 15)[0]
    return [c for _ in range(2)]
def f16(a, b):
    c = a * 16.5 + (b, 16)[0]
    return [c for _ in range(2)]
def f17(a, b):
    c = a * 17.5 + (b, 17)[0]
    return [c for _ in range(2)]
def f18(a, b):
    c = a * 18.5 + (b, 18)[0]
    return [c for _ in range(2)]
def f19(a, b):
    c = a * 19.5 + (b, 19)[0]
    return [c for _ in range(2)]
def f20(a, b):
    c = a * 20.5 + (b, 20)[0]
    return [c for _ in range(2)]
def f21(a, b):
    c = a * 21.5 + (b, 21)[0]
    return [c for _ in range(2)]
def f22(a, b):
    c = a * 22.5 + (b, 22)[0]
    return [c for _ in range(2)]
def f23(a, b):
    c = a * 23.5 + (b, 23)[0]
    return [c for _ in range(2)]
def f24(a, b):
    c = a * 24.5 + (b, 24)[0]
    return [c for _ in range(2)]
def f25(a, b):
    c = a * 25.5 + (b, 25)[0]
    return [c for _ in range(2)]
def f26(a, b):
    c = a * 26.5 + (b, 26)[0]
    return [c for _ in range(2)]
def f27(a, b):
    c = a * 27.5 + (b, 27)[0]
    return [c for _ in range(2)]
def f28(a, b):
    c = a * 28.5 + (b, 28)[0]
    return [c for _ in range(2)]
def f29(a, b):
    c = a * 29.5 + (b, 29)[0]
    return [c for _ in range(2)]
def f30(a, b):
    c = a * 30.5 + (b, 30)[0]
    return [c for _ in range(2)]
def f31(a, b):
    c = a * 31.5 + (b, 31)[0]
    return [c for _ in range(2)]
def f32(a, b):
    c = a * 32.5 + (b, 32)[0]
    return [c for _ in range(2)]
def f33(a, b):
    c = a * 33.5 + (b, 33)[0]
    return [c for _ in range(2)]
def f34(a, b):
    c = a * 34.5 + (b, 34)[0]
    return [c for _ in range(2)]
def f35(a, b):
    c = a * 35.5 + (b, 35)[0]
    return [c for _ in range(2)]
def f36(a, b):
    c = a * 36.5 + (b, 36)[0]
    return [c for _ in range(2)]
def f37(a, b):
    c = a * 37.5 + (b, 37)[0]
    return [c for _ in range(2)]
def f38(a, b):
    c = a * 38.5 + (b, 38)[0]
    return [c for _ in range(2)]
def f39(a, b):
    c = a * 39.5 + (b, 39)[0]
    return [c for _ in range(2)]
def f40(a, b):
    c = a * 40.5 + (b, 40)[0]
    return [c for _ in range(2)]
