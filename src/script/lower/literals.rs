//! Literals: numbers and strings as CPython reads them (`parsenumber` in `Parser/pegen.c`,
//! the tokenizer's rules for `_` and leading zeros in `Parser/tokenizer.c`, prefixes, quotes
//! and escapes in `Parser/string_parser.c`), with their error messages. Bytes, complex
//! numbers and `\N{...}` are refused; f-strings are [`super::fstring`].

use num_bigint::BigInt;
use tree_sitter::Node;

use super::{CompileError, Lowerer, Res};
use crate::script::ast::*;
use crate::types::float::PyFloat;
use crate::types::int::PyInt;

impl<'s> Lowerer<'s> {
    /// An `integer` token's value (`parsenumber` in `Parser/pegen.c`, after the tokenizer's
    /// checks): an int literal, kept in the AST arena.
    pub(super) fn integer(&mut self, n: Node) -> Res<Expr> {
        let t = self.number_text(n)?;
        let (digits, radix) = match t.get(..2).map(|p| p.to_ascii_lowercase()) {
            Some(p) if p == "0x" => (&t[2..], 16),
            Some(p) if p == "0o" => (&t[2..], 8),
            Some(p) if p == "0b" => (&t[2..], 2),
            _ => (t.as_str(), 10),
        };
        if radix == 10
            && digits.len() > 1
            && digits.starts_with('0')
            && digits.bytes().any(|b| b != b'0')
        {
            return Err(CompileError::Syntax {
                pos: self.pos(n),
                msg: "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers".into(),
            });
        }
        if digits.len() > 100_000 {
            return self.unsupported(n, "an integer literal of more than 100000 digits");
        }
        let v =
            BigInt::parse_bytes(digits.as_bytes(), radix).ok_or_else(|| CompileError::Syntax {
                pos: self.pos(n),
                msg: "invalid integer literal".into(),
            })?;
        Ok(self.parsed_lit(PyInt::from_bigint(&v).into_obj()))
    }

    /// A `float` token's value (`parsenumber`): a float literal, kept in the AST arena.
    pub(super) fn float(&mut self, n: Node) -> Res<Expr> {
        let t = self.number_text(n)?;
        let v: f64 = t.parse().map_err(|_| CompileError::Syntax {
            pos: self.pos(n),
            msg: "invalid float literal".into(),
        })?;
        Ok(self.parsed_lit(PyFloat::new(v).into_obj()))
    }

    /// A number token's text without its `_`s, after the tokenizer's check of where they
    /// stand; complex numbers (`1j`) are refused.
    fn number_text(&self, n: Node) -> Res<String> {
        if let Some(msg) = bad_underscore(self.text(n)) {
            return Err(CompileError::Syntax {
                pos: self.pos(n),
                msg: msg.into(),
            });
        }
        let t = self.text(n).replace('_', "");
        if t.ends_with(['j', 'J']) {
            return self.unsupported(n, "complex number");
        }
        Ok(t)
    }

    /// A string literal's value (prefixes, quotes and escapes as Python reads them).
    pub(super) fn string(&self, n: Node) -> Res<String> {
        let text = self.text(n);
        let prefix_len = text.find(['\'', '"']).unwrap_or(0);
        let prefix = text[..prefix_len].to_ascii_lowercase();
        if prefix.contains('b') {
            return self.unsupported(n, "bytes literal");
        }
        let raw = prefix.contains('r');
        let rest = &text[prefix_len..];
        let q = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            3
        } else {
            1
        };
        if rest.len() < 2 * q {
            return Err(CompileError::Syntax {
                pos: self.pos(n),
                msg: "unterminated string literal".into(),
            });
        }
        let body = &rest[q..rest.len() - q];
        self.decode(n, body, raw)
    }

    /// A literal's text with its escapes read (`decode_unicode_with_escapes`); as it stands
    /// when `raw`.
    pub(super) fn decode(&self, n: Node, body: &str, raw: bool) -> Res<String> {
        if raw {
            return Ok(body.to_string());
        }
        let mut out = String::with_capacity(body.len());
        let mut chars = body.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(e) = chars.next() else {
                out.push('\\');
                break;
            };
            match e {
                '\n' => {}
                '\\' => out.push('\\'),
                '\'' => out.push('\''),
                '"' => out.push('"'),
                'a' => out.push('\x07'),
                'b' => out.push('\x08'),
                'f' => out.push('\x0c'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'v' => out.push('\x0b'),
                '0'..='7' => {
                    let mut v = e.to_digit(8).expect("octal");
                    for _ in 0..2 {
                        match chars.peek().and_then(|d| d.to_digit(8)) {
                            Some(d) => {
                                v = v * 8 + d;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    out.push(self.code_point(n, v)?);
                }
                'x' | 'u' | 'U' => {
                    let len = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = (0..len).filter_map(|_| chars.next()).collect();
                    let v = u32::from_str_radix(&hex, 16)
                        .ok()
                        .filter(|_| hex.len() == len);
                    let Some(v) = v else {
                        return Err(CompileError::Syntax {
                            pos: self.pos(n),
                            msg: format!("(unicode error) truncated \\{e}XX escape"),
                        });
                    };
                    out.push(self.code_point(n, v)?);
                }
                'N' => return self.unsupported(n, "\\N{...} escape"),
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
        }
        Ok(out)
    }

    fn code_point(&self, n: Node, v: u32) -> Res<char> {
        match char::from_u32(v) {
            Some(c) => Ok(c),
            None if (0xd800..0xe000).contains(&v) => {
                self.unsupported(n, "surrogate code point in a string")
            }
            None => Err(CompileError::Syntax {
                pos: self.pos(n),
                msg: "(unicode error) illegal Unicode character".into(),
            }),
        }
    }
}

/// The tokenizer's rule for `_` in a number: each one stands between two digits, or right
/// after a base prefix (`0x_ff`). The message CPython's tokenizer gives otherwise.
fn bad_underscore(text: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    let (radix_digit, msg): (fn(u8) -> bool, &'static str) =
        match text.get(..2).map(|p| p.to_ascii_lowercase()).as_deref() {
            Some("0x") => (|c: u8| c.is_ascii_hexdigit(), "invalid hexadecimal literal"),
            Some("0o") => (|c: u8| (b'0'..=b'7').contains(&c), "invalid octal literal"),
            Some("0b") => (|c: u8| c == b'0' || c == b'1', "invalid binary literal"),
            _ => (|c: u8| c.is_ascii_digit(), "invalid decimal literal"),
        };
    let prefixed = msg != "invalid decimal literal";
    for (i, &c) in b.iter().enumerate() {
        if c != b'_' {
            continue;
        }
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + 1).copied();
        let ok_before = before.is_some_and(radix_digit) || (prefixed && i == 2);
        let ok_after = after.is_some_and(radix_digit);
        if !(ok_before && ok_after) {
            return Some(msg);
        }
    }
    None
}
