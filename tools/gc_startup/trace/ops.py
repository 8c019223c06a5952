import sys, re
from merge import merge
FL = {"list": "L", "dict": "D"}
def ops(prefix, phase_filter=None):
    """returns list of (phase, key, op, loc) where key in L, D, T1..T20, or 'C:<kind>' for other gc objects;
    op '+' alloc/push-side? We use: 'pop' (fresh or from freelist) / 'push' (to freelist or real free) for freelist types,
    'new'/'del' for non-freelist gc objects."""
    res = []; phase = "pre"
    for tok, c, frs in merge(prefix):
        if tok == "START": continue
        if tok == "PHASE":
            phase = c.split()[1] if c.startswith("PHASE") else "end"; continue
        loc = " < ".join(frs[:4])
        m = re.match(r"([LD])([+-])1$", tok)
        if m:
            res.append((phase, m.group(1), "pop" if m.group(2) == "-" else "push", loc)); continue
        m = re.match(r"T(\d+)([+-])1$", tok)
        if m:
            res.append((phase, "T" + m.group(1), "pop" if m.group(2) == "-" else "push", loc)); continue
        m = re.match(r"C([+-])1\{(.*)\}$", tok)
        kind = m.group(2); sign = m.group(1)
        km = re.match(r"tuple(\d+)$", kind)
        if kind in FL:
            res.append((phase, FL[kind], ("pop*" if sign == "+" else "push*"), loc))
        elif km and int(km.group(1)) >= 1:
            res.append((phase, "T" + km.group(1), ("pop*" if sign == "+" else "push*"), loc))
        else:
            res.append((phase, "C:" + kind, "new" if sign == "+" else "del", loc))
    return res
if __name__ == "__main__":
    ph = sys.argv[2] if len(sys.argv) > 2 else "compile"
    for p, k, o, loc in ops(sys.argv[1]):
        if ph == "all" or p == ph:
            print("%-8s %-6s %-5s %s" % (p, k, o, loc))
