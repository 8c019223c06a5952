//! The version profile's facts, read back from the interpreter that is the oracle: every
//! constant of `pylayout::profile::Current` that python3 shows directly.

mod common;

use pylayout::profile::{Current, Profile, RefcountModel, StrHash};

#[test]
fn the_profile_is_the_running_python() {
    let out = common::python(
        "import sys, gc\n\
         print(sys.version_info[0], sys.version_info[1])\n\
         print(sys.int_info.bits_per_digit)\n\
         print(*gc.get_threshold())\n\
         print(sys.hash_info.algorithm)\n\
         print(sys.get_int_max_str_digits())\n\
         print(''.__sizeof__() - 1, '\\u0100'.__sizeof__() - 2 * 2)\n\
         r = sys.getrefcount(7); x = [7, 7]; print(sys.getrefcount(7) - r)\n",
    );
    let algorithm = match Current::STR_HASH {
        StrHash::SipHash13 => "siphash13",
        StrHash::SipHash24 => "siphash24",
    };
    let (major, minor) = Current::VERSION;
    let [t0, t1, t2] = Current::GC_THRESHOLDS;
    let expected = format!(
        "{major} {minor}\n{}\n{t0} {t1} {t2}\n{algorithm}\n{}\n{} {}\n{}\n",
        Current::PYLONG_SHIFT,
        Current::INT_MAX_STR_DIGITS,
        Current::STR_ASCII_HEADER,
        Current::STR_COMPACT_HEADER,
        // Two more references to a static small int: counted (3.11) or pinned (3.12+).
        match Current::REFCOUNT {
            RefcountModel::Counted => 2,
            RefcountModel::Immortal => 0,
        },
    );
    assert_eq!(out, expected);
}

#[test]
fn small_ints_and_free_lists_as_python_keeps_them() {
    // The small-int cache: the same object for -5 and 256, a new one past either end.
    let out = common::python(
        "a = -5; b = int('-5'); c = 256; d = int('256'); e = 257; f = int('257')\n\
         g = -6; h = int('-6')\n\
         print(a is b, c is d, e is f, g is h)\n",
    );
    assert_eq!(out, "True True False False\n");
    assert_eq!(
        (-Current::NSMALLNEGINTS, Current::NSMALLPOSINTS - 1),
        (-5, 256)
    );
}

#[test]
fn list_growth_is_the_profiles() {
    // The capacities a list passes through while appending, from sys.getsizeof.
    let out = common::python(
        "import sys\nl = []\ncaps = []\nfor i in range(200):\n    l.append(i)\n    \
         c = (sys.getsizeof(l) - 56) // 8\n    \
         caps.append(c) if not caps or caps[-1] != c else None\nprint(*caps)\n",
    );
    let mut caps = Vec::new();
    let mut allocated = 0;
    for len in 1..=200 {
        if let Some(new) = Current::list_resize(len - 1, allocated, len) {
            allocated = new;
        }
        if caps.last() != Some(&allocated) {
            caps.push(allocated);
        }
    }
    let ours: Vec<String> = caps.iter().map(|c| c.to_string()).collect();
    assert_eq!(out.trim(), ours.join(" "));
}

/// The exception classes the runner has: each one's base class and instance size, as
/// python3's `builtins` defines them.
#[test]
fn exception_classes_are_pythons() {
    use pylayout::error::ExcKind;
    let names: Vec<&str> = ExcKind::ALL.iter().map(|k| k.name()).collect();
    let out = common::python(&format!(
        "import builtins\nfor n in {names:?}:\n    c = getattr(builtins, n)\n    \
         print(n, c.__base__.__name__, c.__basicsize__)\n"
    ));
    let ours: String = ExcKind::ALL
        .iter()
        .map(|k| {
            format!(
                "{} {} {}\n",
                k.name(),
                k.base().map_or("object", |b| b.name()),
                k.basicsize()
            )
        })
        .collect();
    assert_eq!(ours, out);
}
