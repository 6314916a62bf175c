//! Reusable pieces of the UI, one per file.

mod article_list;
mod marked_text;
mod search_box;
mod update_banner;

pub use article_list::{ArticleList, ArticleListProps};
pub use marked_text::{MarkedText, MarkedTextProps};
pub use search_box::{SearchBox, SearchBoxProps};
pub use update_banner::{UpdateBanner, APPLY_UPDATE_EVENT, UPDATE_READY_EVENT};
