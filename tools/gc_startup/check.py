#!/usr/bin/env python3
"""Generate random scripts in the subset, run python3 on each, compare with predict.py.

usage: python3 check.py [N] [seed] [--keep DIR] [--big]
  --big: 20..120 top-level statements per script (exercises the gen-0 threshold of 700)
"""
import random, subprocess, sys, os, collections, tempfile, json
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import predict

HEADER = "import gc\nprint(gc.get_count()[0])\n"


class Gen:
    def __init__(self, rnd, big=False):
        self.r = rnd
        self.big = big
        self.vars = ["x", "y", "z", "n", "s", "t", "lst", "d"]

    def num(self):
        r = self.r
        k = r.random()
        if k < 0.55: return str(r.choice([0, 1, 2, 3, 5, 7, 10, 42, 100, 255, 1000]))
        if k < 0.85: return r.choice(["1.5", "0.5", "2.0", "3.14", "0.0", "1e3", "2.5", "-0.0"])
        return r.choice(["True", "False", "None"])

    def const(self, depth=0):
        r = self.r
        k = r.random()
        if k < 0.5: return self.num()
        if k < 0.7: return r.choice(["'a'", "'ab'", "'hello'", "''", "\"xyz\""])
        if depth < 2 and k < 0.9:
            n = r.choice([0, 1, 2, 2, 3, 4, 5])
            items = [self.const(depth + 1) for _ in range(n)]
            if n == 1: return "(" + items[0] + ",)"
            return "(" + ", ".join(items) + ")"
        return self.num()

    def atom(self, depth, local_names):
        r = self.r
        k = r.random()
        names = local_names or self.vars
        if k < 0.35: return r.choice(names)
        if k < 0.7: return self.const()
        return self.expr(depth + 1, local_names)

    def expr(self, depth=0, local_names=None):
        r = self.r
        if depth > 2:
            return self.const() if r.random() < 0.5 else r.choice(local_names or self.vars)
        k = r.random()
        a = lambda: self.atom(depth + 1, local_names)
        if k < 0.18: return "%s %s %s" % (a(), r.choice(["+", "-", "*", "+", "*"]), a())
        if k < 0.26: return "(%s %s %s)" % (a(), r.choice(["<", ">", "==", "!=", "<=", "in", "not in"]), a())
        if k < 0.36:
            n = r.choice([0, 1, 2, 3, 4, 5])
            return "[" + ", ".join(a() for _ in range(n)) + "]"
        if k < 0.44:
            n = r.choice([1, 2, 3, 4])
            return "(" + ", ".join(a() for _ in range(n)) + ("," if n == 1 else "") + ")"
        if k < 0.52:
            n = r.choice([0, 1, 2, 3])
            keys = [r.choice(["'k%d'" % i, str(i), "%s" % self.num(), r.choice(local_names or self.vars)]) for i in range(n)]
            return "{" + ", ".join("%s: %s" % (kk, a()) for kk in keys) + "}"
        if k < 0.62:
            f = r.choice(["len", "print", "list", "tuple", "dict", "range", "id", "sys.getsizeof",
                          "sys.getrefcount", "gc.collect", "gc.get_count", "abs", "str", "int", "float"])
            if f in ("gc.collect", "gc.get_count"): return f + "()"
            if f == "dict" and r.random() < 0.3:
                return "dict(a=%s, b=%s)" % (a(), a())
            if f == "print" and r.random() < 0.3:
                return "print(%s, end='')" % a()
            if f == "range": return "range(%s)" % r.choice(["3", "n", "10", "len(lst)", "2, 8", "0, 10, 2"])
            return "%s(%s)" % (f, a())
        if k < 0.68:
            if r.random() < 0.5:
                return "%s[%s]" % (r.choice(["lst", "t", "s", "d"]), r.choice(["0", "1", "-1", "x", "1:3", ":2", "::2", "'k0'", "1.5"]))
            return "%s[%s]" % (r.choice(["(1, 2, 3)", "[4, 5, 6]", "'abc'"]), r.choice(["0", "1", "-1", "x", "1:3", ":2", "::2"]))
        if k < 0.74:
            v = r.choice(["i", "j"])
            it = r.choice(["range(3)", "lst", "[1, 2, 3]", "(1.5, 2.5)", "range(n)", "t", "[x, y]"])
            cond = r.choice(["", "", " if %s > 1" % v, " if %s" % v])
            return "[%s for %s in %s%s]" % (self.expr_in(v, depth), v, it, cond)
        if k < 0.78:
            v = r.choice(["i", "k"])
            it = r.choice(["range(3)", "lst", "[1, 2, 3]", "range(n)", "'abc'"])
            return "{%s: %s for %s in %s}" % (v, self.expr_in(v, depth), v, it)
        if k < 0.83:
            return "-%s" % a()
        return a()

    def expr_in(self, v, depth):
        r = self.r
        return r.choice([v, "%s * 2" % v, "%s + 1.5" % v, "(%s, %s)" % (v, v), "[%s, 0]" % v, "%s * %s" % (v, v),
                         "(%s, 1.5)" % v, "str(%s)" % v])

    def block(self, indent, depth, in_func, local_names, loop_ok):
        n = self.r.randint(1, 3)
        return "".join(self.stmt(indent, depth, in_func, local_names) for _ in range(n))

    def stmt(self, indent="", depth=0, in_func=False, local_names=None):
        r = self.r
        ind = indent
        k = r.random()
        names = local_names or self.vars
        if k < 0.30:
            return "%s%s = %s\n" % (ind, r.choice(names), self.expr(0, local_names))
        if k < 0.38:
            return "%s%s %s %s\n" % (ind, r.choice(names), r.choice(["+=", "-=", "*="]), self.atom(1, local_names))
        if k < 0.44:
            return "%s%s\n" % (ind, self.expr(0, local_names))
        if k < 0.48:
            return "%sprint(%s)\n" % (ind, self.expr(1, local_names))
        if k < 0.51:
            return "%sdel %s\n" % (ind, r.choice(names + ["lst[0]", "d['k0']"]))
        if k < 0.54:
            return "%s%s[%s] = %s\n" % (ind, r.choice(["lst", "d"]), r.choice(["0", "'k1'", "x"]), self.atom(1, local_names))
        if k < 0.56:
            return "%simport sys\n" % ind
        if depth < 2 and k < 0.64:
            s = "%sif %s:\n" % (ind, self.expr(1, local_names)) + self.block(ind + "    ", depth + 1, in_func, local_names, False)
            if r.random() < 0.4:
                s += "%selse:\n" % ind + self.block(ind + "    ", depth + 1, in_func, local_names, False)
            return s
        if depth < 2 and k < 0.70:
            v = r.choice(["i", "j"])
            s = "%sfor %s in %s:\n" % (ind, v, r.choice(["range(3)", "[1, 2, 3]", "lst", "(1, 2)", "range(n)", "'ab'", "[0.5, 1.5]"]))
            return s + self.block(ind + "    ", depth + 1, in_func, local_names, True)
        if depth < 2 and k < 0.74:
            v = r.choice(names)
            s = "%s%s = 0\n%swhile %s < %s:\n%s    %s += 1\n" % (ind, v, ind, v, r.choice(["3", "2", "5"]), ind, v)
            return s + self.block(ind + "    ", depth + 1, in_func, local_names, True)
        if in_func and k < 0.80:
            return "%sreturn %s\n" % (ind, self.expr(1, local_names))
        if not in_func and depth == 0 and k < 0.86:
            fname = r.choice(["f", "g", "h", "add", "work"])
            params = r.sample(["a", "b", "c", "p"], r.randint(0, 3))
            loc = params + ["r", "q"]
            body = self.block("    ", 1, True, loc, False)
            if r.random() < 0.6:
                body += "    return %s\n" % self.expr(1, loc)
            s = "def %s(%s):\n%s" % (fname, ", ".join(params), body)
            if r.random() < 0.5:
                s += "%s = %s(%s)\n" % (r.choice(self.vars), fname, ", ".join(self.atom(2, None) for _ in params))
            return s
        if k < 0.9:
            return "%spass\n" % ind
        return "%s%s = %s\n" % (ind, r.choice(names), self.const())

    def script(self):
        r = self.r
        n = r.choice([0, 1, 1, 2, 3, 4, 5, 6, 8, 10, 14])
        if self.big:
            n = r.choice([20, 40, 60, 90, 120])
        body = "".join(self.stmt() for _ in range(n))
        return HEADER + body


