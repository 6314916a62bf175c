use std::rc::Rc;

use docbao_engine::display::format_month;
use docbao_engine::facets::{FacetValue, Facets, Filters};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::use_ui;
use crate::route::Action;

/// Values shown per facet before "show more".
const SHOWN_VALUES: usize = 8;

#[derive(Properties, PartialEq)]
pub struct FacetPanelProps {
    /// Shared with the search that counted them: the panel renders again only when they
    /// (or the filters) changed.
    pub facets: Rc<Facets>,
    pub filters: Filters,
    /// The counts are those of an earlier search (a query is being typed): the panel says
    /// so (`aria-busy`), and its value lists are shown faded (one style on each list).
    #[prop_or_default]
    pub busy: bool,
    pub on_action: Callback<Action>,
}

/// The facets whose values are toggled one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FacetField {
    Source,
    Category,
    Author,
}

impl FacetField {
    fn toggle(self, value: String) -> Action {
        match self {
            FacetField::Source => Action::ToggleSource(value),
            FacetField::Category => Action::ToggleCategory(value),
            FacetField::Author => Action::ToggleAuthor(value),
        }
    }
}

#[derive(Properties, PartialEq)]
struct FacetListProps {
    id: AttrValue,
    heading: AttrValue,
    values: Vec<FacetValue>,
    selected: Vec<String>,
    field: FacetField,
    on_action: Callback<Action>,
}

