//! User Timing marks, so the app's speed can be measured in a real browser.

/// Set once the index is loaded and the app can search.
pub const READY_MARK: &str = "docbao:ready";
/// The measure each search records.
pub const SEARCH_MEASURE: &str = "docbao:search";

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

pub fn mark(name: &str) {
    if let Some(p) = performance() {
        // Timing is an aid, never a reason to fail.
        let _ = p.mark(name);
    }
}

/// Runs `work` between two marks and records the measure `name`.
pub fn measure<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let start = format!("{name}:start");
    let end = format!("{name}:end");
    mark(&start);
    let out = work();
    mark(&end);
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark_and_end_mark(name, &start, &end);
    }
    out
}
