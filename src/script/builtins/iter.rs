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
            Value::Range(..) | Value::View(_) | Value::Iter(_) | Value::Types(_) => true,
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

    /// `PyObject_GetIter` as a value: an iterator object, shared by whoever holds it (an
    /// iterator is its own).
    pub(crate) fn iterator_value(&mut self, v: Value) -> R<Value> {
        if let Value::Iter(_) = v {
            return Ok(v);
        }
        let it = self.make_iter(v)?;
        let counted = if it.is_gc() {
            GcCounted::new(it)
        } else {
            GcCounted::uncounted(it)
        };
        Ok(Value::Iter(Rc::new(std::cell::RefCell::new(counted))))
    }

    fn make_iter(&mut self, v: Value) -> R<Iter> {
        Ok(match v {
            Value::Obj(o) => {
                let tag = TypeTag::of_obj(&o);
                match tag {
                    TypeTag::List | TypeTag::Tuple | TypeTag::Str => Iter::over_seq(o, tag),
                    TypeTag::Dict => {
                        let d = PyDict::from_obj(o).expect("dict");
                        let n = d.len();
                        Iter::Dict(Some(d), 0, ViewKind::Keys, n, None)
                    }
                    _ => {
                        return Err(type_err(format!(
                            "'{}' object is not iterable",
                            o.type_name()
                        )));
                    }
                }
            }
            // range_iter: the C-long iterator when everything fits one.
            Value::Range(r) => match r.small() {
                Some((a, s, n)) => Iter::Range(a, s, n),
                None => Iter::LongRange(r.start.clone(), r.step.clone(), r.len.clone()),
            },
            Value::View(vw) => {
                let d = PyDict::from_obj(vw.value.0.clone()).expect("dict");
                let n = d.len();
                // dictiter_new: an items iterator packs its (None, None) result tuple.
                let result = (vw.value.1 == ViewKind::Items).then(|| none_tuple(2));
                Iter::Dict(Some(d), 0, vw.value.1, n, result)
            }
            Value::Iter(_) => unreachable!("handled by get_iter"),
            Value::Types(_) => {
                return Err(Fault::Unsupported(
                    "iterating a tuple of types (not built in pylayout's memory)".into(),
                ));
            }
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
            LoopIter::Own(b, _) => self.next_in(b),
            LoopIter::Shared(s) => self.next_shared(s),
        }
    }

    /// The next item of an iterator object. Advancing it again while it runs (its `map`
    /// function calling `next` on it) is refused rather than re-entered.
    fn next_shared(&mut self, s: &Rc<RefCell<GcCounted<Iter>>>) -> R<Option<Obj>> {
        if is_generator(s) {
            return self.gen_next(s);
        }
        let mut b = s.borrow_mut();
        match &mut b.value {
            Iter::Running(_) => Err(Fault::Unsupported(
                "an iterator advanced again while it is advancing".into(),
            )),
            // These call Python code: their state comes out of the object meanwhile.
            Iter::Map(..) | Iter::Filter(..) | Iter::Enumerate(..) | Iter::Zip(..) => {
                let tag = b.value.tag();
                let mut it = std::mem::replace(&mut b.value, Iter::Running(tag));
                drop(b);
                let r = self.next_in(&mut it);
                s.borrow_mut().value = it;
                r
            }
            it => self.next_in(it),
        }
    }

    /// The next item of an iterator state: the ones made of other iterators here (`map` and
    /// `filter` call functions), the others by [`next_of`].
    pub(crate) fn next_in(&mut self, it: &mut Iter) -> R<Option<Obj>> {
        match it {
            Iter::Shared(s) => self.next_shared(s),
            Iter::Enumerate(inner, _, n, result) => match self.next_in(inner)? {
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
                    match self.next_in(i)? {
                        Some(x) => items.push(x),
                        None => return Ok(None),
                    }
                }
                Ok(Some(recycled(
                    Some(fresh.as_ref().unwrap_or(result)),
                    items,
                )))
            }
            // map_next: an item from each iterator, then the call.
            Iter::Map(func, its, ..) => {
                let mut args = Vec::with_capacity(its.len());
                for i in its.iter_mut() {
                    match self.next_in(i)? {
                        Some(x) => args.push(Value::Obj(x)),
                        None => return Ok(None),
                    }
                }
                let f = func.clone();
                Ok(Some(self.call(f, args, Vec::new())?.into_obj()?))
            }
            // filter_next: items until one is true (or the function's result for it is).
            Iter::Filter(func, inner, _) => loop {
                let Some(item) = self.next_in(inner)? else {
                    return Ok(None);
                };
                let keep = match func.clone() {
                    None => self.truthy(&Value::Obj(item.clone()))?,
                    Some(f) => {
                        let r = self.call(f, vec![Value::Obj(item.clone())], Vec::new())?;
                        self.truthy(&r)?
                    }
                };
                if keep {
                    return Ok(Some(item));
                }
                self.step()?;
            },
            // Generators are objects: shared, advanced by `next_shared`, as is an iterator
            // object while it advances.
            Iter::Gen(_) | Iter::Running(_) => Err(Fault::Unsupported(
                "an iterator advanced again while it is advancing".into(),
            )),
            leaf => next_of(leaf),
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

    fn length_hint(&self, v: &Value) -> usize {
        self.length_hint_or(v, 8)
    }

    /// `PyObject_LengthHint(v, default)`.
    fn length_hint_or(&self, v: &Value, default: usize) -> usize {
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
            Value::Range(r) => usize::try_from(&r.len).unwrap_or(usize::MAX),
            Value::View(vw) => PyDict::from_obj(vw.value.0.clone()).expect("dict").len(),
            Value::Iter(it) => match &it.borrow().value {
                Iter::Seq(o, i, _) => o.as_ref().map_or(0, |o| seq_len(o).saturating_sub(*i)),
                Iter::Dict(d, ..) | Iter::DictRev(d, ..) => d.as_ref().map_or(0, |d| d.len()),
                Iter::Range(_, _, n) => *n as usize,
                Iter::LongRange(_, _, n) => usize::try_from(n).unwrap_or(usize::MAX),
                Iter::Reversed(o, i, _) => {
                    if o.is_some() {
                        i.map_or(0, |i| i + 1)
                    } else {
                        0
                    }
                }
                Iter::Enumerate(..)
                | Iter::Zip(..)
                | Iter::Map(..)
                | Iter::Filter(..)
                | Iter::Shared(_)
                | Iter::Gen(_)
                | Iter::Running(_) => default,
            },
            _ => default,
        }
    }

    /// `list.extend(iterable)` (`list_extend`; from 3.13 a dict or a dict view takes
    /// [`dict_extend_path`]).
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
        // The iterator path, an item at a time: what the iterator allocates for an item
        // comes after the room made for the items, and growth interleaves with it.
        let hint = self.length_hint(&v);
        self.check_memory(hint as u128 * 8)?;
        let dict_path = dict_extend_path(&v);
        let mut it = self.get_iter(v)?;
        if dict_path {
            l.extend_begin_resized(hint);
        } else {
            l.extend_begin(hint);
        }
        while let Some(x) = self.iter_next(&mut it)? {
            l.extend_push(x);
            if l.len() & 1023 == 0 {
                self.charge(1024)?;
                self.check_memory(0)?;
            }
        }
        l.extend_end();
        Ok(())
    }

    /// `PySequence_Tuple(v)`: a tuple as it is, a list's items copied, anything else
    /// iterated into a tuple made first, at its length hint (10 without one), and resized as
    /// it fills ([`TupleBuilder`]).
    pub(crate) fn sequence_tuple(&mut self, v: Value) -> R<PyTuple> {
        if let Value::Obj(o) = &v {
            if let Ok(t) = PyTuple::from_obj(o.clone()) {
                return Ok(t);
            }
            if o.is_type(&crate::types::list::LIST_TYPE) {
                return Ok(PyTuple::new(seq_items(o)));
            }
        }
        let hint = self.length_hint_or(&v, 10);
        self.check_memory(hint as u128 * 8)?;
        let mut it = self.get_iter(v)?;
        let mut b = TupleBuilder::new(hint);
        let mut n = 0usize;
        while let Some(x) = self.iter_next(&mut it)? {
            b.push(x);
            n += 1;
            if n & 1023 == 0 {
                self.charge(1024)?;
                self.check_memory(0)?;
            }
        }
        Ok(b.finish())
    }

    /// `PySequence_Fast(v)`: a list's or tuple's items as they are; anything else made a
    /// list first ([`Self::sequence_list`]), which the caller keeps until it is done with
    /// the items (CPython releases it then).
    pub(crate) fn sequence_fast(&mut self, v: &Value) -> R<(Vec<Obj>, Option<PyList>)> {
        if let Value::Obj(x) = v
            && (x.is_type(&crate::types::list::LIST_TYPE)
                || x.is_type(&crate::types::tuple::TUPLE_TYPE))
        {
            let items = seq_items(x);
            self.charge(items.len())?;
            return Ok((items, None));
        }
        let l = self.sequence_list(v.clone())?;
        Ok((l.items(), Some(l)))
    }

    /// `PySequence_List(v)`: `PyList_New(0)` (free list) then `list_extend`.
    pub(crate) fn sequence_list(&mut self, v: Value) -> R<PyList> {
        let l = PyList::new();
        self.extend_list(&l, v)?;
        Ok(l)
    }

    pub(crate) fn iter_of(&mut self, v: Value) -> R<Iter> {
        match v {
            Value::Iter(shared) => Ok(Iter::Shared(shared)),
            other => self.make_iter(other),
        }
    }
}

