//! The memory layout of a live object: its C fields with offsets, sizes and values as CPython
//! would hold them, and where its block sits in pymalloc.

use serde::Serialize;

use crate::alloc::BlockInfo;
use crate::object::{OB_REFCNT_OFFSET, OB_SIZE_OFFSET, OB_TYPE_OFFSET, Obj};
use crate::runtime;
use crate::types::float::{FLOAT_TYPE, OB_FVAL_OFFSET, PyFloat};
use crate::types::int::{DIGIT_OFFSET, DIGIT_SIZE, PyInt};

/// One C field of an object.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    /// CPython's field name (`ob_refcnt`, `ob_size`, `ob_digit[0]`, ...).
    pub name: String,
    /// Offset from the object pointer (negative for the GC head).
    pub offset: isize,
    /// Size in bytes.
    pub size: usize,
    /// The value as CPython holds it (numbers as JSON numbers; `ob_type` as `&name`).
    pub value: serde_json::Value,
}

/// The layout of one object.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectLayout {
    /// `type(obj).__name__`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// `sys.getsizeof(obj)`.
    pub size: usize,
    /// `obj.__sizeof__()`.
    pub sizeof: usize,
    /// Bytes of the GC head in front of the object (0 or 16).
    pub gc_head: usize,
    /// `id(obj)`.
    pub address: usize,
    /// Where the allocation sits, if in a pool (`None`: system allocator or static object).
    pub block: Option<BlockInfo>,
    /// Whether the object is statically allocated by the runtime (small ints, bools).
    pub is_static: bool,
    /// The fields in memory order.
    pub fields: Vec<Field>,
}

fn header_fields(obj: &Obj) -> Vec<Field> {
    vec![
        Field {
            name: "ob_refcnt".into(),
            offset: OB_REFCNT_OFFSET as isize,
            size: 8,
            value: obj.refcnt().into(),
        },
        Field {
            name: "ob_type".into(),
            offset: OB_TYPE_OFFSET as isize,
            size: 8,
            value: format!("&{}", obj.type_name()).into(),
        },
    ]
}

/// The layout of an `int`, `bool` or `float`.
///
/// # Panics
/// For other types (their layouts come with their types).
pub fn layout(obj: &Obj) -> ObjectLayout {
    let mut fields = header_fields(obj);
    let mut is_static = false;
    if let Ok(i) = PyInt::from_obj(obj.clone()) {
        is_static = i.is_static();
        fields.push(Field {
            name: "ob_size".into(),
            offset: OB_SIZE_OFFSET as isize,
            size: 8,
            value: i.ob_size().into(),
        });
        let digits = i.digits();
        // Zero still has one (zero) digit allocated.
        let shown = if digits.is_empty() { vec![0] } else { digits };
        for (k, d) in shown.iter().enumerate() {
            fields.push(Field {
                name: format!("ob_digit[{k}]"),
                offset: (DIGIT_OFFSET + DIGIT_SIZE * k) as isize,
                size: DIGIT_SIZE,
                value: (*d).into(),
            });
        }
    } else if obj.is_type(&FLOAT_TYPE) {
        let f = PyFloat::from_obj(obj.clone()).expect("checked type");
        fields.push(Field {
            name: "ob_fval".into(),
            offset: OB_FVAL_OFFSET as isize,
            size: 8,
            value: serde_json::Number::from_f64(f.value())
                .map(serde_json::Value::Number)
                .unwrap_or_else(|| f.value().to_string().into()),
        });
    } else {
        panic!("no layout for type {}", obj.type_name());
    }
    let block = if is_static {
        None
    } else {
        runtime::with_heap(|h| h.block_info(obj.mem_address() as *const u8))
    };
    ObjectLayout {
        type_name: obj.type_name().into(),
        size: obj.getsizeof(),
        sizeof: obj.sizeof(),
        gc_head: obj.type_object().pre_header_size(),
        address: obj.id(),
        block,
        is_static,
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    #[test]
    fn int_fields() {
        let v = PyInt::from_bigint(&(BigInt::from(-3) << 30u32));
        let l = layout(v.as_obj());
        assert_eq!(l.size, 32);
        let names: Vec<_> = l.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "ob_refcnt",
                "ob_type",
                "ob_size",
                "ob_digit[0]",
                "ob_digit[1]"
            ]
        );
        assert_eq!(l.fields[2].value, serde_json::json!(-2));
        assert_eq!(l.fields[4].value, serde_json::json!(3));
        assert_eq!(l.block.unwrap().block_size, 32);
    }

    #[test]
    fn small_int_is_static_and_has_no_block() {
        let l = layout(PyInt::from_i64(7).as_obj());
        assert!(l.is_static && l.block.is_none());
        assert_eq!(l.size, 28);
    }

    #[test]
    fn float_fields() {
        let l = layout(PyFloat::new(0.25).as_obj());
        assert_eq!(l.fields.last().unwrap().value, serde_json::json!(0.25));
        assert_eq!(l.block.unwrap().size_class, 1);
    }
}
