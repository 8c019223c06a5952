#!/usr/bin/env python3
"""Predict gc.get_count()[0] printed at line 2 of `python3 script.py` (CPython 3.11.7, this machine).

Model: the script is
    import gc
    print(gc.get_count()[0])
    <body>
The printed value is produced by a deterministic sequence of GC-object allocations/frees and
free-list pops/pushes:
    PRE   (fixed)  _PyRun_SimpleFileObject .. start of _PyAST_Compile (incl. parser arena list)
    COMP  (script dependent) _PyAST_Compile: compiler_init, AST optimizer, symtable, codegen,
          assemble/makecode per code unit, compiler_free
    RUN   (fixed)  PyEval_EvalCode .. gc_get_count_impl ("import gc" through importlib, etc.)
Free lists (3.11): list 80, dict 80, tuple sizes 1..20 (2000 each).  A pop from an empty free
list is a real allocation (count+1); a push to a full free list is a real free (count-1).

Facts that are pure functions of the source but tedious to re-derive (the exact bytes of
co_code / co_linetable / co_exceptiontable and the co_names / co_consts / co_varnames of every
code unit) are taken from compile() of the same source ("bytecode oracle", see facts()).
Everything else (which objects are created, in which order, which are cache hits) is modelled.
"""
import ast, math, sys, json, os

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- machine state at _PyRun_SimpleFileObject
START_COUNT = 220
START_FL = {"L": 41, "D": 7}
for _i, _n in enumerate([4, 3, 2, 2, 3, 0, 8, 6, 1, 0, 1, 3, 5, 1, 2, 2, 2, 3, 1, 6]):
    START_FL["T%d" % (_i + 1)] = _n
CAP = {"L": 80, "D": 80}
for _i in range(1, 21):
    CAP["T%d" % _i] = 2000
GC_THRESHOLD0 = 700

# fixed op sequences measured with gdb (trace/), identical for every script tested.
#  'Xn>' pop from free list X, 'Xn<' push to free list X, '+' / '-' other GC object alloc / free
PRE_OPS = "+ - T2> + L> T2<"
RUN_OPS = ("+ T1> + T1< + + T1> + + + T1< - - T1> + + + T1< T1> + T2> + T2< - + + - T3> T3< - - T3> T3< "
           "+ + + + - + + D> D> T1> T1< T1> T1< - D< + - D< - - + + + - + - + - + - D> T2> + L> D< T2> T2< "
           "T2< - - - - D> D> T1> T2> T2< + D> + + + + + + + + + + + + + + + + + + D< D< T1< T3> T3< T1> + "
           "T1< - T1> + T1< - D> D> D< D< D> T1> T1< T2> T2< T3> + + - T3> T3< - D< T3< - T1< - - - - - -")


class Sim:
    def __init__(self):
        self.count = START_COUNT
        self.fl = dict(START_FL)
        self.log = []          # (phase, key, 'pop'|'push'|'new'|'del', note)
        self.phase = "pre"
        self.collections = 0

    def _inc(self):
        self.count += 1
        # 3.11 _PyObject_GC_Link (Modules/gcmodule.c ~l.2263): when gen0 count > 700 a collection runs
        # at once; gc_collect_main resets the gen-0 count to 0 before freeing anything (assumes the
        # collection finds no garbage and runs no callbacks).
        if self.count > GC_THRESHOLD0:
            self.collections += 1
            self.count = 0

    def pop(self, key, note=""):
        if key == "T0":
            return
        self.log.append((self.phase, key, "pop", note))
        if key in self.fl and key != "T20":
            # 3.11 maybe_freelist_pop() only serves size < PyTuple_MAXSAVESIZE (20), while
            # maybe_freelist_push() accepts size <= 20: size-20 tuples are pushed but never reused
            if self.fl[key] > 0:
                self.fl[key] -= 1
            else:
                self._inc()
        else:                       # tuple > 20 items: no free list
            self._inc()

    def push(self, key, note=""):
        if key == "T0":
            return
        self.log.append((self.phase, key, "push", note))
        if key in self.fl and self.fl[key] < CAP[key]:
            self.fl[key] += 1
        elif self.count > 0:
            self.count -= 1

    def new(self, note=""):
        self.log.append((self.phase, "C", "new", note)); self._inc()

    def free(self, note=""):
        self.log.append((self.phase, "C", "del", note))
        if self.count > 0:
            self.count -= 1

    def run_fixed(self, ops):
        for t in ops.split():
            if t == "+": self.new()
            elif t == "-": self.free()
            elif t.endswith(">"): self.pop(t[:-1])
            else: self.push(t[:-1])


def T(n):
    return "T%d" % n


# ---------------------------------------------------------------- constants / _PyCode_ConstantKey
class CodeRef:
    """stands for a code object constant (compares by identity)"""
    def __init__(self, co):
        self.co = co


