//! The memory layout of a live object: its C fields with offsets, sizes and values as CPython
//! holds them, the separately allocated blocks it owns (a list's item array, a dict's keys
//! object), where each sits in pymalloc, and the objects it references.
//!
//! Field names are CPython 3.11's (`Include/cpython/*.h`, `Objects/dict-common.h`). Pointer
//! fields hold addresses in pylayout's memory; they differ from CPython's run to run, but
//! NULL/non-NULL and everything else match.
//!
//! ```text
//!  ObjectLayout                         for [1, 2, 3] built by appends
//!  ├── size, sizeof, gc_head            88 = 16 + 72;  72 = 40 + 8 * 4
//!  ├── size_parts                       PyGC_Head 16 | PyListObject 40 | ob_item 32 (separate)
//!  ├── placement                        a block of a pool of size class 3 (64-byte blocks)
//!  ├── fields    (offset, size, value)  ob_refcnt 0 8 | ob_type 8 8 | ob_size 16 8 | ob_item 24 8 | allocated 32 8
//!  ├── blocks    (owned, with fields)   ob_item: ob_item[0..4], its own 32-byte block
//!  └── items     (ObjectLayout each)    int 1, int 2, int 3: static, 28 bytes each
//! ```
//!
//! Start with [`layout`]; its example asserts these numbers.

use std::collections::HashSet;

use serde::Serialize;

use crate::alloc::BlockInfo;
use crate::object::{IMMORTAL_REFCNT, OB_REFCNT_OFFSET, OB_SIZE_OFFSET, OB_TYPE_OFFSET, Obj};
use crate::runtime;
use crate::types::dict::{
    self as dict, GENERAL_ENTRY, KEYS_HEADER, MA_KEYS_OFFSET, MA_USED_OFFSET, PyDict, UNICODE_ENTRY,
};
use crate::types::float::{FLOAT_TYPE, OB_FVAL_OFFSET, PyFloat};
use crate::types::int::{DIGIT_OFFSET, DIGIT_SIZE, PyInt};
use crate::types::list::{ALLOCATED_OFFSET, OB_ITEM_OFFSET, PyList};
use crate::types::none;
use crate::types::str::{HASH_OFFSET, LENGTH_OFFSET, PyStr, STATE_OFFSET, State};
use crate::types::tuple::PyTuple;
use crate::types::{cell::PyCell, function::PyFunction};

/// One C field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    /// CPython's field name (`ob_refcnt`, `ob_size`, `state.kind`, `dk_indices[3]`, ...).
    pub name: String,
    /// Offset from the object (or block) start; negative for the GC head.
    pub offset: isize,
    /// Size in bytes (0 for bit fields inside `state`).
    pub size: usize,
    /// The value as CPython holds it: numbers, addresses as integers (0 for NULL), `ob_type`
    /// as `&name`, characters of a string's data as the string.
    pub value: serde_json::Value,
}

/// Where an allocation sits: said precisely, never "X or Y".
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Placement {
    /// A block of a pymalloc pool (requests of 1..=512 bytes).
    Pool(BlockInfo),
    /// A block from the system allocator (`PyObject_Malloc` of over 512 bytes goes to
    /// `malloc`).
    System {
        /// The bytes requested.
        bytes: usize,
    },
    /// Static data of the runtime (small ints, None, the empty tuple and str, the one-character
    /// Latin-1 strs, `Py_EMPTY_KEYS`): allocated by no allocator.
    Static,
}

impl Placement {
    /// Where an allocation of `bytes` at `address` sits (`is_static`: the runtime's own).
    pub fn of(address: usize, bytes: usize, is_static: bool) -> Placement {
        if is_static {
            return Placement::Static;
        }
        match pool_of(address) {
            Some(b) => Placement::Pool(b),
            None => {
                debug_assert!(
                    bytes > crate::alloc::SMALL_REQUEST_THRESHOLD,
                    "a request of {bytes} bytes outside the pools"
                );
                Placement::System { bytes }
            }
        }
    }

