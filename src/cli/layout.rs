//! `pylayout layout EXPR`: build EXPR as `x = EXPR` would in CPython, then show the object.

use clap::Args;

use pylayout::alloc::BlockInfo;
use pylayout::inspect::layout::{Field, ObjectLayout, layout_depth};
use pylayout::script::{self, Limits};

use super::CliError;
use super::output::{emit, json_text, table};

/// Deepest `--depth`.
pub const MAX_DEPTH: u8 = 8;

/// The most bytes of objects one layout shows (each occurrence counted): every 8-byte slot is
/// a line, so `[0] * 10**6` would print 150 MB and take 2 GB to build.
pub const MAX_LAYOUT_BYTES: usize = 4 << 20;

/// The runner's limits for the expression: memory 16 times what a layout can show, so that
/// `'a' * 10**9` is refused at once instead of built (a gigabyte, seconds) and then refused.
pub const LAYOUT_LIMITS: Limits = Limits {
    max_memory: 16 * MAX_LAYOUT_BYTES,
    max_steps: Limits::DEFAULT.max_steps,
    recursion_limit: Limits::DEFAULT.recursion_limit,
};

/// The bytes of the objects a layout `depth` levels deep would show, stopping once past
/// `limit`.
fn layout_bytes(obj: &pylayout::object::Obj, depth: usize, limit: usize) -> usize {
    use pylayout::types::{dict::PyDict, list::PyList, tuple::PyTuple};
    let mut total = obj.getsizeof();
    if depth == 0 || total > limit {
        return total;
    }
    let refs: Vec<pylayout::object::Obj> = if let Ok(l) = PyList::from_obj(obj.clone()) {
        l.items()
    } else if let Ok(t) = PyTuple::from_obj(obj.clone()) {
        t.items()
    } else if let Ok(d) = PyDict::from_obj(obj.clone()) {
        d.items().into_iter().flat_map(|(k, v)| [k, v]).collect()
    } else {
        Vec::new()
    };
    for r in &refs {
        total += layout_bytes(r, depth - 1, limit - total.min(limit));
        if total > limit {
            break;
        }
    }
    total
}

#[derive(Debug, Args)]
pub struct LayoutArgs {
    /// The expression, in the runner's Python subset (e.g. "[1, 2, 3]", "{'a': 1}", "'héllo'")
    #[arg(allow_hyphen_values = true)]
    expr: String,
    /// How many levels of referenced objects to lay out
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(0..=MAX_DEPTH as i64))]
    depth: u8,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
    /// Hash seed, as PYTHONHASHSEED
    #[arg(long, default_value_t = 0)]
    hash_seed: u32,
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn field_value(f: &Field) -> String {
    let v = show(&f.value);
    let pointer = f.name == "ob_item"
        || f.name.starts_with("ob_item[")
        || f.name.ends_with("me_key")
        || f.name.ends_with("me_value")
        || matches!(f.name.as_str(), "ma_keys" | "ma_values" | "wstr" | "utf8");
    match (&f.value, pointer) {
        (serde_json::Value::Number(n), true) if n.as_u64() == Some(0) => "NULL".into(),
        (serde_json::Value::Number(n), true) => format!("{:#x}", n.as_u64().unwrap_or(0)),
        _ => v,
    }
}

fn fields_table(fields: &[Field]) -> String {
    let mut t = table(&["offset", "size", "field", "value"], &[0, 1]);
    for f in fields {
        t.add_row(vec![
            format!("{:+}", f.offset),
            if f.size == 0 {
                "bits".into()
            } else {
                f.size.to_string()
            },
            f.name.clone(),
            field_value(f),
        ]);
    }
    t.to_string()
}

/// Eight bytes per row: which fields fill each word of the object.
fn byte_diagram(l: &ObjectLayout) -> String {
    let mut out = String::new();
    let gc = l.gc_head as isize;
    if gc > 0 {
        out.push_str(&format!(
            "{:>6} +------------------------------------------+\n",
            -gc
        ));
        out.push_str("       | PyGC_Head: _gc_next, _gc_prev (16)       |\n");
    }
    // The object's own block: up to its last field (a list's array and a dict's keys are
    // separate blocks, shown below).
    let end = l
        .fields
        .iter()
        .map(|f| f.offset + f.size as isize)
        .max()
        .unwrap_or(16)
        .max(16);
    let end = (end + 7) / 8 * 8;
    let mut at = 0isize;
    out.push_str(&format!(
        "{:>6} +------------------------------------------+\n",
        0
    ));
    // Fields by offset, and a window over them that moves with the word: linear in the
    // fields (an int of 25,000 digits has 25,000 fields over 12,500 words).
    let mut by_offset: Vec<&Field> = l.fields.iter().filter(|f| f.name != "data").collect();
    by_offset.sort_by_key(|f| f.offset);
    let data = l.fields.iter().find(|f| f.name == "data");
    let field_end = |f: &Field| f.offset + f.size.max(1) as isize;
    let (mut lo, mut hi) = (0, 0);
    while at < end {
        while hi < by_offset.len() && by_offset[hi].offset < at + 8 {
            hi += 1;
        }
        while lo < hi && field_end(by_offset[lo]) <= at {
            lo += 1;
        }
        let names: Vec<String> = by_offset[lo..hi]
            .iter()
            .copied()
            .filter(|f| field_end(f) > at)
            .map(|f| {
                let v = field_value(f);
                let v = if v.chars().count() > 14 {
                    format!("{}…", v.chars().take(13).collect::<String>())
                } else {
                    v
                };
                format!("{}={}", f.name, v)
            })
            .collect();
        let text = if names.is_empty() {
            match data {
                Some(d) if d.offset <= at => "data (characters + NUL)".to_string(),
                _ => "(padding)".to_string(),
            }
        } else {
            names.join(", ")
        };
        let text: String = if text.chars().count() > 40 {
            format!("{}…", text.chars().take(39).collect::<String>())
        } else {
            text
        };
        out.push_str(&format!("{:>6} | {:<40} |\n", format!("+{at}"), text));
        at += 8;
    }
    out.push_str(&format!(
        "{:>6} +------------------------------------------+\n",
        format!("+{end}")
    ));
    out
}

