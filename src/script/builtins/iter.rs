//! Iteration: `iter()` of each iterable, the iterator states' `next`, and collecting an
//! iterable into items (what `list(x)`, `sorted(x)` and `sum(x)` walk).

use super::*;

impl Interp<'_> {
    // ---- iteration ----

    pub(crate) fn is_iterable(&self, v: &Value) -> bool {
        match v {
            Value::Obj(o) => {
                PyList::from_obj(o.clone()).is_ok()
                    || PyTuple::from_obj(o.clone()).is_ok()
                    || PyStr::from_obj(o.clone()).is_ok()
                    || PyDict::from_obj(o.clone()).is_ok()
            }
            Value::Range(..) | Value::View(_) | Value::Iter(_) => true,
            _ => false,
        }
    }

    /// `GET_ITER`.
    pub(crate) fn get_iter(&mut self, v: Value) -> R<LoopIter> {
        let it = match &v {
            Value::Iter(shared) => return Ok(LoopIter::Shared(shared.clone())),
            _ => self.make_iter(v)?,
        };
        let gc = it.is_gc().then(|| GcCounted::new(()));
        Ok(LoopIter::Own(Box::new(it), gc))
    }

    pub(super) fn make_iter(&mut self, v: Value) -> R<Iter> {
        Ok(match v {
            Value::Obj(o) => {
                let tag = TypeTag::of_obj(&o);
                match tag {
                    TypeTag::List | TypeTag::Tuple | TypeTag::Str => Iter::Seq(o, 0, tag),
                    TypeTag::Dict => {
                        let d = PyDict::from_obj(o).expect("dict");
                        let n = d.len();
                        Iter::Dict(d, 0, ViewKind::Keys, n, None)
                    }
                    _ => {
                        return Err(type_err(format!(
                            "'{}' object is not iterable",
                            o.type_name()
                        )));
                    }
                }
            }
            Value::Range(r) => {
                let (a, b, s) = *r;
                Iter::Range(a, s, range_len(a, b, s))
            }
            Value::View(vw) => {
                let d = PyDict::from_obj(vw.value.0.clone()).expect("dict");
                let n = d.len();
                // dictiter_new: an items iterator packs its (None, None) result tuple.
                let result = (vw.value.1 == ViewKind::Items).then(|| none_tuple(2));
                Iter::Dict(d, 0, vw.value.1, n, result)
            }
            Value::Iter(_) => unreachable!("handled by get_iter"),
            other => {
                return Err(type_err(format!(
                    "'{}' object is not iterable",
                    other.type_name()
                )));
            }
        })
    }

    /// `FOR_ITER`: the next item, `None` when exhausted.
    pub(crate) fn iter_next(&mut self, it: &mut LoopIter) -> R<Option<Obj>> {
        match it {
            LoopIter::Own(b, _) => next_of(b),
            LoopIter::Shared(s) => next_of(&mut s.borrow_mut().value),
        }
    }

    /// All items of an iterable, and its length hint (`PyObject_LengthHint(x, 8)`) and
    /// whether it has a `len()`.
    pub(crate) fn collect(&mut self, v: Value) -> R<(Vec<Obj>, usize, bool)> {
        let sized = !matches!(v, Value::Iter(_));
        if let Value::Obj(o) = &v
            && (o.is_type(&crate::types::list::LIST_TYPE)
                || o.is_type(&crate::types::tuple::TUPLE_TYPE))
        {
            let items = seq_items(o);
            self.charge(items.len())?;
            let n = items.len();
            return Ok((items, n, true));
        }
        let hint = self.length_hint(&v);
        self.check_memory(hint as u128 * 8)?;
        let mut it = self.get_iter(v)?;
        let mut out = Vec::new();
        while let Some(x) = self.iter_next(&mut it)? {
            out.push(x);
            if out.len() & 1023 == 0 {
                self.charge(1024)?;
                self.check_memory(0)?;
            }
        }
        Ok((out, hint, sized))
    }

    pub(super) fn length_hint(&self, v: &Value) -> usize {
        match v {
            Value::Obj(o) => {
                if let Ok(s) = PyStr::from_obj(o.clone()) {
                    s.len()
                } else if let Ok(d) = PyDict::from_obj(o.clone()) {
                    d.len()
                } else {
                    // A list or tuple; anything else has no length to hint (and `get_iter`
                    // then raises CPython's "'int' object is not iterable").
                    seq_len(o)
                }
            }
            Value::Range(r) => range_len(r.0, r.1, r.2) as usize,
            Value::View(vw) => PyDict::from_obj(vw.value.0.clone()).expect("dict").len(),
            Value::Iter(it) => match &it.borrow().value {
                Iter::Seq(o, i, _) => seq_len(o).saturating_sub(*i),
                Iter::Dict(d, ..) => d.len(),
                Iter::Range(_, _, n) => *n as usize,
                Iter::Reversed(_, i) => i.map_or(0, |i| i + 1),
                Iter::Enumerate(..) | Iter::Zip(..) => 8,
            },
            _ => 8,
        }
    }

    /// `list.extend(iterable)` (`list_extend`).
    pub(crate) fn extend_list(&mut self, l: &PyList, v: Value) -> R<()> {
        if let Value::Obj(o) = &v
            && (o.is_type(&crate::types::list::LIST_TYPE)
                || o.is_type(&crate::types::tuple::TUPLE_TYPE))
        {
            let items = seq_items(o);
            self.check_memory(((l.len() + items.len()) * 8) as u128)?;
            l.extend_exact(items);
            return Ok(());
        }
        let (items, hint, _) = self.collect(v)?;
        l.extend_iter(items, hint);
        Ok(())
    }

    /// `PySequence_List(v)`: `PyList_New(0)` (free list) then `list_extend`.
    pub(super) fn sequence_list(&mut self, v: Value) -> R<PyList> {
        let l = PyList::new();
        self.extend_list(&l, v)?;
        Ok(l)
    }

    pub(super) fn iter_of(&mut self, v: Value) -> R<Iter> {
        match v {
            Value::Iter(shared) => {
                // Share the underlying state: take a snapshot is wrong; wrap by moving the
                // iterator's state out is not possible while shared, so refuse nesting.
                let _ = shared;
                Err(Fault::Unsupported(
                    "an iterator object inside enumerate()/zip()".into(),
                ))
            }
            other => self.make_iter(other),
        }
    }
}

