//! The caret line 3.11's traceback draws under a source line (`tb_displayline`,
//! `extract_anchors_from_line` and `print_error_location_carets` in `Python/traceback.c`):
//! `^` under the instruction that raised, or for a binary operation `~` under the operands
//! and `^` under the operator, and for a subscript `~` under the value and `^` under the
//! brackets — found, as CPython finds them, by parsing the text of the instruction's extent
//! again. No line when the instruction spans the whole line (and has no operator to point
//! at).
//!
//! ```text
//!     y = x [ 5 ] + 1
//!         ~~^^^^^
//! ```

use tree_sitter::{Node, Parser};

use super::ast::Span;

/// `IS_WHITESPACE` of `traceback.c`.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0c')
}

/// `_PyPegen_byte_offset_to_character_offset`: the characters in the first `col` bytes.
fn chars_before(s: &str, col: usize) -> usize {
    let col = col.min(s.len());
    String::from_utf8_lossy(&s.as_bytes()[..col])
        .chars()
        .count()
}

/// The caret line under `line` (the source line `lineno`, without its newline) for an
/// instruction at `span`, or `None` when 3.11 prints none.
pub fn caret_line(line: &str, lineno: u32, span: Span) -> Option<String> {
    if span == Span::default() || span.line != lineno || span.end_line < span.line {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    let indent = chars
        .iter()
        .take_while(|c| matches!(c, ' ' | '\t' | '\x0c'))
        .count();
    let start = chars_before(line, span.col as usize);
    let mut end = chars_before(line, span.end_col as usize);
    let mut anchors = None;
    if span.line == span.end_line {
        if start >= end {
            return None;
        }
        let segment: String = chars[start..end].iter().collect();
        anchors = extract_anchors(&segment).map(|(l, r)| (l + start, r + start));
    } else {
        // A multi-line instruction: up to the line's last non-blank character.
        end = line
            .trim_end_matches([' ', '\t', '\x0c', '\r'])
            .chars()
            .count();
    }
    if end.saturating_sub(start) == chars.len() - indent && anchors.is_none() {
        return None;
    }
    let (primary, secondary) = if anchors.is_some() {
        ('~', '^')
    } else {
        ('^', '^')
    };
    let mut out = String::from("    ");
    out.extend(std::iter::repeat_n(' ', start.saturating_sub(indent)));
    for offset in start + 1..=end {
        let c = match anchors {
            Some((l, r)) if l < offset && offset <= r => secondary,
            _ => primary,
        };
        out.push(c);
    }
    Some(out)
}

/// The node inside any parentheses (the AST has no node for them).
fn unparen(mut n: Node) -> Node {
    while n.kind() == "parenthesized_expression" && n.named_child_count() == 1 {
        n = n.named_child(0).expect("one child");
    }
    n
}

/// `extract_anchors_from_line` on the instruction's text: for a binary operation, the
/// operator; for a subscript, the brackets — as character offsets in `segment`.
fn extract_anchors(segment: &str) -> Option<(usize, usize)> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .ok()?;
    let tree = parser.parse(segment, None)?;
    let root = tree.root_node();
    if root.has_error() || root.named_child_count() != 1 {
        return None;
    }
    let stmt = root.named_child(0)?;
    if stmt.kind() != "expression_statement" || stmt.named_child_count() != 1 {
        return None;
    }
    let expr = unparen(stmt.named_child(0)?);
    let s = segment.as_bytes();
    let (left, right) = match expr.kind() {
        "binary_operator" => {
            let l_end = unparen(expr.child_by_field_name("left")?).end_byte();
            let r_start = unparen(expr.child_by_field_name("right")?).start_byte();
            let mut found = None;
            let mut i = l_end;
            while i < r_start {
                if is_ws(s[i]) {
                    i += 1;
                    continue;
                }
                let mut right = i + 1;
                // A two-character operator (`//`, `**`, `<<`).
                if i + 1 < r_start && !is_ws(s[i + 1]) {
                    right += 1;
                }
                found = Some((i, right));
                // A closing parenthesis of the left operand: keep going.
                if i + 1 < r_start && s[i] == b')' {
                    i += 1;
                    continue;
                }
                break;
            }
            found?
        }
        "subscript" => {
            let value_end = unparen(expr.child_by_field_name("value")?).end_byte();
            let mut cursor = expr.walk();
            let slice_end = expr
                .children_by_field_name("subscript", &mut cursor)
                .last()?
                .end_byte();
            let mut left = value_end;
            while left < s.len() && s[left] != b'[' {
                left += 1;
            }
            let mut right = slice_end + 1;
            while right < s.len() && s[right] != b']' {
                right += 1;
            }
            if right < s.len() {
                right += 1;
            }
            (left, right)
        }
        _ => return None,
    };
    Some((chars_before(segment, left), chars_before(segment, right)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: &str, col: u32, end_col: u32) -> Option<String> {
        caret_line(
            line,
            1,
            Span {
                line: 1,
                col,
                end_line: 1,
                end_col,
            },
        )
    }

    #[test]
    fn python_311s_carets() {
        // Written from python3.11's tracebacks of the same lines.
        assert_eq!(at("y = x [ 5 ]", 4, 11).as_deref(), Some("        ~~^^^^^"));
        assert_eq!(
            at("y = 1 // 'a'", 4, 12).as_deref(),
            Some("        ~~^^~~~~")
        );
        assert_eq!(
            at("y = (1) + ('a')", 4, 15).as_deref(),
            Some("        ~~~~^~~~~~~")
        );
        assert_eq!(
            at("y = len(5) + 1", 4, 10).as_deref(),
            Some("        ^^^^^^")
        );
        // The whole line, nothing to point at: no caret line; an operator: one anyway.
        assert_eq!(at("len(5)", 0, 6), None);
        assert_eq!(at("1 / 0", 0, 5).as_deref(), Some("    ~~^~~"));
        assert_eq!(
            at("    return g()", 11, 12).as_deref(),
            Some("           ^")
        );
    }
}
