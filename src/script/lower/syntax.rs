//! Reading tree-sitter's tree: node access, source positions (1-based lines, columns in
//! characters), the `SyntaxError` for the first error node (CPython's parser reports the first
//! error too), the words for constructs outside the subset, and a code unit's source shape.

use tree_sitter::Node;

use super::{CompileError, Lowerer, Res};
use crate::script::ast::{Pos, Span};

/// Whether a body starts with a string literal (`_PyAST_GetDocString` before the optimizer
/// runs: a string only folding makes, as `'abc'[0]`, is not a docstring, nor is an f-string,
/// a `JoinedStr`).
pub(super) fn has_docstring(body: Node, src: &str) -> bool {
    let is_f = |n: Node| {
        let text = &src[n.byte_range()];
        let prefix_len = text.find(['\'', '"']).unwrap_or(0);
        text[..prefix_len].to_ascii_lowercase().contains('f')
    };
    named_children(body).first().is_some_and(|s| {
        if s.kind() != "expression_statement" || named_children(*s).len() != 1 {
            return false;
        }
        let e = named_children(*s)[0];
        match e.kind() {
            "string" => !is_f(e),
            "concatenated_string" => !named_children(e).into_iter().any(is_f),
            _ => false,
        }
    })
}

pub(super) fn parse(src: &str) -> Res<tree_sitter::Tree> {
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the bundled grammar matches the tree-sitter version");
    p.parse(src, None).ok_or_else(|| CompileError::Syntax {
        pos: Pos { line: 1, col: 1 },
        msg: "the parser gave up".into(),
    })
}