    /// One line: "block 3 of pool 7 (size class 3, 64-byte blocks) in arena 0", "the system
    /// allocator (malloc: 840 bytes, over pymalloc's 512)", "static data of the runtime".
    pub fn describe(&self) -> String {
        match self {
            Placement::Pool(b) => format!(
                "block {} of pool {} (size class {}, {}-byte blocks) in arena {}",
                b.block_index, b.pool_index, b.size_class, b.block_size, b.arena_index
            ),
            Placement::System { bytes } => format!(
                "the system allocator (malloc of {bytes} bytes: over pymalloc's {})",
                crate::alloc::SMALL_REQUEST_THRESHOLD
            ),
            Placement::Static => "static data of the runtime: in no pool, never freed".into(),
        }
    }
}

impl ObjectLayout {
    /// Whether the object sits in a pymalloc pool.
    pub fn placement_is_pool(&self) -> bool {
        matches!(self.placement, Placement::Pool(_))
    }
}

impl Block {
    /// Whether the block sits in a pymalloc pool.
    pub fn placement_is_pool(&self) -> bool {
        matches!(self.placement, Placement::Pool(_))
    }
}

/// One part of `sys.getsizeof(obj)`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SizePart {
    /// What it is: `PyGC_Head`, the C struct (`PyListObject`), or an owned block (`ob_item`).
    pub name: String,
    /// Its bytes.
    pub bytes: usize,
    /// Whether it is allocated separately from the object.
    pub separate: bool,
}

/// A block the object owns besides itself (the list's `ob_item` array, the dict's keys).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Block {
    /// What it is (`ob_item`, `ma_keys`).
    pub name: String,
    /// Its address.
    pub address: usize,
    /// Bytes allocated.
    pub size: usize,
    /// Where it sits in pymalloc (`None`: from the system allocator, over 512 bytes).
    pub pool: Option<BlockInfo>,
    /// Where it sits, said precisely.
    pub placement: Placement,
    /// Whether `sys.getsizeof` of the owner counts it (not the shared `Py_EMPTY_KEYS`).
    pub counted: bool,
    /// Its fields.
    pub fields: Vec<Field>,
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
    #[serde(rename = "pool")]
    pub block: Option<BlockInfo>,
    /// Whether the object is statically allocated by the runtime (small ints, bools, None,
    /// the empty tuple and string, one-character Latin-1 strings).
    pub is_static: bool,
    /// Where it sits, said precisely.
    pub placement: Placement,
    /// `sys.getsizeof` split: GC head, the object's own block, the blocks it owns that
    /// `__sizeof__` counts. The parts add up to `size`.
    pub size_parts: Vec<SizePart>,
    /// The fields in memory order.
    pub fields: Vec<Field>,
    /// Separately allocated blocks the object owns.
    pub blocks: Vec<Block>,
    /// `sys.getsizeof` of this object plus every object reachable through `items`, each once.
    pub deep_size: usize,
    /// The objects it references (list/tuple items; dict keys and values alternating), laid
    /// out to the depth asked for; deeper ones have no fields.
    pub items: Vec<ObjectLayout>,
}

fn field(
    name: impl Into<String>,
    offset: usize,
    size: usize,
    value: impl Into<serde_json::Value>,
) -> Field {
    Field {
        name: name.into(),
        offset: offset as isize,
        size,
        value: value.into(),
    }
}

fn header_fields(obj: &Obj, held: isize) -> Vec<Field> {
    vec![
        // An immortal count (3.12+) did not move for the inspector's references.
        field(
            "ob_refcnt",
            OB_REFCNT_OFFSET,
            8,
            if obj.refcnt() == IMMORTAL_REFCNT {
                obj.refcnt()
            } else {
                obj.refcnt() - held
            },
        ),
        field(
            "ob_type",
            OB_TYPE_OFFSET,
            8,
            format!("&{}", obj.type_name()),
        ),
    ]
}

