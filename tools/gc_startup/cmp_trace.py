"""compare predict.py's compile-phase op log with a gdb trace (per free list, in order)"""
import os, sys, collections
HERE = os.path.dirname(os.path.abspath(__file__)); sys.path.insert(0, os.path.join(HERE, "trace")); sys.path.insert(0, HERE)
from ops import ops
import predict
def seqs_trace(prefix):
    d = collections.defaultdict(list)
    for p, k, op, loc in ops(prefix):
        if p != "compile" or k.startswith("C:"): continue
        d[k].append((op.rstrip("*"), loc))
    return d
def seqs_sim(sim):
    d = collections.defaultdict(list)
    for ph, k, op, note in sim.log:
        if ph != "compile" or k == "C": continue
        d[k].append((op, note))
    return d
def compare(script, prefix, verbose=True):
    src = open(script).read()
    n, sim = predict.predict(src, script, want_sim=True)
    a = seqs_trace(prefix); b = seqs_sim(sim)
    ok = True
    for k in sorted(set(a) | set(b)):
        x = [o for o, _ in a.get(k, [])]; y = [o for o, _ in b.get(k, [])]
        if x != y:
            ok = False
            if verbose:
                print("  MISMATCH", k, "trace", len(x), "sim", len(y))
                for i in range(max(len(x), len(y))):
                    ta = a[k][i] if i < len(a.get(k, [])) else ("", "")
                    sb = b[k][i] if i < len(b.get(k, [])) else ("", "")
                    mark = "  " if ta[0] == sb[0] else "!!"
                    print("   %s %-5s %-60s | %-5s %s" % (mark, ta[0], ta[1][:60], sb[0], sb[1]))
    return n, ok
if __name__ == "__main__":
    for name in sys.argv[1:]:
        script = os.path.join(HERE, "trace", "st", "%s.py" % name)
        import subprocess
        real = int(subprocess.run(["python3", script], capture_output=True, text=True).stdout.split()[0])
        n, ok = compare(script, os.path.join(HERE, "trace", "fl", name), verbose=True)
        print(name, "real", real, "pred", n, "OPS-OK" if ok else "OPS-DIFF")