/// The next item of an iterator state.
pub(crate) fn next_of(it: &mut Iter) -> R<Option<Obj>> {
    match it {
        Iter::Seq(o, i, tag) => {
            let r = match tag {
                TypeTag::List => {
                    let l = PyList::from_obj(o.clone()).expect("list");
                    (*i < l.len()).then(|| l.get(*i as isize).expect("in range"))
                }
                TypeTag::Tuple => {
                    let t = PyTuple::from_obj(o.clone()).expect("tuple");
                    (*i < t.len()).then(|| t.get(*i as isize).expect("in range"))
                }
                _ => {
                    let s = PyStr::from_obj(o.clone()).expect("str");
                    (*i < s.len()).then(|| s.get(*i as isize).expect("in range").into_obj())
                }
            };
            if r.is_some() {
                *i += 1;
            }
            Ok(r)
        }
        Iter::Dict(d, pos, kind, len, result) => {
            if d.len() != *len {
                *len = usize::MAX; // stays broken, as di_used = -1
                return Err(exc(
                    ExcKind::RuntimeError,
                    "dictionary changed size during iteration",
                ));
            }
            while *pos < d.nentries() {
                let at = *pos;
                *pos += 1;
                if let Some((k, v)) = d.entry_at(at) {
                    return Ok(Some(match kind {
                        ViewKind::Keys => k,
                        ViewKind::Values => v,
                        ViewKind::Items => recycled(result.as_ref(), vec![k, v]),
                    }));
                }
            }
            Ok(None)
        }
        Iter::Range(next, step, left) => {
            if *left == 0 {
                return Ok(None);
            }
            let v = *next;
            *left -= 1;
            *next = next.wrapping_add(*step);
            Ok(Some(ops::small_int(v)))
        }
        Iter::Enumerate(inner, _, n, result) => match next_of(inner)? {
            Some(x) => {
                let i = match i64::try_from(*n) {
                    Ok(v) => ops::small_int(v),
                    Err(_) => ops::int_obj(BigInt::from(*n)),
                };
                *n += 1;
                Ok(Some(recycled(Some(result), vec![i, x])))
            }
            None => Ok(None),
        },
        Iter::Zip(its, _, _, result) => {
            if its.is_empty() {
                return Ok(None);
            }
            // zip_next: when the result tuple is still held elsewhere, a new one is made
            // before the items are fetched (and freed again if an iterator is exhausted).
            let fresh = (result.as_obj().refcnt() != 1).then(|| none_tuple(its.len()));
            let mut items = Vec::with_capacity(its.len());
            for i in its.iter_mut() {
                match next_of(i)? {
                    Some(x) => items.push(x),
                    None => return Ok(None),
                }
            }
            Ok(Some(recycled(
                Some(fresh.as_ref().unwrap_or(result)),
                items,
            )))
        }
        Iter::Reversed(o, idx) => {
            let l = PyList::from_obj(o.clone()).expect("list");
            match *idx {
                Some(i) if i < l.len() => {
                    let x = l.get(i as isize).expect("in range");
                    *idx = i.checked_sub(1);
                    Ok(Some(x))
                }
                _ => {
                    *idx = None;
                    Ok(None)
                }
            }
        }
    }
}

pub(crate) fn seq_len(o: &Obj) -> usize {
    if let Ok(l) = PyList::from_obj(o.clone()) {
        return l.len();
    }
    if let Ok(t) = PyTuple::from_obj(o.clone()) {
        return t.len();
    }
    PyStr::from_obj(o.clone()).map(|s| s.len()).unwrap_or(0)
}
