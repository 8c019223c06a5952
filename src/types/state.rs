//! The types' per-thread state: what CPython keeps for each type in its interpreter state.
//!
//! ```text
//!  TypeStates
//!  ├── ints    small ints -5..=256, True, False   static objects: not in any pool
//!  ├── none    the None singleton
//!  ├── floats  free list, up to 100 dead floats   layer +3 of the obmalloc picture
//!  ├── lists   free list, up to 80 dead lists
//!  ├── dicts   free lists of dicts and size-8 str-keyed tables (80 each); the static empty keys
//!  ├── strs    '' and the 256 one-character Latin-1 strings (static); the interned table
//!  └── tuples  the static empty tuple; free lists by length 1..=20, up to 2000 each
//! ```
//!
//! Each type module defines its state and the code that uses it; this file only gathers
//! them into one per-thread value. The object layer below ([`crate::runtime`]) never names
//! them: when this state is created it registers [`clear_freelists`] there, which a full
//! collection calls (`_PyGC_ClearAllFreeLists`).
//!
//! Adding a type with state: a field here, its constructor in `TypeStates::new`, and, if
//! it keeps a free list, a line in [`clear_freelists`].

use crate::alloc::Pymalloc;
use crate::runtime;
use crate::types::dict::DictState;
use crate::types::float::FloatState;
use crate::types::int::IntState;
use crate::types::list::ListState;
use crate::types::none::NoneState;
use crate::types::str::StrState;
use crate::types::tuple::TupleState;

/// The per-thread state of every type.
#[derive(Debug)]
pub(crate) struct TypeStates {
    pub(crate) ints: IntState,
    pub(crate) none: NoneState,
    pub(crate) floats: FloatState,
    pub(crate) lists: ListState,
    pub(crate) tuples: TupleState,
    pub(crate) strs: StrState,
    pub(crate) dicts: DictState,
}

impl TypeStates {
    fn new() -> TypeStates {
        // Touch the heap first: its thread-local is then created before this one and so
        // destroyed after it (thread-local destructors run in reverse order of creation),
        // and this state's free lists can give their blocks back in `drop`.
        runtime::with(|_| ());
        runtime::register_freelist_clearer(clear_freelists);
        TypeStates {
            ints: IntState::new(),
            none: NoneState::new(),
            floats: FloatState::new(),
            lists: ListState::default(),
            tuples: TupleState::new(),
            strs: StrState::new(),
            dicts: DictState::new(),
        }
    }

    fn clear_freelists(&self, heap: &mut Pymalloc) {
        self.floats.clear(heap);
        self.lists.clear(heap);
        self.tuples.clear(heap);
        self.dicts.clear(heap);
    }
}

impl Drop for TypeStates {
    fn drop(&mut self) {
        // Free lists hold pool blocks: give them back while the heap is alive. If it is
        // already gone, its arenas went with it, blocks included.
        runtime::try_with_heap(|heap| self.clear_freelists(heap));
    }
}

thread_local! {
    static STATES: TypeStates = TypeStates::new();
}

/// Run `f` with this thread's type states.
///
/// # Panics
/// If called while the thread's state is being destroyed (thread exit).
#[inline(always)]
pub(crate) fn with<R>(f: impl FnOnce(&TypeStates) -> R) -> R {
    STATES.with(f)
}

/// Like [`with`] but `None` when the state is already destroyed (thread exit).
#[inline(always)]
pub(crate) fn try_with<R>(f: impl FnOnce(&TypeStates) -> R) -> Option<R> {
    STATES.try_with(f).ok()
}

/// Empty every type free list into this thread's heap (`_PyGC_ClearAllFreeLists`).
/// [`crate::runtime::clear_freelists`] calls this (the object layer cannot name types).
pub fn clear_freelists() {
    let _ = try_with(|st| runtime::with_heap(|heap| st.clear_freelists(heap)));
}