def canon(v):
    """hashable stand-in with the equality of _PyCode_ConstantKey results"""
    if v is None: return ("None",)
    if v is Ellipsis: return ("Ellipsis",)
    if isinstance(v, bool): return ("bool", v)
    if isinstance(v, int): return ("int", v)
    if isinstance(v, float):
        if v != v: return ("nan", id(v))
        return ("float", v, math.copysign(1.0, v) < 0)
    if isinstance(v, complex): return ("complex", v.real, v.imag, math.copysign(1.0, v.real) < 0, math.copysign(1.0, v.imag) < 0)
    if isinstance(v, str): return ("str", v)
    if isinstance(v, bytes): return ("bytes", v)
    if isinstance(v, tuple): return ("tuple", tuple(canon(x) for x in v))
    if isinstance(v, CodeRef): return ("code", id(v.co))
    if hasattr(v, "co_code"): return ("code", id(v))
    if isinstance(v, frozenset): return ("frozenset", id(v))
    raise TypeError(type(v))


def key_tuple_sizes(v):
    """tuple sizes allocated by _PyCode_ConstantKey(v), in allocation order (Objects/codeobject.c 3.11)"""
    if v is None or v is Ellipsis or isinstance(v, (str, CodeRef)) or hasattr(v, "co_code"):
        return []
    if isinstance(v, bool) or isinstance(v, bytes):
        return [2]
    if isinstance(v, int):
        return []
    if isinstance(v, float):
        return [3] if (v == 0.0 and math.copysign(1.0, v) < 0) else [2]
    if isinstance(v, complex):
        # 3.11: zero real/imag with negative sign get longer keys
        re_neg = v.real == 0.0 and math.copysign(1.0, v.real) < 0
        im_neg = v.imag == 0.0 and math.copysign(1.0, v.imag) < 0
        if re_neg and im_neg: return [4]
        if re_neg or im_neg: return [3]
        return [2]
    if isinstance(v, tuple):
        out = [len(v)] if len(v) else []
        for x in v:
            out += key_tuple_sizes(x)
        return out + [2]
    raise TypeError(type(v))


class Compiler:
    def __init__(self, sim):
        self.sim = sim
        self.cache = set()       # canon keys present in c_const_cache
        self.cache_tuples = []   # tuple sizes owned by keys stored in the cache (freed in compiler_free)
        self.owned_new_tuples = []   # compiler-built const tuples (starunpack, const-key dicts, kwnames)
        self.dead_code_tuples = []   # tuple sizes owned only by unreachable code objects

    # Python/compile.c merge_consts_recursive (3.11.7 ~l.1320)
    def merge_consts_recursive(self, v, note):
        if v is None or v is Ellipsis:
            return
        sizes = key_tuple_sizes(v)
        for s in sizes:
            self.sim.pop(T(s), note + " key")
        k = canon(v)
        if k in self.cache:
            for s in sizes:
                self.sim.push(T(s), note + " key-hit")
            return "hit"
        self.cache.add(k)
        self.cache_tuples += sizes
        if isinstance(v, tuple):
            for x in v:
                self.merge_consts_recursive(x, note + " item")
        return "new"

    def add_const(self, v, note="const"):
        return self.merge_consts_recursive(v, note)

    def add_const_new(self, v, note="const_new"):
        """ADDOP_LOAD_CONST_NEW with a freshly built tuple v"""
        self.sim.pop(T(len(v)), note + " tuple")
        r = self.merge_consts_recursive(v, note)
        if r == "hit":
            self.sim.push(T(len(v)), note + " tuple-dup")
        else:
            self.owned_new_tuples.append(v)   # only owned by its cache key (+ code consts if used)

    # Python/compile.c merge_const_one (~l.7905): key; on hit free key and the object
    def merge_const_one(self, v, fresh_tuple, note):
        sizes = key_tuple_sizes(v)
        for s in sizes:
            self.sim.pop(T(s), note + " key")
        k = canon(v)
        if k in self.cache:
            for s in sizes:
                self.sim.push(T(s), note + " key-hit")
            if fresh_tuple and len(v):
                self.sim.push(T(len(v)), note + " obj-dup")
            return "hit"
        self.cache.add(k)
        self.cache_tuples += sizes
        return "new"


# ---------------------------------------------------------------- AST optimizer (Python/ast_opt.c 3.11)
MAX_INT_SIZE = 128
MAX_COLLECTION_SIZE = 256
MAX_STR_SIZE = 4096
MAX_TOTAL_ITEMS = 1024


class Unfoldable(Exception):
    pass


def _numbits(i):
    return abs(i).bit_length()


