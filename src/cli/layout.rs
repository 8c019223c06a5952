//! `pylayout layout EXPR`: build EXPR as `x = EXPR` would in CPython, then show the object.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use pylayout::inspect::layout::{Field, ObjectLayout, Placement, layout_bytes, layout_depth};
use pylayout::script::value::Value;
use pylayout::script::{self, Limits};

use super::CliError;
use super::after::{AfterArgs, ScriptSummary, run_after};
use super::output::{Role, cell, commas, emit, json_text, paint, table};

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

/// Default `--max-items`: array elements (and referenced objects) shown before eliding.
pub const DEFAULT_MAX_ITEMS: usize = 16;

#[derive(Debug, Args)]
#[command(after_help = LAYOUT_EXAMPLES)]
pub struct LayoutArgs {
    /// The expression, in the runner's Python subset (e.g. "[1, 2, 3]", "{'a': 1}", "'héllo'");
    /// `-` reads it from standard input. With --after: the global names to show
    #[arg(allow_hyphen_values = true, value_name = "EXPR | NAME")]
    target: Option<String>,
    /// With --after: more global names to show
    #[arg(value_name = "NAME", requires = "after")]
    more_names: Vec<String>,
    /// Read the expression from this file
    #[arg(short = 'f', long = "file", value_name = "FILE", conflicts_with_all = ["after", "target"])]
    file: Option<PathBuf>,
    #[command(flatten)]
    pub(super) after: AfterArgs,
    /// How many levels of referenced objects to lay out
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(0..=MAX_DEPTH as i64))]
    depth: u8,
    /// Array elements and referenced objects shown before the rest is elided with a count
    #[arg(long, default_value_t = DEFAULT_MAX_ITEMS, value_name = "N", value_parser = parse_max_items)]
    max_items: usize,
    /// Draw the object's bytes as a box, word by word, instead of the field table
    #[arg(long)]
    diagram: bool,
    /// Print JSON instead of text (every field; nothing elided)
    #[arg(long)]
    json: bool,
}

const LAYOUT_EXAMPLES: &str = "\
Examples:
  pylayout layout \"[1, 2, 3]\"                 a list, its item array, the ints it holds
  pylayout layout \"{'a': 1, 'b': 2}\" --diagram  the dict's keys object, byte by byte
  pylayout layout --after study.py a d         the globals a and d that study.py left
  echo \"'héllo' * 3\" | pylayout layout -       the expression from standard input";

fn parse_max_items(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) if s.starts_with('-') => Err("must be at least 1".into()),
        Err(_) => Err(format!("'{s}' is not a number")),
    }
}

/// How the text view elides and draws.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View {
    pub max_items: usize,
    pub diagram: bool,
    /// The objects are a script's (`--after`): the map to look at is the script's too.
    pub after: bool,
}