fn placement(p: &Option<BlockInfo>, is_static: bool) -> String {
    match p {
        Some(b) => format!(
            "block {} of pool {} (size class {}, {}-byte blocks) in arena {}",
            b.block_index, b.pool_index, b.size_class, b.block_size, b.arena_index
        ),
        None if is_static => "statically allocated by the runtime: in no pool".into(),
        None => "a system-allocator block (over 512 bytes), or shared static data".into(),
    }
}

/// The text view.
pub fn render_text(expr: &str, l: &ObjectLayout) -> String {
    let mut out = format!(
        "x = {expr}\n\ntype {}: sys.getsizeof {} bytes ({} object{}), deep size {} bytes\nplacement: {}\n\n",
        l.type_name,
        l.size,
        l.sizeof,
        if l.gc_head > 0 {
            format!(" + {} GC head", l.gc_head)
        } else {
            String::new()
        },
        l.deep_size,
        placement(&l.block, l.is_static)
    );
    out.push_str(&fields_table(&l.fields));
    out.push_str("\n\n");
    out.push_str(&byte_diagram(l));
    for b in &l.blocks {
        out.push_str(&format!(
            "\nblock {} at {:#x}: {} bytes, {}\n",
            b.name,
            b.address,
            b.size,
            placement(&b.pool, false)
        ));
        out.push_str(&fields_table(&b.fields));
        out.push('\n');
    }
    if !l.items.is_empty() {
        out.push_str("\nreferenced objects:\n");
        render_items(&l.items, 1, &mut out);
    }
    out
}

fn render_items(items: &[ObjectLayout], indent: usize, out: &mut String) {
    for it in items {
        let summary: Vec<String> = it
            .fields
            .iter()
            .filter(|f| !matches!(f.name.as_str(), "ob_type" | "wstr" | "utf8"))
            .take(6)
            .map(|f| format!("{}={}", f.name, field_value(f)))
            .collect();
        out.push_str(&format!(
            "{}- {} at {:#x}: {} bytes{}{}\n",
            "  ".repeat(indent),
            it.type_name,
            it.address,
            it.size,
            if summary.is_empty() { "" } else { "; " },
            summary.join(", ")
        ));
        render_items(&it.items, indent + 1, out);
    }
}

pub fn run(args: &LayoutArgs) -> Result<(), CliError> {
    pylayout::runtime::set_hash_seed(args.hash_seed);
    emit(&render(&args.expr, args.depth, args.json, LAYOUT_LIMITS)?)?;
    Ok(())
}

/// What `pylayout layout EXPR --depth DEPTH [--json]` prints (the fuzz target `layout_expr`
/// calls this too, with smaller limits).
pub(crate) fn render(
    expr: &str,
    depth: u8,
    json: bool,
    limits: Limits,
) -> Result<String, CliError> {
    let (obj, program) = script::eval_expr(expr, limits).map_err(|e| {
        CliError::Usage(if e.starts_with("memory limit reached") {
            format!(
                "{e} (`pylayout layout` builds at most {} MiB: it shows at most {} MiB)",
                limits.max_memory >> 20,
                MAX_LAYOUT_BYTES >> 20
            )
        } else {
            e
        })
    })?;
    let bytes = layout_bytes(&obj, depth as usize, MAX_LAYOUT_BYTES);
    if bytes > MAX_LAYOUT_BYTES {
        return Err(CliError::Usage(format!(
            "the layout would show over {MAX_LAYOUT_BYTES} bytes of objects ({} for the object \
             itself, --depth {depth}); `pylayout layout` shows at most {MAX_LAYOUT_BYTES} (a line \
             per field): try a smaller object or a smaller --depth",
            obj.getsizeof(),
        )));
    }
    let l = layout_depth(&obj, depth as usize);
    drop(obj);
    drop(program);
    Ok(if json {
        json_text(&l)?
    } else {
        render_text(expr, &l)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pylayout::types::list::PyList;
    use pylayout::types::str::PyStr;

    #[test]
    fn diagram_covers_every_word_of_a_list() {
        let l = PyList::with_items(vec![PyStr::new("ab").into_obj()]);
        let lay = layout_depth(l.as_obj(), 0);
        let d = byte_diagram(&lay);
        for word in ["+0", "+8", "+16", "+24", "+32", "-16"] {
            assert!(d.contains(word), "{word} missing in\n{d}");
        }
        assert!(d.contains("allocated=1"));
        let text = render_text("[x]", &lay);
        assert!(text.contains("block ob_item"));
    }
}
