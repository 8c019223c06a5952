//! `pylayout verify`: the model checked against the interpreter on this machine.
//!
//! The chosen interpreter runs the [`probes`]; pylayout answers the same questions from its
//! profile and its own objects; every answer is one [`Check`]. A check passes when both
//! print the same text. Nothing is compared with numbers written here: the interpreter is
//! the only authority.
//!
//! | section | the interpreter | pylayout |
//! |---|---|---|
//! | `interpreter` | `sys.int_info`, `gc.get_threshold()`, `sys.hash_info` ... | the profile's constants |
//! | `allocator` | `sys._debugmallocstats()` | the allocator's geometry |
//! | `sizes`, `hashes`, `growth`, `refcounts`, `gc`, `programs` | the probe programs | the same programs in the runner |
//! | `layout` | fields read at their offsets with `ctypes` | `pylayout layout`'s fields |

pub mod interpreter;
pub mod probes;

use indexmap::IndexMap;
use serde::Serialize;

use crate::alloc;
use crate::inspect::layout::layout_depth;
use crate::object::IMMORTAL_REFCNT;
use crate::profile::{
    Profile, Py38, Py39, Py310, Py311, Py312, Py313, PyVersion, RefcountModel, StrHash,
};
use crate::script::{self, Limits, Outcome, RunOptions, Startup};
use interpreter::Interpreter;

/// One question asked of both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `interpreter`, `allocator`, `sizes`, `hashes`, `growth`, `refcounts`, `gc`,
    /// `programs` or `layout`.
    pub section: String,
    /// What is asked (`sys.getsizeof('é')`, `dict by str keys to 5,000` ...).
    pub name: String,
    /// pylayout's answer (`None`: it gave none).
    pub pylayout: Option<String>,
    /// The interpreter's answer (`None`: it gave none).
    pub python: Option<String>,
}

impl Check {
    /// Both answered, the same.
    pub fn passed(&self) -> bool {
        self.pylayout.is_some() && self.pylayout == self.python
    }
}

/// What `verify` found.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The interpreter that ran the probes.
    pub interpreter: String,
    /// Its version, `3.11.7`.
    pub python_version: String,
    /// The profile checked against it.
    pub profile: String,
    /// Whether pylayout's objects were checked too (the modelled version), or only the
    /// profile's constants and policies (the versions whose objects are not built yet).
    pub objects_checked: bool,
    /// Every check, in the order asked.
    pub checks: Vec<Check>,
}

impl Report {
    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.passed())
    }

    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.failures().next().is_none()
    }

    /// Each section with its number of checks and of failures, in order.
    pub fn sections(&self) -> Vec<(String, usize, usize)> {
        let mut out: Vec<(String, usize, usize)> = Vec::new();
        for c in &self.checks {
            if out.last().is_none_or(|(s, _, _)| *s != c.section) {
                out.push((c.section.clone(), 0, 0));
            }
            let last = out.last_mut().expect("pushed");
            last.1 += 1;
            last.2 += usize::from(!c.passed());
        }
        out
    }
}

/// Why `verify` could not compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// The interpreter could not run a probe.
    Interpreter(String),
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::Interpreter(e) => f.write_str(e),
        }
    }
}

/// Answers as `(section, name) → value`, in the order asked.
type Answers = IndexMap<(String, String), String>;