impl Default for View {
    fn default() -> Self {
        View {
            max_items: DEFAULT_MAX_ITEMS,
            diagram: false,
            after: false,
        }
    }
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether the field holds an address (shown in hex, NULL for 0, dimmed in colour).
fn is_pointer(f: &Field) -> bool {
    f.name == "ob_item"
        || f.name.starts_with("ob_item[")
        || f.name.ends_with("me_key")
        || f.name.ends_with("me_value")
        || (f.name.starts_with("func_") && f.name != "func_version")
        || matches!(
            f.name.as_str(),
            "ma_keys" | "ma_values" | "wstr" | "utf8" | "ob_ref" | "vectorcall"
        )
}

/// The header every object starts with (set apart in colour).
fn is_header(f: &Field) -> bool {
    matches!(f.name.as_str(), "ob_refcnt" | "ob_type")
}

fn field_value(f: &Field) -> String {
    let v = show(&f.value);
    match (&f.value, is_pointer(f)) {
        (serde_json::Value::Number(n), true) if n.as_u64() == Some(0) => "NULL".into(),
        (serde_json::Value::Number(n), true) => format!("{:#x}", n.as_u64().unwrap_or(0)),
        _ => v,
    }
}

/// `ob_item[12]` → (`ob_item`, 12); `dk_entries[3].me_key` → (`dk_entries`, 3).
fn array_index(name: &str) -> Option<(&str, usize)> {
    let open = name.find('[')?;
    let close = open + name[open..].find(']')?;
    let i = name[open + 1..close].parse().ok()?;
    Some((&name[..open], i))
}

/// Whether the view elides this field (an array element past `max_items`).
fn elided(f: &Field, max_items: usize) -> bool {
    array_index(&f.name).is_some_and(|(_, i)| i >= max_items)
}

/// A long value (a str's data) cut to fit a table cell, saying how much is left out.
fn short_value(v: String) -> String {
    const MAX: usize = 48;
    let n = v.chars().count();
    if n <= MAX {
        v
    } else {
        format!(
            "{}… ({} characters)",
            v.chars().take(MAX).collect::<String>(),
            commas(n)
        )
    }
}

pub(crate) fn fields_table(fields: &[Field], view: View) -> String {
    let mut t = table(&["offset", "size", "field", "value"], &[0, 1]);
    // Elided elements per array, reported once where the array's shown part ends.
    let mut hidden: Vec<(String, usize, usize)> = Vec::new();
    for f in fields {
        if elided(f, view.max_items) {
            let (array, i) = array_index(&f.name).unwrap_or(("", 0));
            match hidden.iter_mut().find(|h| h.0 == array) {
                Some(h) => h.2 = h.2.max(i),
                None => hidden.push((array.to_string(), i, i)),
            }
            continue;
        }
        let role = if is_header(f) {
            Some(Role::Header)
        } else if is_pointer(f) {
            Some(Role::Pointer)
        } else {
            None
        };
        t.add_row(vec![
            cell(format!("{:+}", f.offset), None),
            cell(
                if f.size == 0 {
                    "bits".into()
                } else {
                    f.size.to_string()
                },
                None,
            ),
            cell(f.name.clone(), is_header(f).then_some(Role::Header)),
            cell(short_value(field_value(f)), role),
        ]);
    }
    for (array, first, last) in &hidden {
        t.add_row(vec![
            cell("⋮", None),
            cell("", None),
            cell(format!("{array}[{first}..={last}]"), None),
            cell(
                format!(
                    "{} more elements elided (--max-items {})",
                    commas(last - first + 1),
                    view.max_items
                ),
                Some(Role::Event),
            ),
        ]);
    }
    t.to_string()
}

/// Eight bytes per row: which fields fill each word of the object. Runs of words that read
/// the same (a str's characters, padding) and array elements past `max_items` are elided.
fn byte_diagram(l: &ObjectLayout, max_items: usize) -> String {
    let rule = "+------------------------------------------+";
    let mut out = String::new();
    let gc = l.gc_head as isize;
    if gc > 0 {
        out.push_str(&format!("{:>6} {rule}\n", -gc));
        out.push_str(&format!(
            "       | {} |\n",
            paint("PyGC_Head: _gc_next, _gc_prev (16)      ", Role::Header)
        ));
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
    out.push_str(&format!("{:>6} {rule}\n", 0));
    // Fields by offset, and a window over them that moves with the word: linear in the
    // fields (an int of 25,000 digits has 25,000 fields over 12,500 words).
    let mut by_offset: Vec<&Field> = l.fields.iter().filter(|f| f.name != "data").collect();
    by_offset.sort_by_key(|f| f.offset);
    let data = l.fields.iter().find(|f| f.name == "data");
    let field_end = |f: &Field| f.offset + f.size.max(1) as isize;
    let (mut lo, mut hi) = (0, 0);
    let mut rows: Vec<(isize, String)> = Vec::new();
    let mut skipped = 0usize;
    let mut at = 0isize;
    while at < end {
        while hi < by_offset.len() && by_offset[hi].offset < at + 8 {
            hi += 1;
        }
        while lo < hi && field_end(by_offset[lo]) <= at {
            lo += 1;
        }
        let here: Vec<&Field> = by_offset[lo..hi]
            .iter()
            .copied()
            .filter(|f| field_end(f) > at)
            .collect();
        if !here.is_empty() && here.iter().all(|f| elided(f, max_items)) {
            skipped += 1;
            at += 8;
            continue;
        }
        if skipped > 0 {
            rows.push((
                -1,
                format!("⋮ {} words elided (--max-items)", commas(skipped)),
            ));
            skipped = 0;
        }
        let names: Vec<String> = here
            .iter()
            .map(|f| format!("{}={}", f.name, fit(field_value(f), 14)))
            .collect();
        let text = if names.is_empty() {
            match data {
                Some(d) if d.offset <= at => "data (characters + NUL)".to_string(),
                _ => "(padding)".to_string(),
            }
        } else {
            names.join(", ")
        };
        rows.push((at, fit(text, 40)));
        at += 8;
    }
    if skipped > 0 {
        rows.push((
            -1,
            format!("⋮ {} words elided (--max-items)", commas(skipped)),
        ));
    }
    // Runs of identical rows: the first two, then a count.
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && rows[j].1 == rows[i].1 && rows[j].0 >= 0 {
            j += 1;
        }
        let run = j - i;
        let shown = if run > 3 { 2 } else { run };
        for (at, text) in &rows[i..i + shown] {
            let label = if *at >= 0 {
                format!("+{at}")
            } else {
                String::new()
            };
            let text = format!("{text:<40}");
            let text = if *at >= 0 && *at < 16 {
                paint(&text, Role::Header)
            } else {
                text
            };
            out.push_str(&format!("{label:>6} | {text} |\n"));
        }
        if run > shown {
            let text = format!("⋮ the same for {} more words", commas(run - shown));
            out.push_str(&format!("{:>6} | {text:<40} |\n", ""));
        }
        i = j;
    }
    out.push_str(&format!("{:>6} {rule}\n", format!("+{end}")));
    out
}

/// `sys.getsizeof: 88 bytes = 16 PyGC_Head`, then `+ 40 PyListObject` ... one part a line.
fn size_lines(l: &ObjectLayout) -> String {
    let lead = format!("sys.getsizeof: {} bytes", l.size);
    if l.size_parts.len() <= 1 {
        return lead;
    }
    let width = l
        .size_parts
        .iter()
        .map(|p| p.bytes.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for (i, p) in l.size_parts.iter().enumerate() {
        let sep = if i == 0 {
            format!("{lead} = ")
        } else {
            format!("{:>w$}+ ", "", w = lead.len() + 1)
        };
        let what = if p.separate {
            format!("{} (a separate block)", p.name)
        } else {
            p.name.clone()
        };
        out.push_str(&format!("{sep}{:>width$} {what}\n", p.bytes));
    }
    out.pop();
    out
}

/// A line cut to `max` characters, ending in `…` when cut.
fn fit(line: String, max: usize) -> String {
    if line.chars().count() <= max {
        line
    } else {
        format!("{}…", line.chars().take(max - 1).collect::<String>())
    }
}

/// The text view; `label` says what is shown (`x = [1, 2]`, `a (a global study.py left)`).
pub(crate) fn render_text(label: &str, l: &ObjectLayout, view: View) -> String {
    let mut out = format!(
        "{}\n\ntype {} at {} (deep size {} bytes)\n{}\nplacement: {}\n\n",
        paint(label, Role::Heading),
        l.type_name,
        paint(&format!("{:#x}", l.address), Role::Pointer),
        l.deep_size,
        size_lines(l),
        l.placement.describe()
    );
    if view.diagram {
        out.push_str(&byte_diagram(l, view.max_items));
    } else {
        out.push_str(&fields_table(&l.fields, view));
        out.push('\n');
    }
    for b in &l.blocks {
        out.push_str(&format!(
            "\nblock {} at {}: {} bytes\n  in {}\n",
            b.name,
            paint(&format!("{:#x}", b.address), Role::Pointer),
            b.size,
            b.placement.describe()
        ));
        out.push_str(&fields_table(&b.fields, view));
        out.push('\n');
    }
    // Where to find the pools on the map: `pool --map` draws arena A's pool P at row A,
    // column P.
    let mut on_map: Vec<String> = Vec::new();
    let mut note = |what: &str, p: &Placement| {
        if let Placement::Pool(b) = p {
            on_map.push(format!(
                "{what} in arena {} column {}",
                b.arena_index, b.pool_index
            ));
        }
    };
    note("the object", &l.placement);
    for b in &l.blocks {
        note(&b.name, &b.placement);
    }
    // Only a script's objects: `pool --map --after FILE` rebuilds the very same heap.
    if view.after && !on_map.is_empty() {
        out.push_str(&format!(
            "\nOn the pool map (`pylayout pool --map --after FILE`): {}.\n",
            on_map.join("; ")
        ));
    }
    if !l.items.is_empty() {
        out.push_str("\nreferenced objects:\n");
        render_items(&l.items, 1, view.max_items, &mut out);
    }
    out
}

fn render_items(items: &[ObjectLayout], indent: usize, max_items: usize, out: &mut String) {
    for it in items.iter().take(max_items) {
        let summary: Vec<String> = it
            .fields
            .iter()
            .filter(|f| !matches!(f.name.as_str(), "ob_type" | "wstr" | "utf8"))
            .take(6)
            .map(|f| format!("{}={}", f.name, short_value(field_value(f))))
            .collect();
        let line = format!(
            "{}- {} at {:#x}: {} bytes{}{}",
            "  ".repeat(indent),
            it.type_name,
            it.address,
            it.size,
            if summary.is_empty() { "" } else { "; " },
            summary.join(", ")
        );
        out.push_str(&fit(line, 79));
        out.push('\n');
        render_items(&it.items, indent + 1, max_items, out);
    }
    if items.len() > max_items {
        out.push_str(&format!(
            "{}- … {} more (--max-items {max_items})\n",
            "  ".repeat(indent),
            commas(items.len() - max_items)
        ));
    }
}

pub fn run(args: &LayoutArgs) -> Result<(), CliError> {
    let view = View {
        max_items: args.max_items,
        diagram: args.diagram,
        after: args.after.after.is_some(),
    };
    if args.after.after.is_some() {
        return run_after_names(args, view);
    }
    let targets: Vec<String> = args
        .target
        .iter()
        .chain(&args.more_names)
        .cloned()
        .collect();
    let expr = match (&args.file, targets.as_slice()) {
        (Some(p), _) => read_expr(
            std::fs::read(p)
                .map_err(|e| CliError::Usage(format!("cannot read '{}': {e}", p.display())))?,
        )?,
        (None, [dash]) if dash == "-" => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|e| {
                CliError::Usage(format!("cannot read the expression from stdin: {e}"))
            })?;
            read_expr(bytes)?
        }
        (None, [expr]) => expr.clone(),
        (None, []) => {
            return Err(CliError::Usage(
                "give an expression (or -f FILE, or - for stdin, or --after FILE NAME...)".into(),
            ));
        }
        (None, [_, second, ..]) => {
            return Err(CliError::Usage(format!(
                "one expression at a time (got a second argument {second:?}); quote the \
                 expression, or use --after FILE NAME... for several names"
            )));
        }
    };
    pylayout::runtime::set_hash_seed(args.after.hash_seed);
    emit(&render(&expr, args.depth, args.json, view, LAYOUT_LIMITS)?)?;
    Ok(())
}

