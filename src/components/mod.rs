//! Reusable pieces of the UI, one per file.

mod article_list;
mod facet_panel;
mod highlights;
mod marked_text;
mod offline_download;
mod pager;
mod prefs_bar;
mod search_box;
mod update_banner;

pub use article_list::{article_list, first_results, result_links, Context};
pub use facet_panel::{FacetPanel, FacetPanelProps};
pub use highlights::{
    clear_result_highlights, highlights_supported, result_text, show_result_highlights,
    utf16_marks, RESULT_HIGHLIGHT,
};
pub use marked_text::{marked_text, marked_text_padded};
pub use offline_download::OfflineDownload;
pub use pager::{Pager, PagerProps};
pub use prefs_bar::PrefsBar;
pub use search_box::{SearchBox, SearchBoxProps, SearchElsewhere, SearchElsewhereProps};
pub use update_banner::{UpdateBanner, APPLY_UPDATE_EVENT, UPDATE_READY_EVENT};
