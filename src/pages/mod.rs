//! One page per route.

mod article;
mod not_found;
mod row_fill;
mod search;

pub use article::ArticlePage;
pub use not_found::NotFoundPage;
pub use search::SearchPage;