/// The next item of an iterator over a sequence, dict or range (the others are
/// `Interp::next_in`'s).
fn next_of(it: &mut Iter) -> R<Option<Obj>> {
    match it {
        Iter::Seq(seq, i, tag) => {
            let Some(o) = seq else {
                return Ok(None);
            };
            let r = match tag {
                TypeTag::ListIterator => {
                    let l = PyList::from_obj(o.clone()).expect("list");
                    (*i < l.len()).then(|| l.get(*i as isize).expect("in range"))
                }
                TypeTag::TupleIterator => {
                    let t = PyTuple::from_obj(o.clone()).expect("tuple");
                    (*i < t.len()).then(|| t.get(*i as isize).expect("in range"))
                }
                _ => {
                    let s = PyStr::from_obj(o.clone()).expect("str");
                    (*i < s.len()).then(|| s.get(*i as isize).expect("in range").into_obj())
                }
            };
            match r {
                Some(_) => *i += 1,
                // listiter_next and the others: `it_seq = NULL; Py_DECREF(seq)`.
                None => *seq = None,
            }
            Ok(r)
        }
        // dictiter_iternext* and dictreviter_iternext: the same walk, forward or back.
        Iter::Dict(dict, pos, kind, len, result) => dict_next(dict, *kind, len, result, |d| {
            while *pos < d.nentries() {
                *pos += 1;
                if let Some(kv) = d.entry_at(*pos - 1) {
                    return Some(kv);
                }
            }
            None
        }),
        Iter::DictRev(dict, pos, kind, len, result) => dict_next(dict, *kind, len, result, |d| {
            while let Some(at) = *pos {
                *pos = at.checked_sub(1);
                if let Some(kv) = d.entry_at(at) {
                    return Some(kv);
                }
            }
            None
        }),
        Iter::Range(next, step, left) => {
            if *left == 0 {
                return Ok(None);
            }
            let v = *next;
            *left -= 1;
            *next = next.wrapping_add(*step);
            Ok(Some(ops::small_int(v)))
        }
        Iter::LongRange(next, step, left) => {
            if *left <= BigInt::from(0) {
                return Ok(None);
            }
            let v = next.clone();
            *left -= 1;
            *next += &*step;
            Ok(Some(ops::int_obj(v)))
        }
        Iter::Enumerate(..)
        | Iter::Zip(..)
        | Iter::Map(..)
        | Iter::Filter(..)
        | Iter::Shared(_)
        | Iter::Gen(_)
        | Iter::Running(_) => unreachable!("Interp::next_in advances iterators of iterators"),
        Iter::Reversed(seq, idx, tag) => {
            let Some(o) = seq else {
                return Ok(None);
            };
            let item = match *idx {
                // listreviter_next: the live length; reversed_next: PySequence_GetItem.
                Some(i) if *tag == TypeTag::Reversed => {
                    let l = PyList::from_obj(o.clone()).expect("list");
                    (i < l.len()).then(|| l.get(i as isize).expect("in range"))
                }
                Some(i) => Some(match PyTuple::from_obj(o.clone()) {
                    Ok(t) => t.get(i as isize).expect("in range"),
                    Err(o) => PyStr::from_obj(o)
                        .expect("str")
                        .get(i as isize)
                        .expect("in range")
                        .into_obj(),
                }),
                None => None,
            };
            match item {
                Some(x) => {
                    *idx = idx.and_then(|i| i.checked_sub(1));
                    Ok(Some(x))
                }
                None => {
                    *idx = None;
                    *seq = None;
                    Ok(None)
                }
            }
        }
    }
}

