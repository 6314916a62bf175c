//! Dictionaries made on first touch. The app's first page (no query: the newest
//! articles and the facets) looks up no term, so an embedded index loaded with
//! `codec::from_static_bytes` leaves its three dictionaries, most of the work, undone
//! until a search touches one, or the app has them made a slice at a time
//! (`Index::load_some`) once the page is shown. They are derived from the stored
//! articles (codec format 10) by the build's own code; the same code runs either way,
//! only when changes.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, OnceLock};

use super::TermDict;
use crate::codec::CodecError;

/// The dictionaries once made, or what damage left them (empty: nothing matches).
type Made = ([TermDict; 3], Option<CodecError>);

/// Makes the dictionaries, resumably: given a budget (bytes of article text), does about
/// that much and returns `None`, or finishes and returns them.
pub(crate) type MakeSome = dyn FnMut(usize) -> Option<Result<[TermDict; 3], CodecError>> + Send;

/// The three dictionaries (folded, exact, pairs) of one index, still to be made.
pub(crate) struct DeferredDicts {
    /// The work under way; only ever run with this lock held.
    make: Mutex<Box<MakeSome>>,
    /// Damage found while making them leaves the dictionaries empty (nothing matches)
    /// and the error here, for `Index::finish_loading` to report.
    made: OnceLock<Made>,
}

impl DeferredDicts {
    pub(crate) fn new(
        make: impl FnMut(usize) -> Option<Result<[TermDict; 3], CodecError>> + Send + 'static,
    ) -> Arc<DeferredDicts> {
        Arc::new(DeferredDicts {
            make: Mutex::new(Box::new(make)),
            made: OnceLock::new(),
        })
    }

    /// Goes on making the dictionaries for about `budget` bytes of article text; true
    /// once they are made.
    pub(crate) fn make_some(&self, budget: usize) -> bool {
        if self.made.get().is_some() {
            return true;
        }
        // A poisoned lock means a panic mid-way: the work is not resumed half done.
        let Ok(mut make) = self.make.lock() else {
            let _ = self.made.set((Default::default(), None));
            return true;
        };
        // Another caller may have finished while this one waited.
        if self.made.get().is_some() {
            return true;
        }
        match make(budget) {
            None => false,
            Some(result) => {
                // Only a holder of the lock sets it: this cannot fail.
                let _ = self.made.set(match result {
                    Ok(dicts) => (dicts, None),
                    Err(e) => (Default::default(), Some(e)),
                });
                true
            }
        }
    }

    fn get(&self) -> &Made {
        while !self.make_some(usize::MAX) {}
        self.made.get().expect("made once make_some is done")
    }
}

/// A dictionary, either at hand or one of three made together on first touch.
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

    /// The dictionary if it was never deferred, without starting any work.
    pub(crate) fn if_ready_mut(&mut self) -> Option<&mut TermDict> {
        self.deferred.is_none().then_some(&mut self.ready)
    }

    /// Goes on making it for about `budget` bytes of text if still deferred; true once
    /// made (or never deferred).
    pub(crate) fn make_some(&self, budget: usize) -> bool {
        self.deferred
            .as_ref()
            .is_none_or(|(d, _)| d.make_some(budget))
    }

    /// Makes it now if still deferred; the damage found, if any.
    pub(crate) fn finish(&self) -> Result<(), CodecError> {
        match &self.deferred {
            None => Ok(()),
            Some((d, _)) => d.get().1.clone().map_or(Ok(()), Err),
        }
    }

    /// True once the dictionary is made (or was never deferred).
    pub(crate) fn is_decoded(&self) -> bool {
        self.deferred
            .as_ref()
            .is_none_or(|(d, _)| d.made.get().is_some())
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
    /// Changing a deferred dictionary makes it and keeps a copy of its own.
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
            f.write_str("(not made yet)")
        }
    }
}
