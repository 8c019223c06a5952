"""CPython's side of benches/gc.rs: the same graph, timed gc.collect().

Run: python3 benches/gc_cpython.py
"""
import gc
import statistics
import sys
import time

N = 1_000_000


def build(garbage):
    root = []
    for _ in range(N // 2):
        root.append([])
    if garbage:
        for _ in range(N // 4):
            a = []
            b = [a]
            a.append(b)
    return root


def measure(garbage, rounds=5):
    times = []
    for _ in range(rounds):
        root = build(garbage)
        t0 = time.perf_counter()
        n = gc.collect()
        times.append(time.perf_counter() - t0)
        if garbage:
            assert n >= N // 2, n
        del root
        gc.collect()
    return statistics.median(times)


gc.disable()
gc.collect()
print(sys.version.split()[0])
for garbage in (True, False):
    t = measure(garbage)
    print(f"{'half in garbage cycles' if garbage else 'all reachable'}: "
          f"{t * 1e3:.1f} ms, {t / (N if garbage else N // 2 + 1) * 1e9:.1f} ns per tracked object")
