//! The probes `pylayout verify` runs: Python programs whose every output line is one check,
//! `section<TAB>name<TAB>value`.
//!
//! Three kinds:
//! - [`interpreter_probe`] runs only in the real interpreter; pylayout's side of each line is
//!   a fact of the profile (the collector's thresholds, the allocator's geometry ...).
//! - [`object_probes`] run in both: in the interpreter and in pylayout's runner, on
//!   pylayout's objects. Sizes along every construction path, growth curves, hashes of every
//!   str kind, refcount rules, collector results, and a few whole programs.
//! - [`layout_probe`] runs in the interpreter and reads each expression's fields at their
//!   offsets with `ctypes`; pylayout's side is `pylayout layout EXPR`'s fields.
//!
//! The programs keep to the Python both sides run: 3.8's syntax and pylayout's subset.

use crate::profile::PyVersion;

/// Writes `s` as a Python string literal (single quotes, `\` and `'` escaped).
pub fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

const OUT: &str = "import sys, gc\n\
def out(section, name, value):\n    print(section, name, value, sep='\\t')\n";

/// The interpreter's own facts, and the allocator's geometry from `sys._debugmallocstats()`
/// (which writes to the C-level stderr, caught through a temporary file).
pub fn interpreter_probe() -> String {
    format!(
        "{OUT}POLICY_LIST_LEN = {POLICY_LIST_LEN}\n{}",
        r##"import os, re, tempfile
out('interpreter', 'version', '%d.%d' % tuple(sys.version_info[:2]))
out('interpreter', 'int bits per digit', sys.int_info.bits_per_digit)
out('interpreter', 'int zero digits', (sys.getsizeof(0) - int.__basicsize__) // sys.int_info.sizeof_digit)
out('interpreter', 'gc thresholds', ' '.join(map(str, gc.get_threshold())))
out('interpreter', 'str hash', sys.hash_info.algorithm)
out('interpreter', 'int max str digits', sys.get_int_max_str_digits() if hasattr(sys, 'get_int_max_str_digits') else 'none')
out('interpreter', 'str ASCII header', ''.__sizeof__() - 1)
out('interpreter', 'str compact header', '\u0100'.__sizeof__() - 4)
r = sys.getrefcount(7)
x = [7, 7]
out('interpreter', 'references to a small int', 'counted' if sys.getrefcount(7) - r == 2 else 'immortal')
import string
frozen = ''.join([c for c in string.ascii_letters + '_' + string.digits if eval(repr(c)) is not chr(ord(c))])
out('interpreter', 'identifier characters not the Latin-1 singleton', '[' + frozen + ']')
out('interpreter', "sys.getsizeof({'a': 1})", sys.getsizeof({'a': 1}))
out('interpreter', 'sys.getsizeof({1: 2})', sys.getsizeof({1: 2}))
def caps_while(change, l):
    caps = []
    empty = sys.getsizeof([])
    for i in range(POLICY_LIST_LEN):
        change(l)
        c = (sys.getsizeof(l) - empty) // 8
        if not caps or caps[-1] != c:
            caps.append(c)
    return ' '.join(map(str, caps))
l = []
out('policies', 'list capacities while appending', caps_while(lambda l: l.append(0), l))
out('policies', 'list capacities while popping', caps_while(lambda l: l.pop(), l))
fd, path = tempfile.mkstemp()
saved = os.dup(2)
os.dup2(fd, 2)
try:
    sys._debugmallocstats()
finally:
    sys.stderr.flush()
    os.dup2(saved, 2)
    os.close(saved)
os.close(fd)
raw = open(path).read()
os.unlink(path)
m = re.search(r"Small block threshold = (\d+), in (\d+) size classes", raw)
out('allocator', 'small request threshold', m.group(1))
out('allocator', 'size classes', m.group(2))
out('allocator', 'arena size', re.search(r"\d+ arenas \* (\d+) bytes/arena", raw).group(1))
out('allocator', 'pool size', re.search(r"\d+ unused pools \* (\d+) bytes", raw).group(1))
rows = [tuple(map(int, r)) for r in re.findall(r"^\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", raw, re.M)]
lost = int(re.search(r"# bytes lost to pool headers\s+=\s+([\d,]+)", raw).group(1).replace(',', ''))
out('allocator', 'pool header', lost // sum(r[2] for r in rows))
for cls, size, pools, used, avail in rows:
    out('allocator', 'blocks in a pool of %d-byte blocks' % size, (used + avail) // pools)
out('allocator', 'tuple free lists (lengths 1..n)', len(re.findall(r"free \d+-sized PyTupleObjects", raw)))
"##
    )
}

/// How long a list the policy checks grow (and then empty).
pub const POLICY_LIST_LEN: usize = 10_000;

/// Expressions whose `sys.getsizeof` is checked: every type, and each constructor that sizes
/// its result its own way.
pub const SIZE_EXPRS: &[&str] = &[
    "0",
    "False",
    "True",
    "1",
    "-1",
    "2 ** 30",
    "2 ** 60",
    "-2 ** 70",
    "1.5",
    "''",
    "'a'",
    "'ab'",
    "'é'",
    "'中'",
    "'😀'",
    "'abc' * 10",
    "'héllo' + '中'",
    "str(12345)",
    "[]",
    "[1, 2, 3]",
    "[0] * 5",
    "list(range(3))",
    "list(range(7))",
    "[i for i in range(9)]",
    "list(i for i in range(6))",
    "'a b c d e'.split()",
    "list({'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5})",
    "sorted(range(5))",
    "[1, 2] + [3]",
    "()",
    "(1,)",
    "(1, 2, 3)",
    "tuple(range(25))",
    "{}",
    "dict()",
    "{'a': 1}",
    "dict(a=1)",
    "{1: 2}",
    "dict.fromkeys(range(6))",
    "dict.fromkeys('abcdefghij')",
    "{i: i for i in range(20)}",
    "{'k' + str(i): i for i in range(7)}",
    "'a,b,c'.split(',')",
    "'a  b'.split()",
    "'abcabc'.split('bc')",
    "'a b'.split(None, 100)",
    "'a,b,c'.rsplit(',')",
    "list('abcdef')",
    "list((1, 2, 3))",
    "[x for x in 'abc']",
    "'x'.join(['a', 'b'])",
    "str(1.5)",
    "repr([1])",
    "'ABC'.lower()",
    "list(map(str, range(4)))",
    "list(zip([1, 2], [3, 4]))",
    "list(reversed([1, 2, 3]))",
    "list(enumerate('ab'))",
    "[1, 2, 3] * 2",
    "[1, 2, 3][:2]",
    "list(dict.fromkeys('ab').items())",
    "list({1: 2, 3: 4}.values())",
    "list({1: 2}.keys())",
    "list(iter({1: 2, 3: 4}))",
    "sorted({'b': 1, 'a': 2})",
    "sorted('hello')",
    "'  a  '.strip()",
    "tuple([1, 2])",
    "{1: 2}.copy()",
    "dict({'a': 1})",
    "dict([(1, 2), (3, 4)])",
    "'abc'[::-1]",
    "2 ** 100",
    "10 ** 20 // 3",
    "int('12345678901234567890')",
];

/// Expressions whose `hash` is checked: str of every kind (SipHash of the PEP 393 data),
/// ints, floats, tuples.
pub const HASH_EXPRS: &[&str] = &[
    "''",
    "'a'",
    "'abc'",
    "'abcdefgh'",
    "'é'",
    "'héllo'",
    "'中文'",
    "'😀 x'",
    "'a' * 100",
    "0",
    "-1",
    "2 ** 61 - 1",
    "2 ** 100",
    "-2 ** 100",
    "1.5",
    "0.1",
    "-0.0",
    "1e300",
    "True",
    "()",
    "(1, 2, 'a')",
    "((1, 2), 3.5)",
];

/// Growth curves, as a program both sides run.
const GROWTH: &str = r#"def curve(sizes):
    seq = []
    last = -1
    for n, s in sizes:
        if s != last:
            seq.append(str(n) + ':' + str(s))
            last = s
    return ' '.join(seq)
l = []
pts = []
for i in range(10000):
    l.append(i)
    pts.append((len(l), sys.getsizeof(l)))
out('growth', 'list.append to 10,000', curve(pts))
l = list(range(1000))
pts = []
while l:
    l.pop()
    pts.append((len(l), sys.getsizeof(l)))
out('growth', 'list.pop from 1,000', curve(pts))
l = []
pts = []
for i in range(300):
    l.insert(0, i)
    pts.append((len(l), sys.getsizeof(l)))
out('growth', 'list.insert(0, x) to 300', curve(pts))
d = {}
pts = []
for i in range(5000):
    d['k' + str(i)] = i
    pts.append((len(d), sys.getsizeof(d)))
out('growth', 'dict by str keys to 5,000', curve(pts))
d = {}
pts = []
for i in range(5000):
    d[i] = i
    pts.append((len(d), sys.getsizeof(d)))
out('growth', 'dict by int keys to 5,000', curve(pts))
d = dict.fromkeys(range(100))
pts = []
for i in range(100):
    del d[i]
    d[i + 1000] = i
    pts.append((i + 1, sys.getsizeof(d)))
out('growth', 'dict: delete one, insert one, 100 times', curve(pts))
"#;

/// Refcount rules: a program both sides run (immortal small ints from 3.12).
const REFS: &str = r#"x = []
out('refcounts', 'a new list bound to a name', sys.getrefcount(x))
a = [x, x]
out('refcounts', '+ held twice by a list', sys.getrefcount(x))
t = (x,)
out('refcounts', '+ held by a tuple', sys.getrefcount(x))
d = {'k': x, 'j': x}
out('refcounts', '+ held twice by a dict', sys.getrefcount(x))
del a, t
out('refcounts', '- the list and the tuple deleted', sys.getrefcount(x))
r = sys.getrefcount(7)
y = [7, 7, 7]
out('refcounts', 'a small int in a list three times', sys.getrefcount(7) - r)
s = 'no such ' + 'string before'
out('refcounts', 'a new str', sys.getrefcount(s))
"#;

/// The collector: a program both sides run (3.11 only: it depends on the start-up state and
/// the collector's timing, which the runner models for 3.11).
const GC: &str = r#"gc.collect()
a = []
a.append(a)
del a
out('gc', 'a list holding itself: collect()', gc.collect())
a = {}
b = {}
a['b'] = b
b['a'] = a
del a, b
out('gc', 'two dicts holding each other: collect()', gc.collect())
a = [[], []]
a[0].append(a[1])
a[1].append(a[0])
a.append(a)
del a
out('gc', 'three lists in a cycle with a tuple-free tail: collect()', gc.collect())
gc.collect()
c0 = gc.get_count()[0]
z = [[] for i in range(10)]
out('gc', 'eleven lists made: generation 0 count', gc.get_count()[0] - c0)
del z
gc.collect()
l = []
prev = gc.get_count()[0]
n = -1
for i in range(5000):
    l.append([])
    c = gc.get_count()[0]
    if c < prev:
        n = len(l)
        break
    prev = c
out('gc', 'appending new lists: length at the first automatic collection', n)
out('gc', 'collections per generation after it', ' '.join([str(s['collections']) for s in gc.get_stats()]))
"#;

/// Whole programs whose output is one check each: what a learner's snippet shows.
pub const PROGRAMS: &[(&str, &str)] = &[
    (
        "dict order, deletion and views",
        "d = {'b': 1, 'a': 2}\nd['c'] = 3\ndel d['b']\nd['b'] = 4\nprint(d, list(d.items()))\n\
         print(sorted(d), max(d.values()), len(d))\n",
    ),
    (
        "str methods and formatting",
        "s = 'Hello, wörld'\nprint(s.upper(), s.split(', '), s[::-1], s.find('w'))\n\
         print(f'{3.14159:.2f} {42:>5} {\"x\"!r}', repr(s.encode if False else s))\n\
         print(','.join(str(i * i) for i in range(6)), 'ab' * 3)\n",
    ),
    (
        "int and float arithmetic",
        "print(2 ** 100, -7 // 2, -7 % 2, 7 / 2, 0.1 + 0.2, 1e16, 1 / 3)\n\
         print(divmod(-17, 5), round(2.675, 2), int('  -42 '), float('1e-5'), 10 ** 20 // 3)\n",
    ),
    (
        "exceptions caught",
        "for f in [lambda: 1 / 0, lambda: [][1], lambda: {}['k'], lambda: int('x'), lambda: None + 1]:\n\
         \x20   try:\n        f()\n    except Exception as e:\n        print(type(e).__name__, e)\n",
    ),
];

/// The programs both sides run for `version`, each a name and its source: the hashes (for
/// every version: pylayout's hash functions follow each one); sizes, growth and refcounts
/// for the versions whose objects are built; the collector and [`PROGRAMS`] (whose output
/// becomes one line each) for the version whose scripts run as the interpreter runs them.
pub fn object_probes(version: PyVersion) -> Vec<(String, String)> {
    let mut sizes = OUT.to_string();
    for e in SIZE_EXPRS {
        sizes.push_str(&format!(
            "out('sizes', {}, sys.getsizeof({e}))\n",
            py_str(e)
        ));
    }
    let mut hashes = OUT.to_string();
    for e in HASH_EXPRS {
        hashes.push_str(&format!("out('hashes', {}, hash({e}))\n", py_str(e)));
    }
    if !version.builds_objects() {
        return vec![("hashes".to_string(), hashes)];
    }
    let mut all = vec![
        ("sizes".to_string(), sizes),
        ("hashes".to_string(), hashes),
        ("growth".to_string(), format!("{OUT}{GROWTH}")),
    ];
    all.push(("refcounts".to_string(), format!("{OUT}{REFS}")));
    if version.is_modelled() {
        all.push(("gc".to_string(), format!("{OUT}{GC}")));
        for (name, src) in PROGRAMS {
            all.push((format!("program: {name}"), src.to_string()));
        }
    }
    all
}

/// Expressions whose fields are read with `ctypes` and compared one by one. Not here: `None`,
/// `True` and `False`, whose 3.11 counts are the interpreter's running totals (not statics
/// at 10⁹), and identifier-like constants that a start-up module already interned as a
/// static string (`'abc'`, the module's name), which pylayout does not hold yet.
pub const LAYOUT_EXPRS: &[&str] = &[
    "[1, 2, 3]",
    "[]",
    "list(range(5))",
    "[0] * 7",
    "[i for i in range(9)]",
    "(1000, [1])",
    "'abcq'",
    "'héllo'",
    "'中文'",
    "'😀 x'",
    "'abc' + 'é'",
    "{}",
    "{'a': 1, 'b': 2, 'c': 3}",
    "{1: 'a', 2: 'b'}",
    "dict.fromkeys('abcdefghij')",
    "{(1, 2): 3, 'x': 4}",
    "1000",
    "-2 ** 70",
    "1.5",
    "0",
    "1",
    "-5",
    "2 ** 30",
    "()",
    "''",
    "'a'",
    "'g'",
    "'é'",
    "'ÿ'",
    "'a b'",
    "'ab' + 'cd'",
    "'xyz'.upper()",
    "'Ā'",
    "'Ā' * 3",
    "str(12345)",
    "('a', 'é', 1)",
];

/// Reads `x`'s fields at their offsets with ctypes (3.11's, or 3.12's for 3.12 and later),
/// printing `layout<TAB>EXPR FIELD<TAB>value` in the names pylayout's layout uses. Pointers
/// print as `NULL`/`set`; a count reads `immortal` (2³² − 1, 3.12+) or `static` (a 3.11
/// static, 10⁹ and up).
const READER: &str = r#"import ctypes
V312 = sys.version_info >= (3, 12)
def ssize(a): return ctypes.c_ssize_t.from_address(a).value
def u8(a): return ctypes.c_uint8.from_address(a).value
def i8(a, w): return {1: ctypes.c_int8, 2: ctypes.c_int16, 4: ctypes.c_int32, 8: ctypes.c_int64}[w].from_address(a).value
def ptr(a): return 'NULL' if ctypes.c_void_p.from_address(a).value is None else 'set'
def read(expr):
    f = {}
    a = id(x)
    r = ssize(a)
    f['ob_refcnt'] = 'immortal' if r == 2 ** 32 - 1 else 'static' if r > 10 ** 8 else r
    t = type(x).__name__
    if t in ('int', 'bool'):
        n = ssize(a + 16)
        if V312:
            f['lv_tag'] = n
            nd = n >> 3
        else:
            f['ob_size'] = n
            nd = abs(n)
        for k in range(max(nd, 1)):
            f['ob_digit[%d]' % k] = ctypes.c_uint32.from_address(a + 24 + 4 * k).value
    elif t == 'float':
        f['ob_fval'] = repr(ctypes.c_double.from_address(a + 16).value)
    elif t == 'list':
        f['ob_size'] = ssize(a + 16)
        f['ob_item'] = ptr(a + 24)
        f['allocated'] = ssize(a + 32)
    elif t == 'tuple':
        f['ob_size'] = ssize(a + 16)
    elif t == 'str':
        f['length'] = ssize(a + 16)
        f['hash'] = ssize(a + 24)
        st = ctypes.c_uint32.from_address(a + 32).value
        f['state.interned'] = st & 3
        f['state.kind'] = (st >> 2) & 7
        f['state.compact'] = (st >> 5) & 1
        f['state.ascii'] = (st >> 6) & 1
        f['state.statically_allocated' if V312 else 'state.ready'] = (st >> 7) & 1
        if not V312:
            f['wstr'] = ptr(a + 40)
        if not (st >> 6) & 1:
            at = 40 if V312 else 48
            f['utf8_length'] = ssize(a + at)
            f['utf8'] = ptr(a + at + 8)
            if not V312:
                f['wstr_length'] = ssize(a + 64)
    elif t == 'dict':
        f['ma_used'] = ssize(a + 16)
        f['ma_values'] = ptr(a + 40)
        k = ctypes.c_void_p.from_address(a + 32).value
        log2 = u8(k + 8)
        if log2:
            f['dk_refcnt'] = ssize(k)
        f['dk_log2_size'] = log2
        f['dk_log2_index_bytes'] = u8(k + 9)
        kind = u8(k + 10)
        f['dk_kind'] = kind
        f['dk_usable'] = ssize(k + 16)
        f['dk_nentries'] = ssize(k + 24)
        ib = 1 << u8(k + 9)
        w = ib >> log2
        for i in range(1 << log2):
            f['dk_indices[%d]' % i] = i8(k + 32 + w * i, w)
        usable = ((1 << log2) << 1) // 3
        es = 16 if kind else 24
        base = k + 32 + ib
        for i in range(usable):
            e = base + es * i
            if kind:
                f['dk_entries[%d].me_key' % i] = ptr(e)
                f['dk_entries[%d].me_value' % i] = ptr(e + 8)
            else:
                if ctypes.c_void_p.from_address(e + 8).value is not None:
                    f['dk_entries[%d].me_hash' % i] = ssize(e)
                f['dk_entries[%d].me_key' % i] = ptr(e + 8)
                f['dk_entries[%d].me_value' % i] = ptr(e + 16)
    f['size'] = sys.getsizeof(x)
    for name, v in f.items():
        out('layout', expr + ' ' + name, v)
"#;

/// The `ctypes` reader applied to each expression (the verify battery: [`LAYOUT_EXPRS`]), bound to the global `x` as
/// `pylayout layout` binds it.
pub fn layout_probe(exprs: &[&str]) -> String {
    let mut src = format!("{OUT}{READER}");
    for e in exprs {
        src.push_str(&format!("x = {e}\nread({})\n", py_str(e)));
    }
    src
}
