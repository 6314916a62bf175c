//! A search result's matches as a CSS Custom Highlight (`CSS.highlights`): the title and
//! the snippet are one text node each, and the matches are ranges over them, painted by
//! `::highlight(docbao-result)` in the styles. A row is then ~6 layout objects and 2 Yew
//! text nodes instead of ~33 and ~20 (`<mark>`s and the text between them), which a
//! keystroke otherwise patched and laid out anew in every row.
//!
//! A browser without the API (older Safari and Firefox) gets the `<mark>`s, as the article
//! page always does: [`highlights_supported`] is read once, so a session keeps one way.

use std::cell::OnceCell;

use docbao_engine::{Hit, Marked};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::marked_text_padded;

/// The name the results' ranges are registered under, which the styles paint.
pub const RESULT_HIGHLIGHT: &str = "docbao-result";

#[wasm_bindgen]
extern "C" {
    /// `Highlight`: a set of ranges painted alike (web-sys has no binding for it yet).
    type Highlight;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<Highlight, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn add(this: &Highlight, range: &StaticRange) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method)]
    fn clear(this: &Highlight);

    /// `StaticRange`: a range the document does not keep up to date as it changes. The
    /// results' ranges are made again after every render, so nothing needs updating; a live
    /// `Range` (`createRange`) is one the document adjusts at every later change of the
    /// text nodes under it (the next keystroke's patch), and then repaints its highlight.
    type StaticRange;
    #[wasm_bindgen(constructor, catch)]
    fn new(init: &RangeInit) -> Result<StaticRange, JsValue>;

    /// A `StaticRangeInit`: a plain object, its fields set by typed setters (a number
    /// passed as itself, no `Reflect.set` of a boxed value: a range was four crossings of
    /// the boundary more than its constructor and `add`).
    #[wasm_bindgen(extends = js_sys::Object)]
    type RangeInit;
    #[wasm_bindgen(method, setter = startContainer)]
    fn set_start_container(this: &RangeInit, node: &web_sys::Node);
    #[wasm_bindgen(method, setter = endContainer)]
    fn set_end_container(this: &RangeInit, node: &web_sys::Node);
    #[wasm_bindgen(method, setter = startOffset)]
    fn set_start_offset(this: &RangeInit, offset: u32);
    #[wasm_bindgen(method, setter = endOffset)]
    fn set_end_offset(this: &RangeInit, offset: u32);

    /// `CSS.highlights`, the document's `HighlightRegistry` (a map of names to highlights).
    type HighlightRegistry;
    #[wasm_bindgen(method, catch)]
    fn set(this: &HighlightRegistry, name: &str, highlight: &Highlight)
        -> Result<JsValue, JsValue>;
}

thread_local! {
    /// The results' highlight, registered once; each render replaces its ranges. `None`
    /// where the browser has no `CSS.highlights`.
    static RESULTS: OnceCell<Option<Highlight>> = const { OnceCell::new() };
}

/// `CSS.highlights`, if the browser has it.
fn registry() -> Option<HighlightRegistry> {
    let css = js_sys::Reflect::get(&js_sys::global(), &"CSS".into()).ok()?;
    if css.is_undefined() || css.is_null() {
        return None;
    }
    let registry = js_sys::Reflect::get(&css, &"highlights".into()).ok()?;
    (!registry.is_undefined() && !registry.is_null()).then(|| registry.unchecked_into())
}

/// Runs `f` on the results' highlight, registering it first; `None` without the API.
fn with_results<T>(f: impl FnOnce(&Highlight) -> T) -> Option<T> {
    RESULTS.with(|cell| {
        let highlight = cell.get_or_init(|| {
            let registry = registry()?;
            let highlight = Highlight::new().ok()?;
            registry.set(RESULT_HIGHLIGHT, &highlight).ok()?;
            Some(highlight)
        });
        highlight.as_ref().map(f)
    })
}

/// Whether results are highlighted by ranges (else by `<mark>`s): decided once, at the
/// first call, for the whole session.
pub fn highlights_supported() -> bool {
    with_results(|_| ()).is_some()
}

/// A result's title or snippet: its text as one text node, the matches painted by
/// [`show_result_highlights`] after the render; without the API, `<mark>`s (at least
/// `marks` of them, see [`marked_text_padded`]).
pub fn result_text(marked: &Marked, marks: usize) -> Html {
    if highlights_supported() {
        html! { marked.text.clone() }
    } else {
        marked_text_padded(marked, marks)
    }
}

