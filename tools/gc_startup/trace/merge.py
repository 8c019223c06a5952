import sys, re
GENERIC = {"_PyObject_GC_Link","gc_alloc","_PyObject_GC_New","_PyObject_GC_NewVar","PyObject_GC_Del","Py_DECREF","Py_XDECREF",
           "_PyType_AllocNoTrack","PyType_GenericAlloc","maybe_freelist_pop","maybe_freelist_push","tuple_alloc","_Py_XDECREF","_Py_DECREF"}
MODES = ["A"] + ["T%d" % k for k in range(0, 20, 3)]
def parse(path, mode):
    # returns list of gaps; each gap is list of subsegments (split by phase markers); counts list
    gaps = [[[]]]; counts = []; phases = []
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith(("START", "PHASE", "END")):
            phases.append(line)
            gaps[-1].append([]) if not line.startswith("START") else None
            continue
        head, _, fr = line.partition(" | ")
        m = re.match(r"(.*?) (\d+) \{(.*)\}$", head)
        toks, cval, kind = m.group(1).split(), int(m.group(2)), m.group(3)
        frs = []
        for x in fr.split(" < "):
            name = x.split("@")[0]
            if name in GENERIC: continue
            frs.append(re.sub(r"@[\w.]+:", ":", x))
        ctok = [t for t in toks if t.startswith("C")]
        if mode == "A":
            other = [t for t in toks if t[0] in "LD"]
        else:
            k = int(mode[1:])
            other = [t for t in toks if t[0] == "T" and k + 1 <= int(re.match(r"T(\d+)", t).group(1)) <= k + 3]
        for t in other:
            gaps[-1][-1].append((t, "", frs))
        if ctok:
            counts.append((ctok[0] + "{" + kind + "}", str(cval), frs))
            gaps.append([[]])
    return gaps, counts, phases
def merge(prefix):
    data = {m: parse(prefix + "." + m, m) for m in MODES}
    base = data["A"][1]; phases = data["A"][2]
    for m in MODES:
        c = data[m][1]
        if [x[1] for x in c] != [x[1] for x in base] or len(data[m][2]) != len(phases):
            raise SystemExit("count/phase seq mismatch in %s" % m)
    out = [("START", phases[0], [])]
    pi = 1
    for i in range(len(base) + 1):
        nsub = len(data["A"][0][i])
        for j in range(nsub):
            if j > 0:
                out.append(("PHASE", phases[pi], [])); pi += 1
            for m in MODES:
                out.extend(data[m][0][i][j])
        if i < len(base):
            out.append(base[i])
    return out
if __name__ == "__main__":
    prefix = sys.argv[1]; depth = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    for tok, c, frs in merge(prefix):
        if tok in ("PHASE", "START"): print("=====", c); continue
        print("%-28s %4s | %s" % (tok, c, " < ".join(frs[:depth])))
