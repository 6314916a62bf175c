//! Dictionaries decoded on first touch. The app's first page (no query: the newest
//! articles and the facets) looks up no term, so an embedded index loaded with
//! `codec::from_static_bytes` leaves its three dictionaries, most of the decoding, as
//! bytes until a search touches one or the app calls `Index::finish_loading` once the
//! page is shown. The same decoder runs either way; only when changes.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};

use super::TermDict;
use crate::codec::CodecError;

/// The three dictionaries (folded, exact, pairs) of one index, still to be decoded.
pub(crate) struct DeferredDicts {
    decode: Box<dyn Fn() -> Result<[TermDict; 3], CodecError> + Send + Sync>,
    /// Damage found on decoding leaves the dictionaries empty (nothing matches) and the
    /// error here, for `Index::finish_loading` to report.
    decoded: OnceLock<([TermDict; 3], Option<CodecError>)>,
}

impl DeferredDicts {
    pub(crate) fn new(
        decode: impl Fn() -> Result<[TermDict; 3], CodecError> + Send + Sync + 'static,
    ) -> Arc<DeferredDicts> {
        Arc::new(DeferredDicts {
            decode: Box::new(decode),
            decoded: OnceLock::new(),
        })
    }

    fn get(&self) -> &([TermDict; 3], Option<CodecError>) {
        self.decoded.get_or_init(|| match (self.decode)() {
            Ok(dicts) => (dicts, None),
            Err(e) => (Default::default(), Some(e)),
        })
    }
}

/// A dictionary, either at hand or one of three decoded together on first touch.
#[derive(Clone, Default)]
pub(crate) struct LazyDict {
    /// The dictionary when not deferred.
    ready: TermDict,
    deferred: Option<(Arc<DeferredDicts>, usize)>,
}

impl LazyDict {
    /// The three dictionaries of `deferred`, in order: folded, exact, pairs.
    pub(crate) fn deferred(deferred: Arc<DeferredDicts>) -> [LazyDict; 3] {
        [0, 1, 2].map(|i| LazyDict {
            ready: TermDict::default(),
            deferred: Some((deferred.clone(), i)),
        })
    }

    /// The dictionary if it was never deferred, without starting any decoding.
    pub(crate) fn if_ready_mut(&mut self) -> Option<&mut TermDict> {
        self.deferred.is_none().then_some(&mut self.ready)
    }

    /// Decodes now if still deferred; the damage found, if any.
    pub(crate) fn finish(&self) -> Result<(), CodecError> {
        match &self.deferred {
            None => Ok(()),
            Some((d, _)) => d.get().1.clone().map_or(Ok(()), Err),
        }
    }

    /// True once the dictionary is decoded (or was never deferred).
    pub(crate) fn is_decoded(&self) -> bool {
        self.deferred
            .as_ref()
            .is_none_or(|(d, _)| d.decoded.get().is_some())
    }
}

impl From<TermDict> for LazyDict {
    fn from(ready: TermDict) -> LazyDict {
        LazyDict {
            ready,
            deferred: None,
        }
    }
}

impl Deref for LazyDict {
    type Target = TermDict;

    fn deref(&self) -> &TermDict {
        match &self.deferred {
            None => &self.ready,
            Some((d, i)) => &d.get().0[*i],
        }
    }
}

impl DerefMut for LazyDict {
    /// Changing a deferred dictionary decodes it and keeps a copy of its own.
    fn deref_mut(&mut self) -> &mut TermDict {
        if let Some((d, i)) = self.deferred.take() {
            self.ready = d.get().0[i].clone();
        }
        &mut self.ready
    }
}

impl PartialEq for LazyDict {
    fn eq(&self, other: &LazyDict) -> bool {
        **self == **other
    }
}

impl fmt::Debug for LazyDict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_decoded() {
            TermDict::fmt(self, f)
        } else {
            f.write_str("(not decoded yet)")
        }
    }
}