/// Runs every probe in `python` and in pylayout, and compares.
///
/// `flip` replaces one of the profile's answers before comparing (`section/name=value`):
/// the tests use it to prove that a wrong constant is reported.
pub fn verify(python: &Interpreter, flip: Option<&str>) -> Result<Report, VerifyError> {
    let mut checks = Vec::new();
    let run = |src: &str| python.run(src).map_err(VerifyError::Interpreter);

    let mut profile = profile_answers(python.version);
    if let Some(f) = flip {
        let (key, value) = f.split_once('=').unwrap_or((f, "?"));
        let (section, name) = key.split_once('/').unwrap_or(("interpreter", key));
        profile.insert((section.to_string(), name.to_string()), value.to_string());
    }
    let theirs = parse(&run(&probes::interpreter_probe())?);
    compare(&mut checks, &profile, &theirs, &["allocator"]);
    let report = |checks| Report {
        interpreter: python.program.display().to_string(),
        python_version: python.full_version.clone(),
        profile: python.version.to_string(),
        objects_checked: python.version.is_modelled(),
        checks,
    };
    let version = python.version;
    for (name, src) in probes::object_probes(version) {
        let theirs_out = run(&src)?;
        let ours_out = run_ours(version, &src);
        if let Some(program) = name.strip_prefix("program: ") {
            checks.push(Check {
                section: "programs".into(),
                name: program.to_string(),
                pylayout: ours_out.ok(),
                python: Some(theirs_out),
            });
        } else {
            let ours = match ours_out {
                Ok(text) => parse(&text),
                Err(e) => refused(&e, &parse(&theirs_out)),
            };
            compare(&mut checks, &ours, &parse(&theirs_out), &[]);
        }
    }

    if version.builds_objects() {
        checks.extend(layout_checks(python, probes::LAYOUT_EXPRS)?);
    }
    Ok(report(checks))
}

/// The fields of each expression's value, read by `ctypes` in `python` and shown by
/// `pylayout layout`, compared field by field (the fields the interpreter's reader knows).
pub fn layout_checks(python: &Interpreter, exprs: &[&str]) -> Result<Vec<Check>, VerifyError> {
    let theirs = parse(
        &python
            .run(&probes::layout_probe(exprs))
            .map_err(VerifyError::Interpreter)?,
    );
    let mut checks = Vec::new();
    let ours = layout_answers(python.version, exprs);
    compare(&mut checks, &ours, &theirs, &["layout"]);
    Ok(checks)
}

/// `section<TAB>name<TAB>value` lines.
fn parse(text: &str) -> Answers {
    text.lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            Some((
                (parts.next()?.to_string(), parts.next()?.to_string()),
                parts.next()?.to_string(),
            ))
        })
        .collect()
}

/// Every question of `theirs` answered with pylayout's refusal.
fn refused(why: &str, theirs: &Answers) -> Answers {
    theirs
        .keys()
        .map(|k| (k.clone(), format!("(no answer: {why})")))
        .collect()
}

/// One check per question either side answered, in the interpreter's order; in the
/// sections of `only_theirs`, only the questions the interpreter answered (it prints the
/// allocator's size classes that are in use).
fn compare(checks: &mut Vec<Check>, ours: &Answers, theirs: &Answers, only_theirs: &[&str]) {
    let mut keys: Vec<&(String, String)> = theirs.keys().collect();
    keys.extend(
        ours.keys()
            .filter(|k| !theirs.contains_key(*k) && !only_theirs.contains(&k.0.as_str())),
    );
    for k in keys {
        checks.push(Check {
            section: k.0.clone(),
            name: k.1.clone(),
            pylayout: ours.get(k).cloned(),
            python: theirs.get(k).cloned(),
        });
    }
}

/// The answers of `version`'s profile to the interpreter probe; for the version whose
/// objects are built, the allocator's answers are the real allocator's.
fn profile_answers(version: PyVersion) -> Answers {
    let mut a = match version {
        PyVersion::Py38 => facts::<Py38>(),
        PyVersion::Py39 => facts::<Py39>(),
        PyVersion::Py310 => facts::<Py310>(),
        PyVersion::Py311 => facts::<Py311>(),
        PyVersion::Py312 => facts::<Py312>(),
        PyVersion::Py313 => facts::<Py313>(),
    };
    if version.is_modelled() {
        let mut put = |name: &str, value: usize| {
            a.insert(("allocator".into(), name.into()), value.to_string());
        };
        put("small request threshold", alloc::SMALL_REQUEST_THRESHOLD);
        put("size classes", alloc::NB_SMALL_SIZE_CLASSES);
        put("arena size", alloc::ARENA_SIZE);
        put("pool size", alloc::POOL_SIZE);
        put("pool header", alloc::POOL_OVERHEAD);
        for class in 0..alloc::NB_SMALL_SIZE_CLASSES {
            let name = format!(
                "blocks in a pool of {}-byte blocks",
                alloc::index_to_size(class)
            );
            put(&name, alloc::blocks_per_pool(class));
        }
    }
    a
}

