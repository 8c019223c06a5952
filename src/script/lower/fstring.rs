//! f-strings (`Parser/string_parser.c`'s `fstring_find_literal` / `fstring_find_expr` and
//! `_PyPegen_concatenate_strings`): adjacent literals, plain or f, become one `JoinedStr` of
//! str constants (`{{` and `}}` read as braces) and formatted values (`!r`/`!s`/`!a`, a spec
//! that may hold fields of its own, and the `=` of `f'{x=}'`, which writes the expression's
//! text and defaults to `!r`). A JoinedStr of one constant is that constant; of none, `''`.
//!
//! tree-sitter reads `f'{x:=^9}'` as a walrus (`x := ^9`); in an f-string a top-level `:=`
//! is not one (it needs parentheses there), so such a field is the name and a spec of the
//! text after the `:`.

use tree_sitter::Node;

use super::syntax::{all_children, named_children};
use super::{Lowerer, Res};
use crate::script::ast::{Expr, Span};
use crate::types::str::PyStr;

/// The parts of a JoinedStr being built: constants merge with their neighbours.
#[derive(Default)]
struct Parts {
    parts: Vec<Expr>,
    literal: String,
}

impl Lowerer<'_> {
    /// Whether a `string` node is an f-string.
    pub(super) fn is_fstring(&self, n: Node) -> bool {
        let text = self.text(n);
        let prefix_len = text.find(['\'', '"']).unwrap_or(0);
        text[..prefix_len].to_ascii_lowercase().contains('f')
    }

    /// The f-string (or concatenation holding one) made of the `string` nodes `nodes`.
    pub(super) fn fstring(&mut self, nodes: &[Node]) -> Res<Expr> {
        let outer = self.fstring_span;
        let r = self.fstring_parts(nodes);
        self.fstring_span = outer;
        r
    }

    fn fstring_parts(&mut self, nodes: &[Node]) -> Res<Expr> {
        let mut acc = Parts::default();
        if let (Some(a), Some(b)) = (nodes.first(), nodes.last()) {
            let (a, b) = (self.span(*a), self.span(*b));
            self.fstring_span = Span {
                end_line: b.end_line,
                end_col: b.end_col,
                ..a
            };
        }
        for &n in nodes {
            if !self.is_fstring(n) {
                let s = self.string(n)?;
                acc.literal.push_str(&s);
                continue;
            }
            let text = self.text(n);
            let prefix_len = text.find(['\'', '"']).unwrap_or(0);
            let raw = text[..prefix_len].to_ascii_lowercase().contains('r');
            if text[..prefix_len].to_ascii_lowercase().contains('b') {
                return self.unsupported(n, "bytes literal");
            }
            for c in all_children(n) {
                match c.kind() {
                    "string_content" => {
                        let piece = self.decode(c, self.text(c), raw)?;
                        acc.literal
                            .push_str(&piece.replace("{{", "{").replace("}}", "}"));
                    }
                    "interpolation" => self.interpolation(c, &mut acc, 0)?,
                    _ => {}
                }
            }
        }
        Ok(self.finish(acc))
    }

    /// The JoinedStr of `acc`. Even with no field it stays one (CPython's parser makes
    /// `JoinedStr([Constant])`, `JoinedStr([])` for `f''`): compiled to the constant itself
    /// (or `BUILD_STRING 0`), but never folded with its neighbours, so `f'ab' * 3` is made
    /// at run time and `(f'a', 1)` is built, not a constant.
    fn finish(&mut self, mut acc: Parts) -> Expr {
        self.flush(&mut acc);
        Expr::JoinedStr(acc.parts)
    }

    fn flush(&mut self, acc: &mut Parts) {
        if !acc.literal.is_empty() {
            let s = std::mem::take(&mut acc.literal);
            let lit = self.parsed_lit(PyStr::new(&s).into_obj());
            acc.parts.push(lit);
        }
    }

    /// One `{...}` field (an `interpolation`, or a `format_expression` inside a spec, at
    /// `depth` 1: a field inside that one's spec is "nested too deeply").
    fn interpolation(&mut self, n: Node, acc: &mut Parts, depth: u8) -> Res<()> {
        if depth >= 2 {
            return Err(self.syntax_error(n, "f-string: expressions nested too deeply"));
        }
        let expr_node = n
            .child_by_field_name("expression")
            .ok_or_else(|| self.syntax_error(n, "f-string: empty expression not allowed"))?;
        // fstring_find_expr: the expression's source may hold no backslash and no comment.
        let body = self.text(expr_node);
        if body.contains('\\') {
            return Err(self.syntax_error(n, "f-string expression part cannot include a backslash"));
        }
        if body.contains('#') {
            return Err(self.syntax_error(n, "f-string expression part cannot include '#'"));
        }
        let kids = all_children(n);
        // f'{x=}': the text from after '{' through the '=' is written first.
        // The text runs to the conversion, the spec or the closing brace, blanks included.
        if let Some(i) = kids.iter().position(|k| k.kind() == "=") {
            let from = n.start_byte() + 1;
            let to = kids.get(i + 1).map_or(n.end_byte() - 1, |k| k.start_byte());
            acc.literal.push_str(&self.src_slice(from, to));
        }
        let debug = kids.iter().any(|k| k.kind() == "=");
        let mut conversion = match n.child_by_field_name("type_conversion") {
            None => None,
            Some(c) => match self.text(c) {
                "!s" => Some('s'),
                "!r" => Some('r'),
                "!a" => Some('a'),
                _ => {
                    return Err(self.syntax_error(
                        c,
                        "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                    ));
                }
            },
        };
        let (value, spec) = if expr_node.kind() == "named_expression" {
            // `x:=^9`: the name, and the text after ':' up to the closing '}' as the spec.
            let name = expr_node
                .child_by_field_name("name")
                .ok_or_else(|| self.syntax_error(n, "invalid syntax"))?;
            let value = self.expr(name)?;
            let colon = name.end_byte();
            let spec_text = self.src_slice(colon + 1, n.end_byte() - 1);
            if spec_text.contains(['{', '}']) {
                return self.unsupported(n, "a nested field in a spec that starts with '='");
            }
            let spec = (!spec_text.is_empty())
                .then(|| Box::new(self.parsed_lit(PyStr::new(&spec_text).into_obj())));
            (value, spec)
        } else {
            let value = self.expr(expr_node)?;
            let spec = match n.child_by_field_name("format_specifier") {
                Some(f) => self.spec(f, depth + 1)?.map(Box::new),
                None => None,
            };
            (value, spec)
        };
        if debug && conversion.is_none() && spec.is_none() {
            conversion = Some('r');
        }
        self.flush(acc);
        acc.parts.push(Expr::FormattedValue {
            value: Box::new(value),
            conversion,
            spec,
            span: self.fstring_span,
        });
        Ok(())
    }

    /// A `format_specifier` (`:` and what follows): a constant, or a JoinedStr when it holds
    /// fields; `None` when empty.
    fn spec(&mut self, f: Node, depth: u8) -> Res<Option<Expr>> {
        let mut acc = Parts::default();
        // The text between the ':' and the nested fields is literal.
        let mut at = f.start_byte() + 1;
        for c in named_children(f) {
            if c.kind() == "format_expression" {
                acc.literal.push_str(&self.src_slice(at, c.start_byte()));
                self.interpolation(c, &mut acc, depth)?;
                at = c.end_byte();
            }
        }
        acc.literal.push_str(&self.src_slice(at, f.end_byte()));
        acc.literal = acc.literal.replace("{{", "{").replace("}}", "}");
        if acc.parts.is_empty() && acc.literal.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.finish(acc)))
    }
}
