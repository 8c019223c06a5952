//! `str` against python3: `sys.getsizeof`, and the fields read with `ctypes` at our offsets
//! (`length`, `hash` before and after hashing, the `state` bits, `wstr`/`wstr_length`,
//! `utf8`, the data and its NUL), singletons, and `repr`.

mod common;

use common::{Rng, assert_python_311, hex_lines, python_io};
use pylayout::types::ops;
use pylayout::types::str::{
    HASH_OFFSET, LENGTH_OFFSET, PyStr, STATE_OFFSET, WSTR_LENGTH_OFFSET, WSTR_OFFSET,
};

fn strings() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "a",
        "é",
        "ÿ",
        "Ā",
        "中",
        "😀",
        "ab",
        "it's",
        "a\"b'c",
        "\n\t\\",
        "\u{7f}\u{80}\u{ad}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rng = Rng(3);
    let ranges: [(u32, u32); 5] = [
        (0x20, 0x7f),
        (0x0, 0x100),
        (0x20, 0x3000),
        (0x100, 0xd800),
        (0x20, 0x1_1000),
    ];
    for k in 0..300 {
        let (lo, hi) = ranges[k % 5];
        let len = (rng.next() % 30) as usize;
        v.push(
            (0..len)
                .filter_map(|_| char::from_u32(lo + (rng.next() % u64::from(hi - lo)) as u32))
                .collect(),
        );
    }
    v
}

#[test]
fn strings_match_python_memory() {
    assert_python_311();
    let strs = strings();
    let input = hex_lines(&strs);
    let code = format!(
        "import sys, ctypes\n\
         def rd(t, a): return t.from_address(a).value\n\
         for line in sys.stdin:\n    \
             s = bytes.fromhex(line.strip()).decode('utf-8')\n    \
             a = id(s)\n    \
             st = rd(ctypes.c_uint8, a + {STATE_OFFSET})\n    \
             kind = (st >> 2) & 7\n    \
             ascii = (st >> 6) & 1\n    \
             h0 = rd(ctypes.c_ssize_t, a + {HASH_OFFSET})\n    \
             h = hash(s)\n    \
             h1 = rd(ctypes.c_ssize_t, a + {HASH_OFFSET})\n    \
             wstr = rd(ctypes.c_void_p, a + {WSTR_OFFSET}) or 0\n    \
             data = a + (48 if ascii else 72)\n    \
             extra = '-' if ascii else '%d %d %d' % (rd(ctypes.c_void_p, a + 56) or 0, rd(ctypes.c_ssize_t, a + {WSTR_LENGTH_OFFSET}), wstr == data)\n    \
             raw = ctypes.string_at(data, (len(s) + 1) * kind).hex()\n    \
             print(sys.getsizeof(s), rd(ctypes.c_ssize_t, a + {LENGTH_OFFSET}), st & 0xff, kind, h0 if len(s) > 1 or (len(s) == 1 and ord(s) > 255) else 'static', h, h1, wstr != 0, extra, raw, repr(s))\n"
    );
    let (out, _) = python_io(&code, &input);
    assert_eq!(out.lines().count(), strs.len(), "one line per str");
    for (s, line) in strs.iter().zip(out.lines()) {
        let p = PyStr::new(s);
        let st = p.state();
        let kind = p.kind();
        let h0 = if p.is_static() {
            "static".to_string()
        } else {
            p.cached_hash().to_string()
        };
        let h = p.hash();
        let packed = (st.interned)
            | (st.kind << 2)
            | (st.compact as u32) << 5
            | (st.ascii as u32) << 6
            | (st.bit7 as u32) << 7;
        let theirs: Vec<&str> = line.split(' ').collect();
        let mut line = line.to_string();
        if p.len() == 1 {
            // Whether python3 interned a one-character singleton at start-up depends on the
            // code it compiled (compare `python3 -S`): both sides must say "not interned" or
            // "interned, mortal" (0 or 1 in the two low bits), and the other bits must match.
            let st_theirs: u32 = theirs[2].parse().unwrap();
            assert!(
                st.interned <= 1 && st_theirs & 3 <= 1,
                "{s:?}: {packed} vs {st_theirs}"
            );
            let mut cols: Vec<String> = theirs.iter().map(|c| c.to_string()).collect();
            cols[2] = ((st_theirs & !3) | st.interned).to_string();
            line = cols.join(" ");
        }
        // Read from our object, never derived from the kind: wstr, and past an ASCII
        // header utf8 (as 0 or an address), wstr_length, and whether wstr shares the data.
        let words = p.header_words();
        let w = |name: &str| {
            words
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|&(_, _, v)| v)
        };
        let wstr = w("wstr").expect("3.11 has wstr");
        let data_address = p.as_obj().id() + p.data_offset();
        let extra = match (w("utf8"), w("wstr_length")) {
            (Some(utf8), Some(wstr_length)) => {
                format!("{utf8} {wstr_length} {}", (wstr == data_address) as u8)
            }
            _ => "-".to_string(),
        };
        let mut raw: Vec<u8> = p.data().to_vec();
        raw.extend(std::iter::repeat_n(0, kind));
        let ours = format!(
            "{} {} {} {} {} {} {} {} {} {} {}",
            p.as_obj().getsizeof(),
            p.len(),
            packed,
            kind,
            h0,
            h,
            p.cached_hash(),
            if wstr != 0 { "True" } else { "False" },
            extra,
            raw.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            ops::repr(p.as_obj())
        );
        assert_eq!(ours, line, "{s:?}");
    }
    assert_eq!(out.lines().count(), strs.len());
}

#[test]
fn singletons_match_python() {
    assert_python_311();
    let (out, _) = python_io(
        "s = 'xé中'\n\
         print(s[0] is chr(120), s[1] is chr(233), s[2] is chr(0x4e2d), s[1:2] is s[1], s[0:3] is s, '' is s[3:], chr(300) is chr(300))\n",
        "",
    );
    let s = PyStr::new("xé中");
    let b = |x: bool| if x { "True" } else { "False" };
    let c = |i: i64| PyStr::from_code_point(i).unwrap();
    let ours = [
        b(s.get(0).unwrap().as_obj().is(c(120).as_obj())),
        b(s.get(1).unwrap().as_obj().is(c(233).as_obj())),
        b(s.get(2).unwrap().as_obj().is(c(0x4e2d).as_obj())),
        b(s.slice(1, 2).as_obj().is(s.get(1).unwrap().as_obj())),
        b(s.slice(0, 3).as_obj().is(s.as_obj())),
        b(PyStr::new("").as_obj().is(s.slice(3, 3).as_obj())),
        b(c(300).as_obj().is(c(300).as_obj())),
    ]
    .join(" ");
    assert_eq!(ours, out.trim());
}