/// An expression read from a file or stdin: UTF-8, surrounding whitespace dropped.
fn read_expr(bytes: Vec<u8>) -> Result<String, CliError> {
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::Usage("the expression is not UTF-8".into()))?;
    Ok(text.trim().to_string())
}

/// `layout --after FILE NAME...`: the named globals of the state the script left.
fn run_after_names(args: &LayoutArgs, view: View) -> Result<(), CliError> {
    let names: Vec<String> = args
        .target
        .iter()
        .chain(&args.more_names)
        .cloned()
        .collect();
    if names.is_empty() {
        return Err(CliError::Usage(
            "--after FILE needs the names of the script's globals to show (e.g. --after study.py a b)"
                .into(),
        ));
    }
    let depth = args.depth as usize;
    let after = run_after(&args.after, move |interp| {
        let mut shown = Vec::new();
        for name in &names {
            let obj = match interp.global(name) {
                Some(Value::Obj(o)) => o,
                Some(other) => {
                    return Err(format!(
                        "'{name}' is a {}, which pylayout does not build in memory",
                        other.type_name()
                    ));
                }
                None => {
                    let globals = interp.script_globals();
                    return Err(format!(
                        "the script left no global named '{name}' (its globals: {})",
                        if globals.is_empty() {
                            "none".to_string()
                        } else {
                            globals.join(", ")
                        }
                    ));
                }
            };
            let bytes = layout_bytes(obj, depth, MAX_LAYOUT_BYTES);
            if bytes > MAX_LAYOUT_BYTES {
                return Err(format!(
                    "'{name}' would show over {MAX_LAYOUT_BYTES} bytes of objects at --depth \
                     {depth}; try a smaller --depth"
                ));
            }
            // The global's own reference is CPython's; the inspector borrows it.
            shown.push(NamedLayout {
                name: name.clone(),
                layout: layout_depth(obj, depth),
            });
        }
        Ok(shown)
    })?;
    let layouts = after.view.clone().map_err(CliError::Usage)?;
    if args.json {
        emit(&json_text(&AfterLayouts {
            script: after.summary(),
            layouts,
        })?)?;
    } else {
        let mut out = after.summary().render_text();
        for (i, n) in layouts.iter().enumerate() {
            if i > 0 {
                out.push_str("\n\n");
            }
            let label = format!("{} (a global that {} left)", n.name, after.filename);
            out.push_str(&render_text(&label, &n.layout, view));
        }
        emit(&out)?;
    }
    Ok(())
}

/// One global's layout.
#[derive(Clone, Debug, Serialize)]
struct NamedLayout {
    name: String,
    layout: ObjectLayout,
}

/// The JSON of `layout --after`.
#[derive(Debug, Serialize)]
struct AfterLayouts {
    script: ScriptSummary,
    layouts: Vec<NamedLayout>,
}

/// What `pylayout layout EXPR --depth DEPTH [--json]` prints (the fuzz target `layout_expr`
/// calls this too, with smaller limits).
pub(crate) fn render(
    expr: &str,
    depth: u8,
    json: bool,
    view: View,
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
        let shown: String = expr.chars().take(200).collect();
        let more = if shown.len() < expr.len() { "…" } else { "" };
        render_text(&format!("x = {shown}{more}"), &l, view)
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
        let d = byte_diagram(&lay, 16);
        for word in ["+0", "+8", "+16", "+24", "+32", "-16"] {
            assert!(d.contains(word), "{word} missing in\n{d}");
        }
        assert!(d.contains("allocated=1"));
        let text = render_text("[x]", &lay, View::default());
        assert!(text.contains("block ob_item"));
    }
}