/// `P`'s constants and policies, as the interpreter probe asks for them.
fn facts<P: Profile>() -> Answers {
    let mut a = Answers::new();
    let mut put = |section: &str, name: &str, value: String| {
        a.insert((section.to_string(), name.to_string()), value);
    };
    let (major, minor) = P::VERSION;
    put("interpreter", "version", format!("{major}.{minor}"));
    put(
        "interpreter",
        "int bits per digit",
        P::PYLONG_SHIFT.to_string(),
    );
    put(
        "interpreter",
        "int zero digits",
        u8::from(P::INT_ZERO_HAS_DIGIT).to_string(),
    );
    let [t0, t1, t2] = P::GC_THRESHOLDS;
    put("interpreter", "gc thresholds", format!("{t0} {t1} {t2}"));
    let algorithm = match P::STR_HASH {
        StrHash::SipHash13 => "siphash13",
        StrHash::SipHash24 => "siphash24",
    };
    put("interpreter", "str hash", algorithm.to_string());
    put(
        "interpreter",
        "int max str digits",
        P::INT_MAX_STR_DIGITS.to_string(),
    );
    put(
        "interpreter",
        "str ASCII header",
        P::STR_ASCII_HEADER.to_string(),
    );
    put(
        "interpreter",
        "str compact header",
        P::STR_COMPACT_HEADER.to_string(),
    );
    let refs = match P::REFCOUNT {
        RefcountModel::Counted => "counted",
        RefcountModel::Immortal => "immortal",
    };
    put("interpreter", "references to a small int", refs.to_string());
    // A one-key dict: the dict object (48 bytes and its 16-byte GC head), then a keys object
    // of 8 slots: the header, 8 one-byte indices, 5 entries (str-only ones when the version
    // has them).
    let one_key = |entry: usize| 64 + P::DICT_KEYS_HEADER + 8 + 5 * entry;
    let str_entry = P::DICT_UNICODE_ENTRY.unwrap_or(P::DICT_GENERAL_ENTRY);
    put(
        "interpreter",
        "sys.getsizeof({'a': 1})",
        one_key(str_entry).to_string(),
    );
    put(
        "interpreter",
        "sys.getsizeof({1: 2})",
        one_key(P::DICT_GENERAL_ENTRY).to_string(),
    );
    put(
        "allocator",
        "tuple free lists (lengths 1..n)",
        P::TUPLE_NFREELISTS.to_string(),
    );
    let frozen: String = P::DEEP_FROZEN_CHARS.iter().map(|&b| b as char).collect();
    put(
        "interpreter",
        "identifier characters not the Latin-1 singleton",
        format!("[{frozen}]"),
    );
    let (alignment, pool) = (P::ALIGNMENT, 1usize << P::POOL_BITS);
    put(
        "allocator",
        "small request threshold",
        P::SMALL_REQUEST_THRESHOLD.to_string(),
    );
    put(
        "allocator",
        "size classes",
        (P::SMALL_REQUEST_THRESHOLD / alignment).to_string(),
    );
    put(
        "allocator",
        "arena size",
        (1usize << P::ARENA_BITS).to_string(),
    );
    put("allocator", "pool size", pool.to_string());
    let header = alloc::pymalloc::POOL_HEADER_SIZE.div_ceil(alignment) * alignment;
    put("allocator", "pool header", header.to_string());
    for class in 0..P::SMALL_REQUEST_THRESHOLD / alignment {
        let size = (class + 1) * alignment;
        put(
            "allocator",
            &format!("blocks in a pool of {size}-byte blocks"),
            ((pool - header) / size).to_string(),
        );
    }
    // The list's growth policy alone: capacities while appending, then popping.
    let mut caps = Vec::new();
    let mut allocated = 0;
    let mut step = |len: usize, newlen: usize, caps: &mut Vec<usize>| {
        if let Some(new) = P::list_resize(len, allocated, newlen) {
            allocated = new;
        }
        if caps.last() != Some(&allocated) {
            caps.push(allocated);
        }
    };
    for len in 0..probes::POLICY_LIST_LEN {
        step(len, len + 1, &mut caps);
    }
    let grown = caps.clone();
    caps.clear();
    for len in (1..=probes::POLICY_LIST_LEN).rev() {
        step(len, len - 1, &mut caps);
    }
    let join = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(" ");
    put("policies", "list capacities while appending", join(&grown));
    put("policies", "list capacities while popping", join(&caps));
    a
}