pub(super) fn named_children(n: Node<'_>) -> Vec<Node<'_>> {
    let mut c = n.walk();
    n.named_children(&mut c)
        .filter(|k| k.kind() != "comment")
        .collect()
}

pub(super) fn all_children(n: Node<'_>) -> Vec<Node<'_>> {
    let mut c = n.walk();
    n.children(&mut c)
        .filter(|k| k.kind() != "comment")
        .collect()
}

/// The construct a node kind is, in words, for "unsupported" messages.
pub(super) fn construct_name(kind: &str) -> String {
    match kind {
        "class_definition" => "class definition",
        "try_statement" => "try statement",
        "with_statement" => "with statement",
        "raise_statement" => "raise statement",
        "lambda" => "lambda",
        "set" => "set display",
        "set_comprehension" => "set comprehension",
        "generator_expression" => "generator expression",
        "yield" => "yield",
        "await" => "await",
        "decorated_definition" => "decorator",
        "nonlocal_statement" => "nonlocal statement",
        "match_statement" => "match statement",
        "named_expression" => "assignment expression (:=)",
        "list_splat" | "list_splat_pattern" => "star expression",
        "dictionary_splat" | "dictionary_splat_pattern" => "dict unpacking (**)",
        "keyword_argument" => "keyword argument",
        "ellipsis" => "Ellipsis (...)",
        "print_statement" => "Python 2 print statement",
        "exec_statement" => "Python 2 exec statement",
        "type_alias_statement" => "type alias",
        "future_import_statement" => "from __future__ import",
        "default_parameter" | "typed_default_parameter" => "default parameter value",
        "typed_parameter" | "type" => "annotation",
        "keyword_separator" | "positional_separator" => "parameter separator (* or /)",
        "conditional_expression" => "conditional expression",
        "concatenated_string" => "string concatenation",
        "wildcard_import" => "from ... import *",
        "relative_import" => "relative import",
        "async" => "async",
        "string" => "string literal",
        "attribute" => "attribute assignment",
        "global_statement" => "global statement",
        other => return other.replace('_', " "),
    }
    .into()
}

impl<'s> Lowerer<'s> {
    /// The node's extent as CPython's positions give it: lines from 1, byte columns.
    pub(super) fn span(&self, n: Node) -> Span {
        let (a, b) = (n.start_position(), n.end_position());
        Span {
            line: a.row as u32 + 1,
            col: a.column as u32,
            end_line: b.row as u32 + 1,
            end_col: b.column as u32,
        }
    }

    pub(super) fn pos(&self, n: Node) -> Pos {
        let p = n.start_position();
        let start = self.line_starts.get(p.row).copied().unwrap_or(0);
        let end = (start + p.column).min(self.src.len());
        let col = self
            .src
            .get(start..end)
            .map_or(p.column, |s| s.chars().count());
        Pos {
            line: p.row as u32 + 1,
            col: col as u32 + 1,
        }
    }

    pub(super) fn text(&self, n: Node) -> &'s str {
        &self.src[n.byte_range()]
    }

    /// The source between two byte offsets.
    pub(super) fn src_slice(&self, from: usize, to: usize) -> String {
        self.src
            .get(from..to.max(from))
            .unwrap_or_default()
            .to_string()
    }

    /// A `SyntaxError` at `n`.
    pub(super) fn syntax_error(&self, n: Node, msg: &str) -> CompileError {
        CompileError::Syntax {
            pos: self.pos(n),
            msg: msg.into(),
        }
    }

    pub(super) fn unsupported<T>(&self, n: Node, what: impl Into<String>) -> Res<T> {
        Err(CompileError::Unsupported {
            pos: self.pos(n),
            what: what.into(),
        })
    }

    pub(super) fn unsupported_node<T>(&self, n: Node) -> Res<T> {
        self.unsupported(n, construct_name(n.kind()))
    }

    /// The first error or missing node, as a `SyntaxError`.
    pub(super) fn check_errors(&self, root: Node) -> Res<()> {
        if !root.has_error() {
            return Ok(());
        }
        let mut stack = vec![root];
        let mut skipped = false;
        while let Some(n) = stack.pop() {
            if n.is_missing() {
                let in_field = n
                    .parent()
                    .is_some_and(|p| matches!(p.kind(), "interpolation" | "format_expression"));
                return Err(CompileError::Syntax {
                    pos: self.pos(n),
                    msg: if in_field {
                        "f-string: empty expression not allowed".into()
                    } else {
                        format!("invalid syntax: expected '{}'", n.kind())
                    },
                });
            }
            if n.is_error() {
                return Err(CompileError::Syntax {
                    pos: self.pos(n),
                    msg: "invalid syntax".into(),
                });
            }
            if n.kind() == "interpolation"
                && n.child_by_field_name("expression")
                    .is_some_and(|e| e.kind() == "named_expression")
            {
                // f'{x:=^9}': the '=' starts a spec there, not a walrus (see fstring.rs).
                skipped = true;
                continue;
            }
            if n.has_error() {
                let mut kids = all_children(n);
                kids.reverse();
                stack.extend(kids);
            }
        }
        if skipped {
            return Ok(());
        }
        Err(CompileError::Syntax {
            pos: self.pos(root),
            msg: "invalid syntax".into(),
        })
    }

    /// A code unit's source shape (see [`Code::shape`]): where its tokens are. CPython's
    /// line table holds lines and UTF-8 byte columns, not what is written there.
    pub(super) fn shape(&self, n: Node) -> String {
        // Blanks inside a string literal are part of one token.
        fn strings(n: Node, base: usize, bytes: &mut [u8]) {
            if n.kind() == "string" {
                bytes[n.start_byte() - base..n.end_byte() - base].fill(b'x');
                return;
            }
            let mut c = n.walk();
            for ch in n.children(&mut c) {
                strings(ch, base, bytes);
            }
        }
        let mut bytes: Vec<u8> = self
            .text(n)
            .bytes()
            .map(|b| match b {
                b'\n' => b'\n',
                b' ' | b'\t' | b'\r' => b' ',
                _ => b'x',
            })
            .collect();
        strings(n, n.start_byte(), &mut bytes);
        format!(
            "{}:{}",
            n.start_position().column,
            String::from_utf8_lossy(&bytes)
        )
    }
}
