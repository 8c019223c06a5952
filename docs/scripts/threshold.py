# Generation 0 is collected inside the allocation that takes its count past
# threshold 0 (700). Each such collection adds 1 to generation 1's count; when
# that passes 10, generation 1 is collected instead, and so on up to generation 2.
import gc
gc.collect()
print('thresholds', gc.get_threshold())
keep = []
prev = gc.get_count()
for i in range(100000):
    keep.append([])
    now = gc.get_count()
    if now[0] < prev[0]:
        if len(keep) < 1000 or now == (0, 0, 1) or now == (0, 0, 0):
            print('list', len(keep), 'count', prev, '->', now)
    prev = now