/// Stack for the runner's thread (the probes recurse little).
const PROBE_STACK: usize = 64 << 20;

/// `src` run by pylayout's runner as `python3 -` runs it, on a fresh runtime that follows
/// `version`.
fn run_ours(version: PyVersion, src: &str) -> Result<String, String> {
    let src = src.to_string();
    on_fresh_runtime(move || {
        crate::runtime::set_version(version);
        let mut out = Vec::new();
        let opts = RunOptions {
            limits: Limits::default(),
            startup: Some(Startup::Stdin),
        };
        let outcome = script::run(&src, &opts, &mut out, None);
        let text = String::from_utf8_lossy(&out).into_owned();
        match outcome {
            Outcome::Ok => Ok(text),
            Outcome::Exception(f) => Err(format!(
                "raised {}",
                script::format_traceback(&f, "<stdin>", &src)
                    .lines()
                    .last()
                    .unwrap_or("")
            )),
            Outcome::Refused(msg) => Err(format!("refused: {msg}")),
        }
    })
}

/// `f` on its own thread, so that it gets a fresh thread-local runtime.
fn on_fresh_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .name("pylayout-verify".into())
        .stack_size(PROBE_STACK)
        .spawn(f)
        .expect("a thread for the runner")
        .join()
        .unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// Fields pylayout shows as the interpreter's reader prints them: pointers as `NULL`/`set`,
/// floats as `repr`, a static object's count as `static`.
fn layout_answers(version: PyVersion, exprs: &[&str]) -> Answers {
    let exprs: Vec<String> = exprs.iter().map(|e| e.to_string()).collect();
    on_fresh_runtime(move || {
        crate::runtime::set_version(version);
        let mut a = Answers::new();
        for e in &exprs {
            let mut put = |name: &str, value: String| {
                a.insert(("layout".to_string(), format!("{e} {name}")), value);
            };
            let (obj, program) = match script::eval_expr(e, Limits::default()) {
                Ok(built) => built,
                Err(msg) => {
                    put("size", format!("(no answer: {msg})"));
                    continue;
                }
            };
            let l = layout_depth(&obj, 0);
            put("size", l.size.to_string());
            let empty_keys = l.blocks.iter().any(|b| !b.counted);
            let fields = l
                .fields
                .iter()
                .chain(l.blocks.iter().flat_map(|b| b.fields.iter()));
            for f in fields {
                let name = f.name.as_str();
                let v = &f.value;
                let text = if name == "ob_refcnt" && v.as_i64() == Some(IMMORTAL_REFCNT as i64) {
                    "immortal".to_string()
                } else if name == "ob_refcnt" && l.is_static {
                    "static".to_string()
                } else if name == "dk_refcnt" && empty_keys {
                    continue;
                } else if matches!(name, "ob_item" | "wstr" | "utf8" | "ma_values")
                    || name.ends_with("me_key")
                    || name.ends_with("me_value")
                {
                    if v.as_u64() == Some(0) { "NULL" } else { "set" }.to_string()
                } else if name == "ob_fval" {
                    crate::types::ops::float_repr(v.as_f64().unwrap_or(f64::NAN))
                } else {
                    match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    }
                };
                put(name, text);
            }
            drop(obj);
            drop(program);
        }
        a
    })
}
