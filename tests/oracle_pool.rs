//! pymalloc geometry against the real interpreter: `pylayout pool --json` and the library's
//! constants must agree with what `sys._debugmallocstats()` of python3 (3.11) prints, for all
//! 32 size classes.

mod common;

use std::collections::BTreeMap;

use common::{assert_python_311, pylayout, python_io};
use serde_json::Value;

/// What CPython's dump says, parsed.
#[derive(Debug)]
struct Dump {
    threshold: usize,
    nclasses: usize,
    /// class -> (size, pools, in use, avail)
    rows: BTreeMap<usize, (usize, usize, usize, usize)>,
    /// `label = value` lines (labels as printed, values without commas)
    lines: Vec<(String, usize)>,
}

impl Dump {
    fn line(&self, part: &str) -> (&str, usize) {
        let (l, v) = self
            .lines
            .iter()
            .find(|(l, _)| l.contains(part))
            .unwrap_or_else(|| panic!("no line with {part:?} in the dump: {:#?}", self.lines));
        (l.as_str(), *v)
    }

    fn value(&self, label: &str) -> usize {
        self.lines
            .iter()
            .find(|(l, _)| l == label)
            .unwrap_or_else(|| panic!("no line {label:?}"))
            .1
    }
}

fn cpython_dump() -> Dump {
    assert_python_311();
    // Keep objects of every size class alive so every class has pools: bytes objects of
    // length n request 33 + n bytes.
    let code = r#"
import sys
keep = [1.5 * i for i in range(50)]
for c in range(32):
    n = (c + 1) * 16 - 33
    if n >= 2:
        keep += [b'x' * n for _ in range(5)]
sys._debugmallocstats()
"#;
    let (_, err) = python_io(code, "");
    let mut lines = err.lines();
    let first = lines.next().expect("empty dump");
    // "Small block threshold = 512, in 32 size classes."
    let words: Vec<&str> = first.split([' ', ',']).collect();
    let threshold: usize = words[4].parse().expect("threshold");
    let nclasses: usize = words[7].parse().expect("classes");
    let mut rows = BTreeMap::new();
    let mut kv = Vec::new();
    for l in lines {
        let nums: Vec<usize> = l
            .split_whitespace()
            .map(|w| w.parse::<usize>())
            .collect::<Result<_, _>>()
            .unwrap_or_default();
        if nums.len() == 5 {
            rows.insert(nums[0], (nums[1], nums[2], nums[3], nums[4]));
        } else if let Some((label, value)) = l.rsplit_once('=') {
            let v = value.trim().replace(',', "");
            if let Ok(v) = v.parse::<usize>() {
                kv.push((label.trim().to_string(), v));
            }
        }
    }
    Dump {
        threshold,
        nclasses,
        rows,
        lines: kv,
    }
}