fn pool_of(address: usize) -> Option<BlockInfo> {
    if address == 0 {
        return None;
    }
    runtime::with_heap(|h| h.block_info(address as *const u8))
}

/// The layout of `obj` with its referenced objects one level deep.
///
/// `[1, 2, 3]` built by appends (so 4 slots), as `pylayout layout` shows it:
///
/// ```
/// use pylayout::inspect::layout::layout;
/// use pylayout::types::int::PyInt;
/// use pylayout::types::list::PyList;
///
/// let l = PyList::new();
/// for i in 1..=3 {
///     l.append(PyInt::from_i64(i).into_obj());
/// }
/// let lay = layout(l.as_obj());
/// assert_eq!((lay.type_name.as_str(), lay.size, lay.sizeof, lay.gc_head), ("list", 88, 72, 16));
///
/// // The C fields of PyListObject, in memory order, with their offsets and values:
/// let fields: Vec<(&str, isize, usize)> =
///     lay.fields.iter().map(|f| (f.name.as_str(), f.offset, f.size)).collect();
/// assert_eq!(
///     fields,
///     [("ob_refcnt", 0, 8), ("ob_type", 8, 8), ("ob_size", 16, 8), ("ob_item", 24, 8), ("allocated", 32, 8)]
/// );
/// assert_eq!(lay.fields[2].value, 3); // ob_size == len
/// assert_eq!(lay.fields[4].value, 4); // allocated
///
/// // sys.getsizeof split into its parts: the GC head, the object, the item array.
/// let parts: Vec<(&str, usize, bool)> =
///     lay.size_parts.iter().map(|p| (p.name.as_str(), p.bytes, p.separate)).collect();
/// assert_eq!(parts, [("PyGC_Head", 16, false), ("PyListObject", 40, false), ("ob_item", 32, true)]);
///
/// // The list (56 bytes with its head) sits in a 64-byte block, size class 3; the item
/// // array is its own pymalloc block (32 bytes: size class 1); the items, small ints, are
/// // static: in no pool at all.
/// assert_eq!(lay.block.map(|b| (b.size_class, b.block_size)), Some((3, 64)));
/// assert_eq!(lay.blocks[0].pool.map(|b| b.block_size), Some(32));
/// assert_eq!(lay.items.len(), 3);
/// assert!(lay.items.iter().all(|i| i.is_static && i.size == 28));
/// ```
pub fn layout(obj: &Obj) -> ObjectLayout {
    layout_depth(obj, 1)
}

/// The layout of `obj`, following references `depth` levels.
pub fn layout_depth(obj: &Obj, depth: usize) -> ObjectLayout {
    let mut seen = HashSet::new();
    let deep_size = deep_size(obj, &mut seen);
    build(obj, depth, deep_size, 0)
}