def _check_complexity(obj, limit):
    if isinstance(obj, tuple):
        limit -= len(obj)
        for x in obj:
            if limit < 0: break
            limit = _check_complexity(x, limit)
    return limit


def safe_multiply(v, w):
    if type(v) in (int, bool) and type(w) in (int, bool) and v and w:
        if _numbits(v) + _numbits(w) > MAX_INT_SIZE: raise Unfoldable
    elif type(v) in (int, bool) and isinstance(w, tuple):
        if len(w):
            n = int(v)
            if n < 0 or n > MAX_COLLECTION_SIZE // len(w): raise Unfoldable
            if n and _check_complexity(w, MAX_TOTAL_ITEMS // n) < 0: raise Unfoldable
    elif type(v) in (int, bool) and isinstance(w, (str, bytes)):
        if len(w):
            n = int(v)
            if n < 0 or n > MAX_STR_SIZE // len(w): raise Unfoldable
    elif type(w) in (int, bool) and isinstance(v, (tuple, str, bytes)):
        return safe_multiply(w, v)
    return v * w


def safe_power(v, w):
    if type(v) in (int, bool) and type(w) in (int, bool) and v and w > 0:
        vb = _numbits(v); wb = int(w)
        if vb > MAX_INT_SIZE // wb: raise Unfoldable
    return v ** w


def safe_lshift(v, w):
    if type(v) in (int, bool) and type(w) in (int, bool) and v and w:
        vb = _numbits(v); wb = int(w)
        if wb > MAX_INT_SIZE or vb > MAX_INT_SIZE - wb: raise Unfoldable
    return v << w


def safe_mod(v, w):
    if isinstance(v, (str, bytes)): raise Unfoldable
    return v % w


class Optimizer:
    """mutates a Python ast in the way astfold does; reports tuple allocations to sim.
    Folding that would raise an exception inside CPython is reported via self.raised
    (exception objects are then created and freed: not modelled exactly)."""
    def __init__(self, sim):
        self.sim = sim
        self.raised = 0

    def const(self, node, val):
        new = ast.Constant(value=val)
        ast.copy_location(new, node)
        new.end_lineno = getattr(node, "end_lineno", None); new.end_col_offset = getattr(node, "end_col_offset", None)
        return new

    def stmt_list(self, body):
        return [self.stmt(s) for s in body]

    def stmt(self, s):
        if isinstance(s, ast.FunctionDef):
            self.args(s.args)
            s.body = self.stmt_list(s.body)
            s.decorator_list = [self.expr(d) for d in s.decorator_list]
            if s.returns: s.returns = self.expr(s.returns)
        elif isinstance(s, ast.Return):
            if s.value is not None: s.value = self.expr(s.value)
        elif isinstance(s, ast.Delete):
            s.targets = [self.expr(t) for t in s.targets]
        elif isinstance(s, ast.Assign):
            s.targets = [self.expr(t) for t in s.targets]
            s.value = self.expr(s.value)
        elif isinstance(s, ast.AugAssign):
            s.target = self.expr(s.target); s.value = self.expr(s.value)
        elif isinstance(s, ast.AnnAssign):
            s.target = self.expr(s.target); s.annotation = self.expr(s.annotation)
            if s.value: s.value = self.expr(s.value)
        elif isinstance(s, ast.For):
            s.target = self.expr(s.target); s.iter = self.expr(s.iter)
            s.body = self.stmt_list(s.body); s.orelse = self.stmt_list(s.orelse)
            s.iter = self.fold_iter(s.iter)
        elif isinstance(s, ast.While):
            s.test = self.expr(s.test); s.body = self.stmt_list(s.body); s.orelse = self.stmt_list(s.orelse)
        elif isinstance(s, ast.If):
            s.test = self.expr(s.test); s.body = self.stmt_list(s.body); s.orelse = self.stmt_list(s.orelse)
        elif isinstance(s, ast.Expr):
            s.value = self.expr(s.value)
        elif isinstance(s, (ast.Import, ast.ImportFrom, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal)):
            pass
        else:
            raise NotImplementedError("stmt " + type(s).__name__)
        return s

    def args(self, a):
        a.defaults = [self.expr(d) for d in a.defaults]
        a.kw_defaults = [self.expr(d) if d is not None else None for d in a.kw_defaults]

    def comprehension(self, g):
        g.target = self.expr(g.target); g.iter = self.expr(g.iter)
        g.ifs = [self.expr(x) for x in g.ifs]
        g.iter = self.fold_iter(g.iter)

    def make_const_tuple(self, elts):
        if not all(isinstance(e, ast.Constant) for e in elts):
            return None
        val = tuple(e.value for e in elts)
        self.sim.pop(T(len(val)), "astopt tuple")
        return val

    def fold_iter(self, node):
        if isinstance(node, ast.List):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return node
            t = ast.Tuple(elts=node.elts, ctx=node.ctx)
            ast.copy_location(t, node); t.end_lineno = node.end_lineno; t.end_col_offset = node.end_col_offset
            val = self.make_const_tuple(node.elts)
            if val is None:
                return t
            return self.const(node, val)
        if isinstance(node, ast.Set):
            raise NotImplementedError("set literal")
        return node

    def expr(self, e):
        if isinstance(e, ast.BoolOp):
            e.values = [self.expr(v) for v in e.values]
        elif isinstance(e, ast.BinOp):
            e.left = self.expr(e.left); e.right = self.expr(e.right)
            return self.fold_binop(e)
        elif isinstance(e, ast.UnaryOp):
            e.operand = self.expr(e.operand)
            return self.fold_unaryop(e)
        elif isinstance(e, ast.IfExp):
            e.test = self.expr(e.test); e.body = self.expr(e.body); e.orelse = self.expr(e.orelse)
        elif isinstance(e, ast.Dict):
            e.keys = [self.expr(k) if k is not None else None for k in e.keys]
            e.values = [self.expr(v) for v in e.values]
        elif isinstance(e, ast.Set):
            e.elts = [self.expr(x) for x in e.elts]
        elif isinstance(e, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            e.elt = self.expr(e.elt)
            for g in e.generators: self.comprehension(g)
        elif isinstance(e, ast.DictComp):
            e.key = self.expr(e.key); e.value = self.expr(e.value)
            for g in e.generators: self.comprehension(g)
        elif isinstance(e, ast.Compare):
            e.left = self.expr(e.left)
            e.comparators = [self.expr(c) for c in e.comparators]
            if isinstance(e.ops[-1], (ast.In, ast.NotIn)):
                e.comparators[-1] = self.fold_iter(e.comparators[-1])
        elif isinstance(e, ast.Call):
            e.func = self.expr(e.func)
            e.args = [self.expr(a) for a in e.args]
            for k in e.keywords: k.value = self.expr(k.value)
        elif isinstance(e, ast.Attribute):
            e.value = self.expr(e.value)
        elif isinstance(e, ast.Subscript):
            e.value = self.expr(e.value); e.slice = self.expr(e.slice)
            return self.fold_subscr(e)
        elif isinstance(e, ast.Starred):
            e.value = self.expr(e.value)
        elif isinstance(e, ast.Slice):
            if e.lower: e.lower = self.expr(e.lower)
            if e.upper: e.upper = self.expr(e.upper)
            if e.step: e.step = self.expr(e.step)
        elif isinstance(e, ast.List):
            e.elts = [self.expr(x) for x in e.elts]
        elif isinstance(e, ast.Tuple):
            e.elts = [self.expr(x) for x in e.elts]
            if isinstance(e.ctx, ast.Load):
                val = self.make_const_tuple(e.elts)
                if val is not None:
                    return self.const(e, val)
        elif isinstance(e, ast.Name):
            if isinstance(e.ctx, ast.Load) and e.id == "__debug__":
                return self.const(e, True)
        elif isinstance(e, (ast.Constant,)):
            pass
        elif isinstance(e, ast.Lambda):
            self.args(e.args); e.body = self.expr(e.body)
        elif isinstance(e, ast.JoinedStr):
            e.values = [self.expr(v) for v in e.values]
        elif isinstance(e, ast.FormattedValue):
            e.value = self.expr(e.value)
            if e.format_spec: e.format_spec = self.expr(e.format_spec)
        else:
            raise NotImplementedError("expr " + type(e).__name__)
        return e

    def _result(self, node, fn):
        try:
            v = fn()
        except Unfoldable:
            return node
        except Exception:
            self.raised += 1
            return node
        return self.const(node, v)

    def fold_binop(self, e):
        if not isinstance(e.left, ast.Constant):
            return e
        lv = e.left.value
        if isinstance(e.op, ast.Mod) and isinstance(e.right, ast.Tuple) and isinstance(lv, str):
            raise NotImplementedError("str % tuple -> optimize_format")
        if not isinstance(e.right, ast.Constant):
            return e
        rv = e.right.value
        op = e.op
        def tuple_alloc_for(res):
            # tuple results: report the allocation the C code performs
            if isinstance(res, tuple):
                if isinstance(op, ast.Add):
                    if len(lv) == 0 or (isinstance(rv, tuple) and len(rv) == 0):
                        return res          # returns one operand unchanged
                    self.sim.pop(T(len(res)), "astopt tupleconcat")
                elif isinstance(op, ast.Mult):
                    t = lv if isinstance(lv, tuple) else rv
                    n = rv if isinstance(lv, tuple) else lv
                    if len(t) == 0 or n == 1 or n <= 0:
                        return res
                    self.sim.pop(T(len(res)), "astopt tuplerepeat")
            return res
        def compute():
            if isinstance(op, ast.Add): r = lv + rv
            elif isinstance(op, ast.Sub): r = lv - rv
            elif isinstance(op, ast.Mult): r = safe_multiply(lv, rv)
            elif isinstance(op, ast.Div): r = lv / rv
            elif isinstance(op, ast.FloorDiv): r = lv // rv
            elif isinstance(op, ast.Mod): r = safe_mod(lv, rv)
            elif isinstance(op, ast.Pow): r = safe_power(lv, rv)
            elif isinstance(op, ast.LShift): r = safe_lshift(lv, rv)
            elif isinstance(op, ast.RShift): r = lv >> rv
            elif isinstance(op, ast.BitOr): r = lv | rv
            elif isinstance(op, ast.BitXor): r = lv ^ rv
            elif isinstance(op, ast.BitAnd): r = lv & rv
            else: raise Unfoldable
            return tuple_alloc_for(r)
        return self._result(e, compute)

    def fold_unaryop(self, e):
        if not isinstance(e.operand, ast.Constant):
            a = e.operand
            if isinstance(e.op, ast.Not) and isinstance(a, ast.Compare) and len(a.ops) == 1:
                inv = {ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
                t = type(a.ops[0])
                if t in inv:
                    a.ops = [inv[t]()]
                    return a
            return e
        v = e.operand.value
        def compute():
            if isinstance(e.op, ast.USub): return -v
            if isinstance(e.op, ast.UAdd): return +v
            if isinstance(e.op, ast.Invert): return ~v
            if isinstance(e.op, ast.Not): return not v
        return self._result(e, compute)

    def fold_subscr(self, e):
        if not isinstance(e.ctx, ast.Load) or not isinstance(e.value, ast.Constant) or not isinstance(e.slice, ast.Constant):
            return e
        return self._result(e, lambda: e.value.value[e.slice.value])


# ---------------------------------------------------------------- compile facts (bytecode oracle)
UNIT_NODES = (ast.FunctionDef, ast.ListComp, ast.DictComp)


def nested_codes(co):
    return [c for c in co.co_consts if hasattr(c, "co_code")]


def consts_for_key(co):
    return tuple(CodeRef(c) if hasattr(c, "co_code") else c for c in co.co_consts)


class _NullSim:
    def pop(self, *a): pass
    def push(self, *a): pass


def _unit_order(opt_tree):
    cg = CodeGen(_NullSim(), Compiler(_NullSim()), None)
    cg.body(opt_tree.body)
    return cg.order


def _map_codes(opt_tree, module_code):
    """unit id -> code object, matching codegen order against each parent's co_consts"""
    order = _unit_order(opt_tree)
    res = {}
    pending = {None: list(nested_codes(module_code))}
    for node, parent in order:
        pid = None if parent is None else parent._unit_id
        if pid not in pending:
            continue                      # parent itself unresolved
        lst = pending[pid]
        name = node.name if isinstance(node, ast.FunctionDef) else ("<listcomp>" if isinstance(node, ast.ListComp) else "<dictcomp>")
        if lst and lst[0].co_name == name and lst[0].co_firstlineno == node.lineno:
            co = lst.pop(0)
            res[node._unit_id] = co
            pending[node._unit_id] = list(nested_codes(co))
    return res


class _Neutralize(ast.NodeTransformer):
    """make code that the CFG optimizer would drop reachable (for facts of dead code units)"""
    def guard(self):
        return ast.Name(id="__g_", ctx=ast.Load())
    def _fix_test(self, node):
        if isinstance(node.test, ast.Constant):
            node.test = ast.copy_location(self.guard(), node.test)
        return node
    def visit_If(self, node):
        self.generic_visit(node); return self._fix_test(node)
    def visit_While(self, node):
        self.generic_visit(node); return self._fix_test(node)
    def visit_IfExp(self, node):
        self.generic_visit(node); return self._fix_test(node)
    def visit_BoolOp(self, node):
        self.generic_visit(node)
        node.values = [ast.copy_location(self.guard(), v) if isinstance(v, ast.Constant) else v for v in node.values]
        return node
    def _wrap(self, node):
        self.generic_visit(node)
        w = ast.If(test=self.guard(), body=[node], orelse=[])
        return ast.copy_location(w, node)
    visit_Return = _wrap
    visit_Break = _wrap
    visit_Continue = _wrap


def _compile(tree, path):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(tree, path, "exec", dont_inherit=True, optimize=0)


def make_resolver(tree, path):
    """tree: fresh ast.parse() result (not yet optimized). Tags unit nodes with _unit_id."""
    import copy
    for i, n in enumerate(x for x in ast.walk(tree) if isinstance(x, UNIT_NODES)):
        n._unit_id = i
    module_code = _compile(copy.deepcopy(tree), path)
    opt = copy.deepcopy(tree)
    opt.body = Optimizer(_NullSim()).stmt_list(opt.body)
    live = _map_codes(opt, module_code)
    dead = {}
    nunits = sum(1 for x in ast.walk(tree) if isinstance(x, UNIT_NODES))
    if len(live) < nunits:
        t2 = _Neutralize().visit(copy.deepcopy(opt))
        ast.fix_missing_locations(t2)
        code2 = _compile(t2, path)
        dead = _map_codes(t2, code2)
    state = {"dead_units": 0}
    dead_codes = set()
    def resolve(node):
        uid = node._unit_id
        if uid in live:
            return live[uid]
        if uid in dead:
            state["dead_units"] += 1
            dead_codes.add(id(dead[uid]))
            return dead[uid]
        raise NotImplementedError("cannot get code facts for unit at line %d" % node.lineno)
    resolve.state = state
    resolve.is_dead = lambda co: id(co) in dead_codes
    return module_code, resolve


# ---------------------------------------------------------------- symtable / codegen walk
STACK_USE_GUIDELINE = 30


def count_blocks(tree):
    n = 1
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.DictComp,
                             ast.SetComp, ast.GeneratorExp, ast.ClassDef)):
            n += 1
    return n


BLOCK_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ListComp, ast.DictComp, ast.SetComp,
               ast.GeneratorExp, ast.ClassDef)