def run_real(path):
    try:
        p = subprocess.run(["python3", path], capture_output=True, text=True, timeout=5)
        out = p.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
    first = out.split("\n", 1)[0].strip()
    return int(first) if first.lstrip("-").isdigit() else None


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    N = int(args[0]) if args else 200
    seed = int(args[1]) if len(args) > 1 else 1
    keep = None
    if "--keep" in sys.argv:
        keep = sys.argv[sys.argv.index("--keep") + 1]
        os.makedirs(keep, exist_ok=True)
    rnd = random.Random(seed)
    g = Gen(rnd, big="--big" in sys.argv)
    tmpd = tempfile.mkdtemp(prefix="gcchk")
    errs = collections.Counter(); exact = 0; total = 0; skipped = collections.Counter(); bad = []
    for i in range(N):
        src = g.script()
        try:
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                compile(src, "s.py", "exec")
        except (SyntaxError, SyntaxWarning):
            skipped["syntax"] += 1; continue
        path = os.path.join(tmpd, "s%04d.py" % i)
        open(path, "w").write(src)
        try:
            pred, sim = predict.predict(src, path, want_sim=True)
        except NotImplementedError as e:
            skipped["unsupported: %s" % e] += 1; continue
        real = run_real(path)
        if real is None:
            skipped["no output"] += 1; continue
        total += 1
        d = pred - real
        errs[d] += 1
        if d == 0:
            exact += 1
        else:
            bad.append((i, d, src, sim.opt_raised))
            if keep:
                open(os.path.join(keep, "bad%04d.py" % i), "w").write(src)
    print("scripts run: %d   exact: %d (%.1f%%)" % (total, exact, 100.0 * exact / max(total, 1)))
    print("error distribution (pred - real):", dict(sorted(errs.items())))
    if skipped: print("skipped:", dict(skipped))
    for i, d, src, raised in bad[:5]:
        print("---- script %d: pred-real = %+d (optimizer exceptions: %d)" % (i, d, raised))
        print(src)


if __name__ == "__main__":
    main()