/// `held`: references the inspector itself holds on `obj` (not counted in `ob_refcnt`).
fn build(obj: &Obj, depth: usize, deep: usize, held: isize) -> ObjectLayout {
    let mut fields = header_fields(obj, held);
    let mut blocks = Vec::new();
    let mut refs: Vec<Obj> = Vec::new();
    let mut is_static = none::is_none(obj);
    if let Ok(i) = PyInt::from_obj(obj.clone()) {
        is_static = i.is_static();
        let (name, raw) = i.size_field();
        fields.push(field(name, OB_SIZE_OFFSET, 8, raw));
        let digits = i.digits();
        // Zero still has one (zero) digit allocated.
        let shown = if digits.is_empty() { vec![0] } else { digits };
        for (k, d) in shown.iter().enumerate() {
            fields.push(field(
                format!("ob_digit[{k}]"),
                DIGIT_OFFSET + DIGIT_SIZE * k,
                DIGIT_SIZE,
                *d,
            ));
        }
    } else if obj.is_type(&FLOAT_TYPE) {
        let f = PyFloat::from_obj(obj.clone()).expect("checked type");
        fields.push(Field {
            name: "ob_fval".into(),
            offset: OB_FVAL_OFFSET as isize,
            size: 8,
            value: serde_json::Number::from_f64(f.value())
                .map(serde_json::Value::Number)
                .unwrap_or_else(|| crate::types::ops::float_repr(f.value()).into()),
        });
    } else if let Ok(l) = PyList::from_obj(obj.clone()) {
        fields.push(field("ob_size", OB_SIZE_OFFSET, 8, l.len()));
        fields.push(field("ob_item", OB_ITEM_OFFSET, 8, l.ob_item_address()));
        fields.push(field("allocated", ALLOCATED_OFFSET, 8, l.allocated()));
        let items = l.items();
        if l.allocated() > 0 {
            let mut bf = Vec::new();
            for k in 0..l.allocated() {
                let v = items.get(k).map_or(0, |o| o.id());
                bf.push(field(format!("ob_item[{k}]"), 8 * k, 8, v));
            }
            blocks.push(Block {
                name: "ob_item".into(),
                address: l.ob_item_address(),
                size: l.allocated() * 8,
                pool: pool_of(l.ob_item_address()),
                placement: Placement::of(l.ob_item_address(), l.allocated() * 8, false),
                counted: true,
                fields: bf,
            });
        }
        refs = items;
    } else if let Ok(t) = PyTuple::from_obj(obj.clone()) {
        is_static = t.is_static();
        fields.push(field("ob_size", OB_SIZE_OFFSET, 8, t.len()));
        let items = t.items();
        for (k, it) in items.iter().enumerate() {
            fields.push(field(format!("ob_item[{k}]"), 24 + 8 * k, 8, it.id()));
        }
        refs = items;
    } else if let Ok(f) = PyFunction::from_obj(obj.clone()) {
        for (name, offset, size, value) in f.fields_after_header() {
            fields.push(field(name, offset, size, value));
        }
        refs = f.referents();
    } else if let Ok(c) = PyCell::from_obj(obj.clone()) {
        let v = c.get();
        fields.push(field("ob_ref", 16, 8, v.as_ref().map_or(0, |o| o.id())));
        refs = v.into_iter().collect();
    } else if let Ok(s) = PyStr::from_obj(obj.clone()) {
        is_static = s.is_static();
        let st = s.state();
        fields.push(field("length", LENGTH_OFFSET, 8, s.len()));
        fields.push(field("hash", HASH_OFFSET, 8, s.cached_hash()));
        fields.push(field("state.interned", STATE_OFFSET, 0, st.interned));
        fields.push(field("state.kind", STATE_OFFSET, 0, st.kind));
        fields.push(field(
            "state.compact",
            STATE_OFFSET,
            0,
            u32::from(st.compact),
        ));
        fields.push(field("state.ascii", STATE_OFFSET, 0, u32::from(st.ascii)));
        fields.push(field(
            format!("state.{}", State::bit7_name()),
            STATE_OFFSET,
            0,
            u32::from(st.bit7),
        ));
        for (name, offset, value) in s.header_words() {
            fields.push(field(name, offset, 8, value));
        }
        fields.push(field(
            "data",
            s.data_offset(),
            (s.len() + 1) * s.kind(),
            s.to_string(),
        ));
    } else if let Ok(d) = PyDict::from_obj(obj.clone()) {
        let t = d.table();
        fields.push(field("ma_used", MA_USED_OFFSET, 8, t.ma_used));
        fields.push(field(
            "ma_version_tag",
            MA_USED_OFFSET + 8,
            8,
            d.version_tag(),
        ));
        fields.push(field("ma_keys", MA_KEYS_OFFSET, 8, t.keys_address));
        fields.push(field("ma_values", MA_KEYS_OFFSET + 8, 8, 0));
        blocks.push(keys_block(&d, &t));
        for (k, v) in d.items() {
            refs.push(k);
            refs.push(v);
        }
    } else if !none::is_none(obj) {
        // A type pylayout builds but the inspector does not know: header only.
    }
    let block = if is_static {
        None
    } else {
        pool_of(obj.mem_address())
    };
    // `refs` holds one reference per occurrence: count them once (a per-item scan made
    // `[0] * 10**6` quadratic), and size each distinct object once.
    let mut held: std::collections::HashMap<usize, isize> = std::collections::HashMap::new();
    for r in &refs {
        *held.entry(r.id()).or_default() += 1;
    }
    let mut sizes: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let items = refs
        .iter()
        .map(|r| {
            if depth == 0 {
                shallow(r)
            } else {
                let d = *sizes.entry(r.id()).or_insert_with(|| {
                    let mut seen = HashSet::new();
                    deep_size(r, &mut seen)
                });
                build(r, depth - 1, d, held[&r.id()])
            }
        })
        .collect();
    let items = if depth == 0 { Vec::new() } else { items };
    let gc_head = obj.type_object().pre_header_size();
    let sizeof = obj.sizeof();
    let owned: usize = blocks.iter().filter(|b| b.counted).map(|b| b.size).sum();
    let mut size_parts = Vec::new();
    if gc_head > 0 {
        size_parts.push(SizePart {
            name: "PyGC_Head".into(),
            bytes: gc_head,
            separate: false,
        });
    }
    size_parts.push(SizePart {
        name: struct_name(obj).into(),
        bytes: sizeof - owned.min(sizeof),
        separate: false,
    });
    for b in blocks.iter().filter(|b| b.counted) {
        size_parts.push(SizePart {
            name: b.name.clone(),
            bytes: b.size,
            separate: true,
        });
    }
    ObjectLayout {
        type_name: obj.type_name().into(),
        size: obj.getsizeof(),
        sizeof,
        gc_head,
        address: obj.id(),
        block,
        is_static,
        placement: Placement::of(
            obj.mem_address(),
            gc_head + (sizeof - owned.min(sizeof)),
            is_static,
        ),
        size_parts,
        fields,
        blocks,
        deep_size: deep,
        items,
    }
}