fn our_json() -> Value {
    let out = pylayout(&["pool", "--json", "--workload", "objects", "--count", "200"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("pool --json is JSON")
}

fn u(v: &Value, key: &str) -> usize {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("missing number {key:?} in {v}")) as usize
}

#[test]
fn pool_json_geometry_matches_debugmallocstats_for_all_32_classes() {
    let dump = cpython_dump();
    let ours = our_json();

    assert_eq!(u(&ours, "small_request_threshold"), dump.threshold);
    let classes = ours["size_classes"].as_array().expect("size_classes");
    assert_eq!(classes.len(), dump.nclasses);
    assert_eq!(
        dump.rows.len(),
        32,
        "the oracle run should have pools in every class: {:?}",
        dump.rows.keys()
    );

    let pool_size = u(&ours, "pool_size");
    let header = u(&ours, "pool_header_size");
    let (mut headers, mut quant, mut alloc_bytes, mut avail_bytes) = (0, 0, 0, 0);
    for (idx, &(size, pools, in_use, avail)) in &dump.rows {
        let c = &classes[*idx];
        assert_eq!(u(c, "index"), *idx);
        assert_eq!(u(c, "size"), size, "class {idx}: block size");
        // CPython's avail = pools * NUMBLOCKS - in use, so NUMBLOCKS is exact here.
        assert_eq!((in_use + avail) % pools, 0, "class {idx}");
        assert_eq!(
            u(c, "blocks_per_pool"),
            (in_use + avail) / pools,
            "class {idx}: blocks per pool"
        );
        headers += pools * header;
        quant += pools * ((pool_size - header) % size);
        alloc_bytes += in_use * size;
        avail_bytes += avail * size;
    }
    // Sizes step by the alignment.
    assert_eq!(u(&ours, "alignment"), dump.rows[&1].0 - dump.rows[&0].0);

    // Arena and pool sizes from the labels CPython prints them in.
    let (arena_label, arena_bytes) = dump.line("bytes/arena");
    let per_arena: usize = arena_label
        .split_whitespace()
        .nth(3)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(u(&ours, "arena_size"), per_arena);
    let narenas = dump.value("# arenas allocated current");
    assert_eq!(arena_bytes, narenas * per_arena);
    let (unused_label, unused_bytes) = dump.line("unused pools");
    let words: Vec<&str> = unused_label.split_whitespace().collect();
    let (nunused, psize): (usize, usize) = (words[0].parse().unwrap(), words[4].parse().unwrap());
    assert_eq!(pool_size, psize);
    assert_eq!(unused_bytes, nunused * psize);

    // The header and quantization totals follow from our geometry and CPython's pool counts.
    assert_eq!(dump.value("# bytes lost to pool headers"), headers);
    assert_eq!(dump.value("# bytes lost to quantization"), quant);
    assert_eq!(dump.value("# bytes in allocated blocks"), alloc_bytes);
    assert_eq!(dump.value("# bytes in available blocks"), avail_bytes);
    let align = dump.value("# bytes lost to arena alignment");
    assert_eq!(align % pool_size, 0);
    assert!(align / pool_size <= narenas);

    // The radix tree's node sizes.
    assert_eq!(
        u(&ours, "bytes_lost_to_arena_map_root"),
        dump.value("# bytes lost to arena map root")
    );
    let (mid_nodes, bot_nodes) = (
        dump.value("# arena map mid nodes"),
        dump.value("# arena map bot nodes"),
    );
    assert!(mid_nodes > 0 && bot_nodes > 0);
    assert!(u(&ours, "arena_map_mid_nodes") > 0 && u(&ours, "arena_map_bot_nodes") > 0);
    assert_eq!(
        u(&ours, "bytes_lost_to_arena_map_mid") / u(&ours, "arena_map_mid_nodes"),
        dump.value("# bytes lost to arena map mid") / mid_nodes
    );
    assert_eq!(
        u(&ours, "bytes_lost_to_arena_map_bot") / u(&ours, "arena_map_bot_nodes"),
        dump.value("# bytes lost to arena map bot") / bot_nodes
    );
}

#[test]
fn our_accounting_adds_up_like_cpythons() {
    // CPython's dump: the six byte lines sum to arenas * ARENA_SIZE. Ours must too.
    let dump = cpython_dump();
    let parts = [
        "# bytes in allocated blocks",
        "# bytes in available blocks",
        "# bytes lost to pool headers",
        "# bytes lost to quantization",
        "# bytes lost to arena alignment",
    ];
    let cpy: usize =
        parts.iter().map(|p| dump.value(p)).sum::<usize>() + dump.line("unused pools").1;
    assert_eq!(cpy, dump.line("bytes/arena").1);

    let ours = our_json();
    let sum: usize = [
        "bytes_in_allocated_blocks",
        "bytes_in_available_blocks",
        "bytes_in_unused_pools",
        "bytes_lost_to_pool_headers",
        "bytes_lost_to_quantization",
        "bytes_lost_to_arena_alignment",
    ]
    .iter()
    .map(|k| u(&ours, k))
    .sum();
    assert_eq!(sum, u(&ours, "arena_bytes"));
    assert_eq!(u(&ours, "total"), u(&ours, "arena_bytes"));
    // The workload's live objects are the blocks in use (plus the float free list).
    let in_use: usize = ours["size_classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| u(c, "blocks_in_use"))
        .sum();
    assert_eq!(
        in_use,
        u(&ours["workload"], "live_objects") + u(&ours, "free_float_objects")
    );
}
