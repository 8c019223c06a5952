import gdb, os
OUT = os.environ["GCT_OUT"]
MODE = os.environ.get("GCT_MODE", "A")   # A: count+list+dict ; T<k>: count + tuple numfree[k..k+5]
DEPTH = int(os.environ.get("GCT_DEPTH", "14"))
f = open(OUT, "w")
I = "_PyRuntime.interpreters.main"
def ev(e): return int(gdb.parse_and_eval(e))
def state():
    return {"C": ev(I+"->gc.generations[0].count"), "L": ev(I+"->list.numfree"), "D": ev(I+"->dict_state.numfree"),
            "T": [ev(I+"->tuple.numfree[%d]" % i) for i in range(20)]}
def fl(s):
    return "L%d D%d T%s" % (s["L"], s["D"], ",".join(map(str, s["T"])))
def frames():
    out = []
    fr = gdb.newest_frame(); i = 0
    while fr is not None and i < DEPTH:
        name = fr.name() or "??"
        sal = fr.find_sal(); loc = ""
        if sal and sal.symtab:
            loc = "%s:%d" % (os.path.basename(sal.symtab.filename), sal.line)
        out.append("%s@%s" % (name, loc)); fr = fr.older(); i += 1
    return out
gdb.execute("set pagination off"); gdb.execute("set confirm off"); gdb.execute("set breakpoint pending on")
start = gdb.Breakpoint("_PyRun_SimpleFileObject")
end = gdb.Breakpoint("gc_get_count_impl")
gdb.execute("run", to_string=True)
last = state()
f.write("START %d %s\n" % (last["C"], fl(last)))
comp = gdb.Breakpoint("_PyAST_Compile"); evb = gdb.Breakpoint("PyEval_EvalCode")
def wp(expr):
    addr = ev("&" + expr)
    return gdb.Breakpoint("*(int *)%d" % addr, gdb.BP_WATCHPOINT, gdb.WP_WRITE)
wp(I+"->gc.generations[0].count")
if MODE == "A":
    wp(I+"->list.numfree"); wp(I+"->dict_state.numfree")
else:
    k = int(MODE[1:])
    for i in range(k, min(k+3, 20)):
        wp(I+"->tuple.numfree[%d]" % i)
hc = {"comp": 0, "ev": 0}
last_c = last["C"]
while True:
    gdb.execute("continue", to_string=True)
    if end.hit_count > 0:
        s = state(); f.write("END %d %s\n" % (s["C"], fl(s))); break
    if comp.hit_count > hc["comp"]:
        hc["comp"] = comp.hit_count; s = state(); f.write("PHASE compile %d %s\n" % (s["C"], fl(s))); continue
    if evb.hit_count > hc["ev"]:
        hc["ev"] = evb.hit_count; s = state(); f.write("PHASE run %d %s\n" % (s["C"], fl(s))); continue
    s = state()
    ch = []
    if s["C"] != last["C"]: ch.append("C%+d" % (s["C"] - last["C"]))
    if s["L"] != last["L"]: ch.append("L%+d" % (s["L"] - last["L"]))
    if s["D"] != last["D"]: ch.append("D%+d" % (s["D"] - last["D"]))
    for i in range(20):
        if s["T"][i] != last["T"][i]: ch.append("T%d%+d" % (i + 1, s["T"][i] - last["T"][i]))
    last = s
    if not ch: continue
    kind = ""
    try:
        if s["C"] < last_c:
            fr = gdb.newest_frame()
            op = fr.read_var("op")
            o = op.cast(gdb.lookup_type("PyObject").pointer())
            tn = o["ob_type"]["tp_name"].string()
            if tn == "tuple":
                tn += str(int(op.cast(gdb.lookup_type("PyVarObject").pointer())["ob_size"]))
            kind = tn
        elif s["C"] > last_c:
            fr = gdb.newest_frame()
            while fr is not None:
                if fr.name() == "_PyObject_GC_NewVar":
                    kind = str(fr.read_var("tp")["tp_name"].string()) + str(int(fr.read_var("nitems"))); break
                if fr.name() in ("_PyObject_GC_New",):
                    kind = str(fr.read_var("tp")["tp_name"].string()); break
                if fr.name() in ("PyType_GenericAlloc", "_PyType_AllocNoTrack"):
                    kind = str(fr.read_var("type")["tp_name"].string()); break
                fr = fr.older()
    except Exception as e:
        kind = "?" + str(e)[:30]
    last_c = s["C"]
    f.write("%s %d {%s} | %s\n" % (" ".join(ch), s["C"], kind, " < ".join(frames())))
f.close()
gdb.execute("kill")
