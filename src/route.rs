//! Every state of the app lives in the URL hash: `#/search?q=…`, `#/a/<id>`.

use serde::{Deserialize, Serialize};
use yew_router::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/search")]
    Search,
    #[at("/a/:id")]
    Article { id: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// The query part of `#/search?q=…`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
}

impl SearchQuery {
    /// The query of the current location; a missing or malformed one is empty.
    pub fn from_location(location: Option<&Location>) -> SearchQuery {
        location
            .and_then(|l| l.query::<SearchQuery>().ok())
            .unwrap_or_default()
    }
}