COMP_NODES = (ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)


def block_tree(tree):
    """symtable block nesting (children in creation order) for analyze_block"""
    def collect(n, out):
        # blocks directly nested in content node n (n itself is not a block boundary)
        for ch in ast.iter_child_nodes(n):
            if isinstance(ch, BLOCK_NODES):
                if isinstance(ch, COMP_NODES):
                    collect_expr(ch.generators[0].iter, out)   # outermost iter: parent scope
                out.append(ch)
            else:
                collect(ch, out)
    def collect_expr(e, out):
        if isinstance(e, BLOCK_NODES):
            if isinstance(e, COMP_NODES):
                collect_expr(e.generators[0].iter, out)
            out.append(e)
        else:
            collect(e, out)
    def inner(node):
        out = []
        if isinstance(node, COMP_NODES):
            g0 = node.generators[0]
            parts = [g0.target] + list(g0.ifs)
            for g in node.generators[1:]:
                parts += [g.iter, g.target] + list(g.ifs)
            parts += [node.value, node.key] if isinstance(node, ast.DictComp) else [node.elt]
            for p in parts:
                collect_expr(p, out)
        else:
            collect(node, out)
        return out
    def build(node):
        return [build(ch) for ch in inner(node)]
    return build(tree)


class CodeGen:
    def __init__(self, sim, comp, resolver):
        self.sim = sim
        self.comp = comp
        self.resolver = resolver     # node -> code object (None: dry run, only record order)
        self.order = []              # (unit node, parent unit node) in codegen order
        self.unit_stack = [None]

    # ----- scope handling
    def enter_scope(self, note):
        s = self.sim
        s.pop("D", note + " u_varnames")            # list2dict
        s.pop("D", note + " u_cellvars")            # dictbytype
        s.pop("L", note + " dictbytype keys"); s.push("L", note + " dictbytype keys")
        s.pop("D", note + " u_freevars")
        s.pop("L", note + " dictbytype keys"); s.push("L", note + " dictbytype keys")
        s.pop("D", note + " u_consts")
        s.pop("D", note + " u_names")

    def assemble_and_exit(self, co, note):
        s = self.sim; c = self.comp
        s.pop("L", note + " consts list")
        c.merge_const_one(co.co_exceptiontable, False, note + " exctable")
        c.merge_const_one(co.co_linetable, False, note + " linetable")
        c.merge_const_one(co.co_code, False, note + " bytecode")
        dead = self.resolver is not None and getattr(self.resolver, "is_dead", lambda co: False)(co)
        names = co.co_names
        if names: s.pop(T(len(names)), note + " names")
        r1 = c.merge_const_one(names, True, note + " names")
        consts = consts_for_key(co)
        if consts: s.pop(T(len(consts)), note + " consts")
        r2 = c.merge_const_one(consts, True, note + " consts")
        lpn = co.co_varnames + tuple(x for x in co.co_cellvars if x not in co.co_varnames) + co.co_freevars
        if lpn: s.pop(T(len(lpn)), note + " localsplusnames")
        r3 = c.merge_const_one(lpn, True, note + " localsplusnames")
        if dead:
            for tup, r in ((names, r1), (consts, r2), (lpn, r3)):
                if r == "new" and len(tup):
                    c.dead_code_tuples.append(len(tup))
        s.push("L", note + " consts list")
        for i in range(5):
            s.push("D", note + " unit dicts")

    def nested(self, node, body_fn, note):
        self.order.append((node, self.unit_stack[-1]))
        self.unit_stack.append(node)
        self.enter_scope(note)
        body_fn()
        co = self.resolver(node) if self.resolver else None
        if co is not None:
            self.assemble_and_exit(co, note)
        self.unit_stack.pop()
        self.comp.add_const(CodeRef(co), note + " code const")

    # ----- statements
    def body(self, stmts):
        for st in stmts:
            self.stmt(st)

    def stmt(self, s):
        if isinstance(s, ast.FunctionDef):
            assert not s.decorator_list and not s.args.defaults and not s.args.kw_defaults
            def fn():
                doc = ast.get_docstring(s, clean=False) if False else None
                first = s.body[0] if s.body else None
                start = 0
                if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                        and isinstance(first.value.value, str)):
                    self.comp.add_const(first.value.value, "docstring"); start = 1
                else:
                    self.comp.add_const(None, "docstring")
                self.body(s.body[start:])
            self.nested(s, fn, "def " + s.name)
        elif isinstance(s, ast.Return):
            if s.value is not None: self.expr(s.value)
        elif isinstance(s, ast.Delete):
            for t in s.targets: self.expr(t)
        elif isinstance(s, ast.Assign):
            self.expr(s.value)
            for t in s.targets: self.expr(t)
        elif isinstance(s, ast.AugAssign):
            t = s.target
            if isinstance(t, ast.Name): pass
            elif isinstance(t, ast.Attribute): self.expr(t.value)
            elif isinstance(t, ast.Subscript): self.expr(t.value); self.expr(t.slice)
            self.expr(s.value)
        elif isinstance(s, ast.For):
            self.expr(s.iter); self.expr(s.target); self.body(s.body); self.body(s.orelse)
        elif isinstance(s, ast.While):
            self.jump_if(s.test); self.body(s.body); self.body(s.orelse)
        elif isinstance(s, ast.If):
            self.jump_if(s.test); self.body(s.body); self.body(s.orelse)
        elif isinstance(s, ast.Expr):
            if isinstance(s.value, ast.Constant):
                return                      # constant statement ignored (NOP)
            self.expr(s.value)
        elif isinstance(s, ast.Import):
            for a in s.names:
                self.comp.add_const(0, "import level"); self.comp.add_const(None, "import fromlist")
        elif isinstance(s, (ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal)):
            pass
        else:
            raise NotImplementedError("stmt " + type(s).__name__)

    def jump_if(self, e):
        # compiler_jump_if visits sub-expressions in source order in every branch
        self.expr(e)

    # ----- expressions
    def expr(self, e):
        c = self.comp
        if isinstance(e, ast.Constant):
            c.add_const(e.value, "const")
        elif isinstance(e, ast.Name):
            pass
        elif isinstance(e, ast.BoolOp):
            for v in e.values: self.expr(v)
        elif isinstance(e, ast.BinOp):
            self.expr(e.left); self.expr(e.right)
        elif isinstance(e, ast.UnaryOp):
            self.expr(e.operand)
        elif isinstance(e, ast.IfExp):
            self.expr(e.test); self.expr(e.body); self.expr(e.orelse)
        elif isinstance(e, ast.Compare):
            self.expr(e.left)
            for x in e.comparators: self.expr(x)
        elif isinstance(e, ast.Call):
            self.expr(e.func)
            for a in e.args: self.expr(a)
            if e.keywords:
                for k in e.keywords: self.expr(k.value)
                assert all(k.arg is not None for k in e.keywords)
                c.add_const_new(tuple(k.arg for k in e.keywords), "kwnames")
        elif isinstance(e, ast.Attribute):
            self.expr(e.value)
        elif isinstance(e, ast.Subscript):
            self.expr(e.value); self.expr(e.slice)
        elif isinstance(e, ast.Slice):
            for part in (e.lower, e.upper, e.step):
                if part is not None: self.expr(part)
                elif part is not e.step: c.add_const(None, "slice none")
        elif isinstance(e, (ast.List, ast.Tuple)):
            self.starunpack(e.elts, isinstance(e, ast.Tuple), isinstance(e.ctx, ast.Load))
        elif isinstance(e, ast.Dict):
            self.dict_display(e)
        elif isinstance(e, (ast.ListComp, ast.DictComp)):
            self.comprehension(e)
        else:
            raise NotImplementedError("expr " + type(e).__name__)

    def starunpack(self, elts, is_tuple, load):
        n = len(elts)
        if load and n > 2 and all(isinstance(x, ast.Constant) for x in elts):
            self.comp.add_const_new(tuple(x.value for x in elts), "starunpack")
            return
        for x in elts: self.expr(x)

    def dict_display(self, e):
        n = len(e.values)
        elements = 0
        for i in range(n):
            if e.keys[i] is None:
                raise NotImplementedError("dict unpacking")
            if elements * 2 > STACK_USE_GUIDELINE:
                self.subdict(e, i - elements, i + 1)
                elements = 0
            else:
                elements += 1
        if elements:
            self.subdict(e, n - elements, n)

    def subdict(self, e, begin, end):
        n = end - begin
        big = n * 2 > STACK_USE_GUIDELINE
        keys = e.keys[begin:end]
        if n > 1 and not big and all(isinstance(k, ast.Constant) for k in keys):
            for v in e.values[begin:end]: self.expr(v)
            self.comp.add_const_new(tuple(k.value for k in keys), "const keys")
        else:
            for i in range(begin, end):
                self.expr(e.keys[i]); self.expr(e.values[i])

    def comprehension(self, e):
        gens = e.generators
        def fn():
            g0 = gens[0]
            self.expr(g0.target)
            for x in g0.ifs: self.expr(x)
            for g in gens[1:]:
                it = g.iter
                if isinstance(it, (ast.List, ast.Tuple)) and len(it.elts) == 1 and not isinstance(it.elts[0], ast.Starred):
                    self.expr(it.elts[0])
                else:
                    self.expr(it)
                self.expr(g.target)
                for x in g.ifs: self.expr(x)
            if isinstance(e, ast.DictComp):
                self.expr(e.key); self.expr(e.value)
            else:
                self.expr(e.elt)
        self.nested(e, fn, type(e).__name__)
        self.expr(gens[0].iter)