/// Replaces the results' highlighted ranges with the matches of `hits`, the rows the list
/// `list` (a selector) rendered from them, in order (a pending row, with no id, renders no
/// title or snippet). Call it after every render of the list (an effect), so the ranges
/// never outlive the text they were made for. Nothing without the API.
pub fn show_result_highlights(list: &str, hits: &[Hit]) {
    with_results(|highlight| {
        highlight.clear();
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        // Each shown row's title and snippet, in order: `<a>`'s two children.
        let Ok(parts) = document.query_selector_all(&format!("{list} > li > a.result > *")) else {
            return;
        };
        let texts = hits
            .iter()
            .filter(|hit| !hit.id.is_empty())
            .flat_map(|hit| [&hit.title, &hit.snippet]);
        // One `StaticRangeInit` for all: the constructor copies it.
        let init: RangeInit = js_sys::Object::new().unchecked_into();
        for (i, marked) in texts.enumerate() {
            let Some(text) = parts.item(i as u32).and_then(|part| part.first_child()) else {
                break;
            };
            init.set_start_container(&text);
            init.set_end_container(&text);
            // `utf16_marks` keeps every range inside its text.
            for (start, end) in utf16_marks(marked) {
                init.set_start_offset(start);
                init.set_end_offset(end);
                if let Ok(range) = StaticRange::new(&init) {
                    let _ = highlight.add(&range);
                }
            }
        }
    });
}

/// Removes the results' highlighted ranges (the list is gone).
pub fn clear_result_highlights() {
    RESULTS.with(|cell| {
        if let Some(Some(highlight)) = cell.get() {
            highlight.clear();
        }
    });
}

/// The marks of `marked` as UTF-16 offsets (what DOM ranges count in): Vietnamese text
/// is mostly outside ASCII, so its byte offsets are not those. Marks out of order, out of
/// range or inside a character are skipped, as [`Marked::segments`] skips them.
pub fn utf16_marks(marked: &Marked) -> Vec<(u32, u32)> {
    let text = marked.text.as_str();
    let mut out = Vec::with_capacity(marked.marks.len());
    let (mut byte, mut unit) = (0usize, 0usize);
    for &(start, end) in &marked.marks {
        let (Some(before), Some(inside)) = (text.get(byte..start), text.get(start..end)) else {
            continue;
        };
        let from = unit + utf16_len(before);
        let to = from + utf16_len(inside);
        let (Ok(from32), Ok(to32)) = (u32::try_from(from), u32::try_from(to)) else {
            break;
        };
        out.push((from32, to32));
        (byte, unit) = (end, to);
    }
    out
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::utf16_marks;
    use docbao_engine::Marked;

    /// `text` with `words` (each found first in it) marked.
    fn marked(text: &str, words: &[&str]) -> Marked {
        let at = |w: &str| text.find(w).map(|s| (s, s + w.len())).unwrap();
        let marks = words.iter().map(|w| at(w)).collect();
        Marked {
            text: text.into(),
            marks,
        }
    }

    /// The text's UTF-16 units from `start` to `end`, as a DOM range over it reads.
    fn read(text: &str, (start, end): (u32, u32)) -> String {
        let units: Vec<u16> = text.encode_utf16().collect();
        String::from_utf16(&units[start as usize..end as usize]).unwrap()
    }

    #[test]
    fn marks_count_utf16_units_over_vietnamese_text() {
        // Precomposed letters are 2–3 bytes but one unit; "𝐀" (outside the BMP) two units.
        let text = "Học sinh giỏi quốc gia 𝐀 Đà Nẵng";
        let m = marked(text, &["Học", "giỏi", "quốc", "Đà", "Nẵng"]);
        let ranges = utf16_marks(&m);
        assert_eq!(ranges.len(), 5);
        let read: Vec<String> = ranges.iter().map(|&r| read(text, r)).collect();
        assert_eq!(read, ["Học", "giỏi", "quốc", "Đà", "Nẵng"]);
        assert_eq!(ranges[0], (0, 3));
        // Decomposed marks (NFD) are units of their own.
        let nfd = "Hoa\u{300} Bi\u{300}nh";
        let m = marked(nfd, &["Bi\u{300}nh"]);
        assert_eq!(utf16_marks(&m), [(5, 10)]);
    }

    #[test]
    fn adjacent_and_bad_marks_are_handled_as_segments_handles_them() {
        // Bytes: "gi" 0..2, "ỏ" 2..5, "i" 5..6, " qu" 6..9, "ố" 9..12, "c" 12..13.
        let text = "giỏi quốc";
        // Adjacent marks, then one inside a character, one out of range, one out of order.
        let m = Marked {
            text: text.into(),
            marks: vec![(0, 2), (2, 6), (9, 10), (7, 40), (0, 2)],
        };
        assert_eq!(m.segments().iter().filter(|s| s.1).count(), 2);
        let ranges = utf16_marks(&m);
        assert_eq!(ranges, [(0, 2), (2, 4)]);
        assert_eq!(read(text, ranges[1]), "ỏi");
        assert!(utf16_marks(&Marked::default()).is_empty());
    }
}
