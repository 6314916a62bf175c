//! docbao's browser app (Yew, CSR). It renders what the engine returns and holds no text
//! logic of its own: searching, snippets and highlights all come from `docbao-engine`.

pub mod app;
pub mod archive;
pub mod components;
pub mod corpus;
pub mod i18n;
pub mod pages;
pub mod prefs;
pub mod route;
pub mod router;
pub mod timing;

/// Mounts the app on `<body>`.
pub fn start() {
    timing::mark(timing::START_MARK);
    yew::Renderer::<app::App>::new().render();
}