def live_const_canons(co):
    out = set()
    def add(v):
        if hasattr(v, "co_code"):
            for x in v.co_consts: add(x)
            return
        if isinstance(v, tuple):
            out.add(canon(v))
            for x in v: add(x)
    add(co)
    return out


def predict(src, path="<script>", want_sim=False):
    sim = Sim()
    sim.run_fixed(PRE_OPS)
    sim.phase = "compile"
    tree = ast.parse(src, path)
    co, resolver = make_resolver(tree, path)
    comp = Compiler(sim)
    # compiler_init (compile.c ~l.526/531): c_const_cache dict, c_stack list
    sim.pop("D", "c_const_cache"); sim.pop("L", "c_stack")
    # _PyAST_Optimize
    opt = Optimizer(sim)
    tree.body = opt.stmt_list(tree.body)
    # _PySymtable_Build: symtable_new (st_stack list, st_blocks dict), ste_new per block
    sim.pop("L", "st_stack"); sim.pop("D", "st_blocks")
    nblocks = count_blocks(tree)
    for i in range(nblocks):
        sim.pop("D", "ste_symbols"); sim.pop("L", "ste_varnames"); sim.pop("L", "ste_children")
    # symtable_analyze: one 'scopes' dict per block, preorder pop / postorder push
    def analyze(kids):
        sim.pop("D", "analyze scopes")
        for k in kids: analyze(k)
        sim.push("D", "analyze scopes")
    analyze(block_tree(tree))
    # compiler_mod
    cg = CodeGen(sim, comp, resolver)
    cg.enter_scope("module")
    cg.body(tree.body)
    cg.assemble_and_exit(co, "module")
    # compiler_free: symtable entries, st_blocks, st_stack, c_const_cache (+ key tuples), c_stack
    for i in range(nblocks):
        sim.push("D", "ste_symbols"); sim.push("L", "ste_varnames"); sim.push("L", "ste_children")
    sim.push("D", "st_blocks"); sim.push("L", "st_stack")
    for sz in comp.cache_tuples:
        sim.push(T(sz), "c_const_cache key")
    for sz in comp.dead_code_tuples:
        sim.push(T(sz), "unreachable code object tuples")
    live = live_const_canons(co)
    for v in comp.owned_new_tuples:
        if canon(v) not in live:
            sim.push(T(len(v)), "unused compiler-built const tuple")
    sim.push("D", "c_const_cache"); sim.push("L", "c_stack")
    sim.post_compile = dict(sim.fl); sim.post_compile_count = sim.count
    sim.phase = "run"
    sim.run_fixed(RUN_OPS)
    sim.opt_raised = opt.raised
    sim.dead_units = resolver.state["dead_units"]
    return (sim.count, sim) if want_sim else sim.count


if __name__ == "__main__":
    p = sys.argv[1]
    src = open(p, encoding="utf-8").read()
    verbose = "-v" in sys.argv
    n, sim = predict(src, p, want_sim=True)
    print(n)
    if verbose:
        print("post-compile count", sim.post_compile_count, "free lists", sim.post_compile, file=sys.stderr)
        for ph, k, op, note in sim.log:
            if ph == "compile":
                print("  %-4s %-4s %s" % (k, op, note), file=sys.stderr)
