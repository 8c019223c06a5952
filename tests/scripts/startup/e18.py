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
def f41(a, b):
    c = a * 41.5 + (b, 41)[0]
    return [c for _ in range(2)]
def f42(a, b):
    c = a * 42.5 + (b, 42)[0]
    return [c for _ in range(2)]
def f43(a, b):
    c = a * 43.5 + (b, 43)[0]
    return [c for _ in range(2)]
def f44(a, b):
    c = a * 44.5 + (b, 44)[0]
    return [c for _ in range(2)]
def f45(a, b):
    c = a * 45.5 + (b, 45)[0]
    return [c for _ in range(2)]
def f46(a, b):
    c = a * 46.5 + (b, 46)[0]
    return [c for _ in range(2)]
def f47(a, b):
    c = a * 47.5 + (b, 47)[0]
    return [c for _ in range(2)]
def f48(a, b):
    c = a * 48.5 + (b, 48)[0]
    return [c for _ in range(2)]
def f49(a, b):
    c = a * 49.5 + (b, 49)[0]
    return [c for _ in range(2)]
def f50(a, b):
    c = a * 50.5 + (b, 50)[0]
    return [c for _ in range(2)]
def f51(a, b):
    c = a * 51.5 + (b, 51)[0]
    return [c for _ in range(2)]
def f52(a, b):
    c = a * 52.5 + (b, 52)[0]
    return [c for _ in range(2)]
def f53(a, b):
    c = a * 53.5 + (b, 53)[0]
    return [c for _ in range(2)]
def f54(a, b):
    c = a * 54.5 + (b, 54)[0]
    return [c for _ in range(2)]
def f55(a, b):
    c = a * 55.5 + (b, 55)[0]
    return [c for _ in range(2)]
def f56(a, b):
    c = a * 56.5 + (b, 56)[0]
    return [c for _ in range(2)]
def f57(a, b):
    c = a * 57.5 + (b, 57)[0]
    return [c for _ in range(2)]
def f58(a, b):
    c = a * 58.5 + (b, 58)[0]
    return [c for _ in range(2)]
def f59(a, b):
    c = a * 59.5 + (b, 59)[0]
    return [c for _ in range(2)]
def f60(a, b):
    c = a * 60.5 + (b, 60)[0]
    return [c for _ in range(2)]