/// The C struct CPython 3.11 lays the object out as.
fn struct_name(o: &Obj) -> &'static str {
    match o.type_name() {
        "int" | "bool" => "PyLongObject",
        "float" => "PyFloatObject",
        "list" => "PyListObject",
        "tuple" => "PyTupleObject",
        "dict" => "PyDictObject",
        "function" => "PyFunctionObject",
        "cell" => "PyCellObject",
        "NoneType" => "PyObject",
        "str" => match PyStr::from_obj(o.clone()) {
            Ok(s) if s.state().ascii => "PyASCIIObject",
            _ => "PyCompactUnicodeObject",
        },
        _ => "PyObject",
    }
}

/// Whether the runtime allocated `o` statically (small ints, None, the empty tuple and str,
/// one-character Latin-1 strs).
fn is_static_obj(o: &Obj) -> bool {
    if none::is_none(o) {
        true
    } else if let Ok(i) = PyInt::from_obj(o.clone()) {
        i.is_static()
    } else if let Ok(t) = PyTuple::from_obj(o.clone()) {
        t.is_static()
    } else if let Ok(s) = PyStr::from_obj(o.clone()) {
        s.is_static()
    } else {
        false
    }
}

/// Type, size and address only.
fn shallow(o: &Obj) -> ObjectLayout {
    let is_static = is_static_obj(o);
    let gc_head = o.type_object().pre_header_size();
    let block = if is_static {
        None
    } else {
        pool_of(o.mem_address())
    };
    ObjectLayout {
        type_name: o.type_name().into(),
        size: o.getsizeof(),
        sizeof: o.sizeof(),
        gc_head,
        address: o.id(),
        block,
        is_static,
        placement: Placement::of(o.mem_address(), gc_head + o.sizeof(), is_static),
        size_parts: Vec::new(),
        fields: Vec::new(),
        blocks: Vec::new(),
        deep_size: o.getsizeof(),
        items: Vec::new(),
    }
}