/// A dict iterator's next item: "changed size" once `ma_used` moved (and for good, as
/// `di_used = -1`), the key, value or recycled item tuple of the next entry `step` finds,
/// and the dict let go at the end.
fn dict_next(
    dict: &mut Option<PyDict>,
    kind: ViewKind,
    len: &mut usize,
    result: &Option<PyTuple>,
    step: impl FnOnce(&PyDict) -> Option<(Obj, Obj)>,
) -> R<Option<Obj>> {
    let Some(d) = dict else {
        return Ok(None);
    };
    if d.len() != *len {
        *len = usize::MAX;
        return Err(exc(
            ExcKind::RuntimeError,
            "dictionary changed size during iteration",
        ));
    }
    match step(d) {
        Some((k, v)) => Ok(Some(match kind {
            ViewKind::Keys => k,
            ViewKind::Values => v,
            ViewKind::Items => recycled(result.as_ref(), vec![k, v]),
        })),
        None => {
            *dict = None;
            Ok(None)
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

// ---- the iterator builtins ----

/// `enumerate(iterable, start=0)`.
pub(super) fn enumerate(me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
    // enum_vectorcall's own binding of (iterable, start).
    let given = args.len() + kw.len();
    if given == 0 {
        return Err(type_err("enumerate() missing required argument 'iterable'"));
    }
    if given > 2 {
        return Err(type_err(format!(
            "enumerate() takes at most 2 arguments ({given} given)"
        )));
    }
    let mut args = args;
    let mut start_v = None;
    let kw_names: Vec<&str> = kw.iter().map(|(k, _)| &**k).collect();
    let expected: &[&str] = match (given, kw.len()) {
        (2, 2) if kw_names[0] == "start" => &["start", "iterable"],
        (2, 2) => &["iterable", "start"],
        (2, 1) => &["start"],
        (1, 1) => &["iterable"],
        _ => &[],
    };
    for ((k, v), want) in kw.into_iter().zip(expected) {
        if &*k != *want {
            return Err(type_err(format!(
                "'{k}' is an invalid keyword argument for enumerate()"
            )));
        }
        if *want == "start" {
            start_v = Some(v);
        } else {
            args.insert(0, v);
        }
    }
    if args.len() == 2 {
        start_v = args.pop();
    }
    let start = match &start_v {
        None => 0,
        Some(v) => {
            let Some(i) = v.as_obj().and_then(ops::int_value) else {
                return Err(type_err(format!(
                    "'{}' object cannot be interpreted as an integer",
                    v.type_name()
                )));
            };
            // CPython counts on in a Python int past the machine range.
            i128::try_from(&i)
                .map_err(|_| Fault::Unsupported("enumerate() starting beyond 127 bits".into()))?
        }
    };
    // enum_new: the object, its iterator of the argument, then
    // `en_result = PyTuple_Pack(2, None, None)`.
    let mut counted = GcCounted::new(Iter::Range(0, 0, 0));
    let inner = me.iter_of(args.into_iter().next().expect("one"))?;
    let inner_gc = inner.count();
    let result = none_tuple(2);
    counted.value = Iter::Enumerate(Box::new(inner), inner_gc, start, result);
    Ok(Value::Iter(Rc::new(RefCell::new(counted))))
}

/// `zip(*iterables, strict=False)`.
pub(super) fn zip(me: &mut Interp<'_>, args: Args, kw: Kwargs) -> R<Value> {
    if kw.len() > 1 {
        return Err(type_err(format!(
            "zip() takes at most 1 keyword argument ({} given)",
            kw.len()
        )));
    }
    if let Some((k, v)) = kw.first() {
        if &**k != "strict" {
            return Err(type_err(format!(
                "'{k}' is an invalid keyword argument for zip()"
            )));
        }
        if me.truthy(v)? {
            return Err(Fault::Unsupported("zip(strict=True)".into()));
        }
    }
    let its_args = args;
    // type_call packs the arguments; zip_new makes `ittuple`, an iterator per
    // argument, the result tuple filled with None, then the object.
    let n = its_args.len();
    let call_args = none_tuple(n);
    let ittuple = none_tuple(n);
    let mut its = Vec::new();
    let mut gcs = Vec::new();
    for a in its_args {
        let it = me.iter_of(a)?;
        gcs.extend(it.count());
        its.push(it);
    }
    let result = none_tuple(n);
    let counted = GcCounted::new(Iter::Zip(its, ittuple, gcs, result));
    drop(call_args);
    Ok(Value::Iter(Rc::new(RefCell::new(counted))))
}

/// `map(func, *iterables)` (`map_vectorcall`): the `iters` tuple, an iterator per
/// iterable, then the object.
pub(super) fn map(me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    if args.len() < 2 {
        return Err(type_err("map() must have at least two arguments."));
    }
    let mut args = args.into_iter();
    let func = args.next().expect("checked");
    let iters = none_tuple(args.len());
    let mut its = Vec::new();
    let mut gcs = Vec::new();
    for a in args {
        let it = me.iter_of(a)?;
        gcs.extend(it.count());
        its.push(it);
    }
    let counted = GcCounted::new(Iter::Map(func, its, iters, gcs));
    Ok(Value::Iter(Rc::new(RefCell::new(counted))))
}

/// `filter(func, iterable)` (`filter_vectorcall`): the iterator, then the object; a `None`
/// or `bool` function tests the items' truth.
pub(super) fn filter(me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    if args.len() != 2 {
        return Err(type_err(format!(
            "filter expected 2 arguments, got {}",
            args.len()
        )));
    }
    let mut args = args.into_iter();
    let func = args.next().expect("checked");
    let func = match func {
        Value::Obj(o) if none::is_none(&o) => None,
        Value::Type(TypeTag::Bool) => None,
        f => Some(f),
    };
    let it = me.iter_of(args.next().expect("checked"))?;
    let gc = it.count();
    let counted = GcCounted::new(Iter::Filter(func, Box::new(it), gc));
    Ok(Value::Iter(Rc::new(RefCell::new(counted))))
}

/// `reversed(seq)`: a list's `list_reverseiterator`, the `reversed` object over a tuple or
/// str, a range iterator backwards, a dict's (or its view's) reverse iterator.
pub(super) fn reversed(_me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    let gc_iter = |it: Iter| Ok(Value::Iter(Rc::new(RefCell::new(GcCounted::new(it)))));
    let dict_rev = |d: PyDict, kind: ViewKind| {
        let n = d.len();
        // dictiter_new: from the last entry; an items iterator packs its result tuple.
        let last = d.nentries().checked_sub(1);
        let result = (kind == ViewKind::Items).then(|| none_tuple(2));
        gc_iter(Iter::DictRev(Some(d), last, kind, n, result))
    };
    match &args[0] {
        Value::Obj(o) if o.is_type(&crate::types::list::LIST_TYPE) => {
            let n = seq_len(o);
            gc_iter(Iter::Reversed(
                Some(o.clone()),
                n.checked_sub(1),
                TypeTag::Reversed,
            ))
        }
        Value::Obj(o)
            if o.is_type(&crate::types::tuple::TUPLE_TYPE)
                || o.is_type(&crate::types::str::STR_TYPE) =>
        {
            let n = seq_len(o);
            gc_iter(Iter::Reversed(
                Some(o.clone()),
                n.checked_sub(1),
                TypeTag::SeqReversed,
            ))
        }
        Value::Obj(o) if o.is_type(&crate::types::dict::DICT_TYPE) => {
            dict_rev(PyDict::from_obj(o.clone()).expect("dict"), ViewKind::Keys)
        }
        Value::View(vw) => dict_rev(
            PyDict::from_obj(vw.value.0.clone()).expect("dict"),
            vw.value.1,
        ),
        // range_reverse: a range iterator from the last item backwards.
        Value::Range(r) => {
            // The same range backwards: from the last item, by -step; a C-long iterator
            // when the range's fields fit one and `start - step` does too.
            let last = r.item(&(&r.len - 1));
            let fast = r.small().and_then(|(a, s, n)| {
                a.checked_sub(s)?;
                Some((i64::try_from(&last).ok()?, s.checked_neg()?, n))
            });
            let it = match fast {
                Some((last, back, n)) => Iter::Range(last, back, n),
                None => Iter::LongRange(last, -r.step.clone(), r.len.clone()),
            };
            Ok(Value::Iter(Rc::new(RefCell::new(GcCounted::uncounted(it)))))
        }
        other => Err(type_err(format!(
            "'{}' object is not reversible",
            other.type_name()
        ))),
    }
}

/// `iter(object)`.
pub(super) fn iter(me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    if args.len() == 2 {
        return Err(Fault::Unsupported("iter(callable, sentinel)".into()));
    }
    let v = args.into_iter().next().expect("one");
    if let Value::Iter(_) = v {
        return Ok(v);
    }
    let it = me.make_iter(v)?;
    let counted = if it.is_gc() {
        GcCounted::new(it)
    } else {
        GcCounted::uncounted(it)
    };
    Ok(Value::Iter(Rc::new(RefCell::new(counted))))
}

/// `next(iterator[, default])`.
pub(super) fn next(me: &mut Interp<'_>, args: Args, _kw: Kwargs) -> R<Value> {
    let Value::Iter(it) = &args[0] else {
        return Err(type_err(format!(
            "'{}' object is not an iterator",
            args[0].type_name()
        )));
    };
    let r = if is_generator(it) {
        me.gen_resume(it, None)?
    } else {
        match me.iter_next(&mut LoopIter::Shared(it.clone()))? {
            Some(x) => GenStep::Yielded(x),
            None => GenStep::Returned(obj(none::none())),
        }
    };
    match r {
        GenStep::Yielded(x) => Ok(obj(x)),
        GenStep::Returned(v) => match args.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(stop_iteration(v)?),
        },
    }
}

/// The `StopIteration` an exhausted iterator raises: no value, or the value its generator
/// returned (`_PyGen_SetStopIterationValue`).
pub(crate) fn stop_iteration(v: Value) -> R<Fault> {
    Ok(if v.is_none() {
        exc(ExcKind::StopIteration, "")
    } else {
        Fault::PyArgs(
            ExcKind::StopIteration,
            PyTuple::new(vec![v.into_obj()?]).into_obj(),
        )
    })
}

/// `generator.send(value)`, `generator.close()` (`throw` is refused).
pub(crate) fn generator_method(
    me: &mut Interp<'_>,
    g: &Rc<RefCell<GcCounted<Iter>>>,
    name: &str,
    args: Args,
    kw: Kwargs,
) -> R<Value> {
    if !kw.is_empty() {
        let who = if name.starts_with("__") {
            format!("wrapper {name}")
        } else {
            format!("generator.{name}")
        };
        return Err(type_err(format!("{who}() takes no keyword arguments")));
    }
    let arity = |n: usize| -> R<()> {
        if args.len() == n {
            return Ok(());
        }
        Err(type_err(match n {
            0 => format!(
                "generator.{name}() takes no arguments ({} given)",
                args.len()
            ),
            _ => format!(
                "generator.{name}() takes exactly one argument ({} given)",
                args.len()
            ),
        }))
    };
    match name {
        "send" => {
            arity(1)?;
            match me.gen_resume(g, Some(args[0].clone()))? {
                GenStep::Yielded(x) => Ok(obj(x)),
                GenStep::Returned(v) => Err(stop_iteration(v)?),
            }
        }
        "close" => {
            arity(0)?;
            me.gen_close(g)?;
            Ok(obj(none::none()))
        }
        "throw" => {
            if args.is_empty() || args.len() > 3 {
                let bound = if args.is_empty() {
                    "at least 1 argument"
                } else {
                    "at most 3 arguments"
                };
                return Err(type_err(format!(
                    "throw expected {bound}, got {}",
                    args.len()
                )));
            }
            if args.len() == 3 && !args[2].is_none() {
                return Err(Fault::Unsupported(
                    "generator.throw() with a traceback argument".into(),
                ));
            }
            let mut args = args.into_iter();
            let fault = me.exception_to_raise(args.next().expect("one"), args.next())?;
            match me.gen_throw(g, fault)? {
                GenStep::Yielded(x) => Ok(obj(x)),
                GenStep::Returned(v) => Err(stop_iteration(v)?),
            }
        }
        // Slot wrappers: their own argument count message.
        "__next__" | "__iter__" if !args.is_empty() => Err(type_err(format!(
            "expected 0 arguments, got {}",
            args.len()
        ))),
        "__next__" => match me.gen_resume(g, None)? {
            GenStep::Yielded(x) => Ok(obj(x)),
            GenStep::Returned(v) => Err(stop_iteration(v)?),
        },
        "__iter__" => Ok(Value::Iter(g.clone())),
        _ => Err(Fault::Unsupported(format!(
            "generator.{name} (not modelled by pylayout)"
        ))),
    }
}

/// The generator methods the runner has.
pub(crate) const GENERATOR_METHODS: &[&str] = &["send", "throw", "close", "__next__", "__iter__"];

/// Whether `list_extend` takes 3.13's `list_extend_dict` / `list_extend_dictitems` path for
/// `v` (an exact dict or a keys, values or items view), which grows the list by
/// `list_resize` instead of starting from the exact length.
pub(crate) fn dict_extend_path(v: &Value) -> bool {
    crate::runtime::version() >= crate::profile::PyVersion::Py313
        && match v {
            Value::View(_) => true,
            Value::Obj(o) => o.is_type(&crate::types::dict::DICT_TYPE),
            _ => false,
        }
}