/// One facet: its values with live counts, each a toggle button.
#[function_component]
fn FacetList(props: &FacetListProps) -> Html {
    let t = use_ui().t();
    let expanded = use_state(|| false);
    // Selected values stay visible even when their count drops to nothing.
    let mut values = props.values.clone();
    for s in &props.selected {
        if !values.iter().any(|v| &v.value == s) {
            values.push(FacetValue {
                value: s.clone(),
                count: 0,
            });
        }
    }
    if values.is_empty() {
        return html! {};
    }
    let hidden = values.len().saturating_sub(SHOWN_VALUES);
    let shown = if *expanded {
        values.len()
    } else {
        SHOWN_VALUES
    };
    let heading_id = format!("{}-heading", props.id);
    html! {
        <section class="facet" id={props.id.clone()} aria-labelledby={heading_id.clone()}>
            <h3 id={heading_id}>{ &props.heading }</h3>
            <ul>
                { for values.iter().take(shown).map(|v| {
                    let pressed = props.selected.contains(&v.value);
                    let action = props.field.toggle(v.value.clone());
                    let on_action = props.on_action.clone();
                    html! {
                        <li>
                            <button type="button" class="facet-value" aria-pressed={pressed.to_string()}
                                onclick={Callback::from(move |_| on_action.emit(action.clone()))}>
                                <span class="facet-name">{ &v.value }</span>
                                <span class="count">{ v.count }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
            if hidden > 0 {
                <button type="button" class="link-button" aria-expanded={expanded.to_string()}
                    onclick={let expanded = expanded.clone(); Callback::from(move |_| expanded.set(!*expanded))}>
                    { if *expanded { t.show_less.to_string() } else { format!("{} ({hidden})", t.show_more) } }
                </button>
            }
        </section>
    }
}

fn date_input(
    id: &'static str,
    label: &'static str,
    value: Option<String>,
    set: fn(Option<String>) -> Action,
    on_action: Callback<Action>,
) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let value = input.value();
        on_action.emit(set((!value.is_empty()).then_some(value)));
    });
    html! {
        <label class="date-bound" for={id}>
            <span>{ label }</span>
            <input type="date" {id} value={value.unwrap_or_default()} {onchange} />
        </label>
    }
}

/// Filters with live counts over the current query: outlet, category, author, and a
/// year/month histogram with a from–to range. While a query is typed the search page gives
/// it the counts of the search last written to the URL, `busy` (see `pages::search`).
#[function_component]
pub fn FacetPanel(props: &FacetPanelProps) -> Html {
    let ui = use_ui();
    let t = ui.t();
    let f = &props.filters;
    let facets = &props.facets;
    let on_action = props.on_action.clone();
    let emit = move |action: Action| {
        let on_action = on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };

    let max_year = facets.years.iter().map(|y| y.count).max().unwrap_or(1);
    let selected_year = f
        .year
        .and_then(|y| facets.years.iter().find(|c| c.year == y));
    let max_month = selected_year
        .and_then(|y| y.months.iter().map(|m| m.1).max())
        .unwrap_or(1);

    // Open beside the results on a wide screen; folded above them on a phone, so the
    // results come first and the filters are one tap away.
    let wide = use_memo((), |_| {
        web_sys::window()
            .and_then(|w| w.match_media("(min-width: 48rem)").ok().flatten())
            .is_none_or(|m| m.matches())
    });
    let chosen = f.sources.len()
        + f.categories.len()
        + f.authors.len()
        + usize::from(f.year.is_some())
        + usize::from(f.from.is_some() || f.to.is_some());
    html! {
        <aside class="filters" aria-labelledby="filters-heading" aria-busy={props.busy.then_some("true")}>
          <details class="filters-fold" open={*wide}>
            <summary>
                <h2 id="filters-heading">{ t.filters_heading }</h2>
                if chosen > 0 {
                    <span class="count">{ format!(" ({chosen})") }</span>
                }
            </summary>
            if !f.is_empty() {
                <button type="button" class="link-button clear-filters" onclick={emit(Action::ClearFilters)}>
                    { t.clear_filters }
                </button>
            }
            <FacetList id="facet-source" heading={t.facet_source} values={facets.sources.clone()}
                selected={f.sources.clone()} field={FacetField::Source}
                on_action={props.on_action.clone()} />
            <FacetList id="facet-category" heading={t.facet_category} values={facets.categories.clone()}
                selected={f.categories.clone()} field={FacetField::Category}
                on_action={props.on_action.clone()} />
            <FacetList id="facet-author" heading={t.facet_author} values={facets.authors.clone()}
                selected={f.authors.clone()} field={FacetField::Author}
                on_action={props.on_action.clone()} />
            <section class="facet" id="facet-date" aria-labelledby="facet-date-heading">
                <h3 id="facet-date-heading">{ t.facet_date }</h3>
                <ul class="histogram">
                    { for facets.years.iter().map(|y| {
                        let pressed = f.year == Some(y.year);
                        let action = Action::SetYear(if pressed { None } else { Some(y.year) });
                        html! {
                            <li>
                                <button type="button" class="facet-value" aria-pressed={pressed.to_string()}
                                    onclick={emit(action)}>
                                    <span class="facet-name">{ y.year }</span>
                                    <meter min="0" max={max_year.to_string()} value={y.count.to_string()} aria-hidden="true"></meter>
                                    <span class="count">{ y.count }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                if let Some(year) = selected_year {
                    <ul class="histogram months">
                        { for year.months.iter().map(|&(month, count)| {
                            let pressed = f.month == Some(month);
                            let action = Action::SetMonth(if pressed { None } else { Some(month) });
                            html! {
                                <li>
                                    <button type="button" class="facet-value" aria-pressed={pressed.to_string()}
                                        onclick={emit(action)}>
                                        <span class="facet-name">{ format_month(year.year, month, ui.lang()) }</span>
                                        <meter min="0" max={max_month.to_string()} value={count.to_string()} aria-hidden="true"></meter>
                                        <span class="count">{ count }</span>
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                }
                if facets.undated > 0 {
                    <p class="undated">{ format!("{} {}", facets.undated, t.undated) }</p>
                }
                <div class="date-range">
                    { date_input("date-from", t.date_from, f.from.clone(), Action::SetFrom, props.on_action.clone()) }
                    { date_input("date-to", t.date_to, f.to.clone(), Action::SetTo, props.on_action.clone()) }
                </div>
            </section>
          </details>
        </aside>
    }
}