/// The dict's keys object (`PyDictKeysObject`): header, index table, entries.
fn keys_block(d: &PyDict, t: &dict::TableInfo) -> Block {
    let unicode = t.dk_kind == dict::DICT_KEYS_UNICODE;
    let index_bytes = 1usize << t.dk_log2_index_bytes;
    let width = index_bytes >> t.dk_log2_size;
    let entry = if unicode {
        UNICODE_ENTRY
    } else {
        GENERAL_ENTRY
    };
    let usable = dict::usable_fraction(1 << t.dk_log2_size);
    let mut f = vec![
        field("dk_refcnt", 0, 8, t.dk_refcnt),
        field("dk_log2_size", 8, 1, t.dk_log2_size),
        field("dk_log2_index_bytes", 9, 1, t.dk_log2_index_bytes),
        field("dk_kind", 10, 1, t.dk_kind),
        field("dk_version", 12, 4, 0),
        field("dk_usable", 16, 8, t.dk_usable),
        field("dk_nentries", 24, 8, t.dk_nentries),
    ];
    for (k, ix) in t.indices.iter().enumerate() {
        f.push(field(
            format!("dk_indices[{k}]"),
            KEYS_HEADER + width * k,
            width,
            *ix,
        ));
    }
    let entries_at = KEYS_HEADER + index_bytes;
    for k in 0..usable {
        let at = entries_at + entry * k;
        let live = if (k as isize) < t.dk_nentries {
            d.entry_at(k)
        } else {
            None
        };
        let (key, value, h) = match &live {
            Some((key, value)) => (
                key.id(),
                value.id(),
                crate::types::ops::hash(key).unwrap_or(-1),
            ),
            None => (0, 0, 0),
        };
        if unicode {
            f.push(field(format!("dk_entries[{k}].me_key"), at, 8, key));
            f.push(field(format!("dk_entries[{k}].me_value"), at + 8, 8, value));
        } else {
            f.push(field(format!("dk_entries[{k}].me_hash"), at, 8, h));
            f.push(field(format!("dk_entries[{k}].me_key"), at + 8, 8, key));
            f.push(field(
                format!("dk_entries[{k}].me_value"),
                at + 16,
                8,
                value,
            ));
        }
    }
    let size = KEYS_HEADER + index_bytes + usable * entry;
    Block {
        name: if t.shared_empty_keys {
            "ma_keys (the shared empty keys, Py_EMPTY_KEYS)".into()
        } else {
            "ma_keys".into()
        },
        address: t.keys_address,
        size,
        pool: if t.shared_empty_keys {
            None
        } else {
            pool_of(t.keys_address)
        },
        placement: Placement::of(t.keys_address, size, t.shared_empty_keys),
        counted: !t.shared_empty_keys,
        fields: f,
    }
}

/// `sys.getsizeof` summed over the object and everything it references, each object once.
pub fn deep_size(obj: &Obj, seen: &mut HashSet<usize>) -> usize {
    let mut total = 0;
    let mut stack = vec![obj.clone()];
    while let Some(o) = stack.pop() {
        if !seen.insert(o.id()) {
            continue;
        }
        total += o.getsizeof();
        if let Ok(l) = PyList::from_obj(o.clone()) {
            stack.extend(l.items());
        } else if let Ok(t) = PyTuple::from_obj(o.clone()) {
            stack.extend(t.items());
        } else if let Ok(d) = PyDict::from_obj(o.clone()) {
            for (k, v) in d.items() {
                stack.push(k);
                stack.push(v);
            }
        } else if let Ok(f) = PyFunction::from_obj(o.clone()) {
            stack.extend(f.referents());
        } else if let Ok(c) = PyCell::from_obj(o.clone()) {
            stack.extend(c.get());
        }
    }
    total
}

