use docbao_engine::Marked;
use yew::prelude::*;

/// Text with the engine's matches in `<mark>`. Every run is a text node: article text is
/// never parsed as HTML.
///
/// A function, not a component: the text is rendered in the same pass as the page around
/// it. Yew can let the browser paint between a component's render and its children's,
/// which would show, for a frame, a new article's byline under the previous title.
///
/// The runs always alternate plain, marked, plain, …, plain (a plain run may be empty).
/// Yew patches an unkeyed list pairwise from its end, so with every kind always in
/// the same place a new text (the next keystroke's snippet) only changes text nodes;
/// where the pattern shifted (a text starting with a match, then one not), it removed and
/// built again every `<mark>` and text node, all of which the browser then lays out anew.
pub fn marked_text(marked: &Marked) -> Html {
    marked_text_padded(marked, 0)
}

/// [`marked_text`] with at least `marks` `<mark>`s: empty runs, plain and marked, go in
/// front of the text's own (an empty `<mark>` takes no room: `.result mark` has no
/// padding in the styles). A search result's title and snippet are rendered so: Yew
/// pairs a list's old and new nodes from its end, so when the next keystroke's snippet
/// has a different number of matches the surplus `<mark>`s and text nodes at the front
/// would be removed or built anew; with the count held, only their text changes.
pub fn marked_text_padded(marked: &Marked, marks: usize) -> Html {
    padded_runs(&marked.segments(), marks)
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let text = text.to_string();
            if i % 2 == 1 {
                html! { <mark>{ text }</mark> }
            } else {
                html! { { text } }
            }
        })
        .collect()
}

/// [`alternating_runs`] with empty runs in front, so that at least `marks` are marked.
fn padded_runs<'a>(segments: &[(&'a str, bool)], marks: usize) -> Vec<&'a str> {
    let mut runs = alternating_runs(segments);
    let missing = marks.saturating_sub(runs.len() / 2);
    runs.splice(0..0, std::iter::repeat_n("", 2 * missing));
    runs
}

/// `segments` as runs at alternating places: even places plain, odd places marked, first
/// and last plain, empty where there is none (between two adjacent marks, at either end).
fn alternating_runs<'a>(segments: &[(&'a str, bool)]) -> Vec<&'a str> {
    let mut runs: Vec<&'a str> = Vec::with_capacity(segments.len() * 2 + 1);
    for &(text, marked) in segments {
        // The next place is marked when the count so far is odd.
        if marked != (runs.len() % 2 == 1) {
            // Two plain runs, or two marked ones, in a row: an empty run of the other
            // kind between them keeps the places (the engine never gives two plain runs
            // in a row; adjacent marks it does).
            runs.push("");
        }
        runs.push(text);
    }
    if runs.len().is_multiple_of(2) {
        runs.push("");
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::{alternating_runs, padded_runs};

    #[test]
    fn runs_alternate_plain_and_marked_and_end_plain() {
        assert_eq!(alternating_runs(&[]), vec![""]);
        assert_eq!(alternating_runs(&[("a b", false)]), vec!["a b"]);
        assert_eq!(alternating_runs(&[("a", true)]), vec!["", "a", ""]);
        assert_eq!(
            alternating_runs(&[("x ", false), ("a", true), (" y", false)]),
            vec!["x ", "a", " y"]
        );
        // Adjacent marks, a mark first and a mark last.
        assert_eq!(
            alternating_runs(&[("a", true), ("b", true), (" y ", false), ("c", true)]),
            vec!["", "a", "", "b", " y ", "c", ""]
        );
    }

    #[test]
    fn padded_runs_hold_the_marks_asked_for_in_front() {
        // One mark padded to three: two empty marks (and plain runs) in front.
        assert_eq!(
            padded_runs(&[("x ", false), ("a", true), (" y", false)], 3),
            vec!["", "", "", "", "x ", "a", " y"]
        );
        assert_eq!(
            padded_runs(&[("a b", false)], 2),
            vec!["", "", "", "", "a b"]
        );
        // As many or more than asked: the runs as they are.
        let three = [
            ("a", true),
            (" ", false),
            ("b", true),
            (" ", false),
            ("c", true),
        ];
        assert_eq!(padded_runs(&three, 2), alternating_runs(&three));
        assert_eq!(padded_runs(&three, 3), alternating_runs(&three));
        for marks in 0..6 {
            let runs = padded_runs(&three, marks);
            assert_eq!(runs.len(), 2 * marks.max(3) + 1, "{marks}");
            assert_eq!(
                runs.iter()
                    .skip(1)
                    .step_by(2)
                    .filter(|r| !r.is_empty())
                    .count(),
                3
            );
        }
    }
}