/// The bytes of the objects a layout `depth` levels deep would show, stopping once past
/// `limit`: what the explorer checks before building a layout that would print too much.
pub fn layout_bytes(obj: &Obj, depth: usize, limit: usize) -> usize {
    let mut total = obj.getsizeof();
    if depth == 0 || total > limit {
        return total;
    }
    let refs: Vec<Obj> = if let Ok(l) = PyList::from_obj(obj.clone()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_bytes_counts_each_level_and_stops_past_the_limit() {
        let inner = PyList::with_items(vec![PyInt::from_i64(1000).into_obj()]);
        let outer = PyList::with_items(vec![inner.as_obj().clone(), PyInt::from_i64(7).into_obj()]);
        let o = outer.as_obj();
        let (lo, li, int) = (o.getsizeof(), inner.as_obj().getsizeof(), 28);
        assert_eq!(layout_bytes(o, 0, usize::MAX), lo);
        assert_eq!(layout_bytes(o, 1, usize::MAX), lo + li + int);
        assert_eq!(layout_bytes(o, 2, usize::MAX), lo + li + int + int);
        // Past the limit it stops early: no more than the first level that crossed it.
        assert!(layout_bytes(o, 2, lo) <= lo + li);
    }
    use num_bigint::BigInt;

    fn value(l: &ObjectLayout, name: &str) -> serde_json::Value {
        l.fields
            .iter()
            .chain(l.blocks.iter().flat_map(|b| b.fields.iter()))
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no field {name}"))
            .value
            .clone()
    }

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

    #[test]
    fn list_has_its_item_array_as_a_block() {
        let items: Vec<Obj> = (0..3)
            .map(|i| PyInt::from_i64(1000 + i).into_obj())
            .collect();
        let l = PyList::from_constant_display(items);
        let lay = layout(l.as_obj());
        assert_eq!(value(&lay, "allocated"), serde_json::json!(4));
        assert_eq!(lay.blocks.len(), 1);
        assert_eq!(lay.blocks[0].size, 32);
        assert_eq!(value(&lay, "ob_item[3]"), serde_json::json!(0));
        assert_eq!(lay.items.len(), 3);
        assert_eq!(lay.deep_size, 88 + 3 * 28);
        assert_eq!(lay.gc_head, 16);
    }

    #[test]
    fn dict_keys_block_matches_the_table() {
        let d = PyDict::new();
        for k in ["a", "b", "c"] {
            d.set_item(PyStr::new(k).into_obj(), PyInt::from_i64(1).into_obj())
                .unwrap();
        }
        let lay = layout(d.as_obj());
        let keys = &lay.blocks[0];
        assert_eq!(value(&lay, "dk_log2_size"), serde_json::json!(3));
        assert_eq!(value(&lay, "dk_kind"), serde_json::json!(1));
        assert_eq!(value(&lay, "dk_nentries"), serde_json::json!(3));
        // 32-byte header, 8 one-byte indices, 5 unicode entries of 16 bytes.
        assert_eq!(keys.size, 32 + 8 + 5 * 16);
        let used = (0..8)
            .filter(|k| value(&lay, &format!("dk_indices[{k}]")) != serde_json::json!(-1))
            .count();
        assert_eq!(used, 3);
        assert_eq!(lay.items.len(), 6);
    }

    #[test]
    fn str_state_bits_and_data() {
        let s = PyStr::new("héllo");
        let lay = layout(s.as_obj());
        assert_eq!(value(&lay, "state.kind"), serde_json::json!(1));
        assert_eq!(value(&lay, "state.ascii"), serde_json::json!(0));
        assert_eq!(value(&lay, "hash"), serde_json::json!(-1));
        assert_eq!(value(&lay, "data"), serde_json::json!("héllo"));
        assert_eq!(lay.size, 72 + 6);
        let json = serde_json::to_value(&lay).unwrap();
        for key in ["type", "size", "gc_head", "fields", "blocks", "items"] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
    }
}
