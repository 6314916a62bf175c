//! Display preferences (language, theme, text size), remembered in localStorage and
//! applied as attributes on `<html>`, where the stylesheet picks them up.

use docbao_engine::display::Lang;

const STORAGE_KEY: &str = "docbao.prefs";
pub const FONT_STEPS: std::ops::RangeInclusive<i8> = -2..=3;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prefs {
    pub lang: Lang,
    pub theme: Theme,
    /// Steps above or below the default text size.
    pub font_step: i8,
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn from_name(name: &str) -> Option<Theme> {
        [Theme::System, Theme::Light, Theme::Dark]
            .into_iter()
            .find(|t| t.name() == name)
    }
}

pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

impl Prefs {
    pub fn with_font_step(self, step: i8) -> Prefs {
        Prefs {
            font_step: step.clamp(*FONT_STEPS.start(), *FONT_STEPS.end()),
            ..self
        }
    }

    /// `lang=en&theme=dark&font=1`
    pub fn to_storage(self) -> String {
        format!(
            "lang={}&theme={}&font={}",
            lang_code(self.lang),
            self.theme.name(),
            self.font_step
        )
    }

    /// Reads what `to_storage` wrote; anything unknown keeps its default.
    pub fn from_storage(stored: &str) -> Prefs {
        let mut prefs = Prefs::default();
        for pair in stored.split('&') {
            match pair.split_once('=') {
                Some(("lang", "en")) => prefs.lang = Lang::En,
                Some(("lang", "vi")) => prefs.lang = Lang::Vi,
                Some(("theme", t)) => prefs.theme = Theme::from_name(t).unwrap_or_default(),
                Some(("font", f)) => prefs = prefs.with_font_step(f.parse().unwrap_or(0)),
                _ => {}
            }
        }
        prefs
    }

    /// The saved preferences, or the defaults where storage is off or empty.
    pub fn load() -> Prefs {
        storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .map(|s| Prefs::from_storage(&s))
            .unwrap_or_default()
    }

    /// Saves and applies the preferences. Storage may be refused (private mode): the
    /// page still follows them until it is closed.
    pub fn save_and_apply(self) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(STORAGE_KEY, &self.to_storage());
        }
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", lang_code(self.lang));
            let _ = html.set_attribute("data-theme", self.theme.name());
            let _ = html.set_attribute("data-font", &self.font_step.to_string());
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_survive_storage() {
        let prefs = Prefs {
            lang: Lang::En,
            theme: Theme::Dark,
            font_step: 2,
        };
        assert_eq!(Prefs::from_storage(&prefs.to_storage()), prefs);
        assert_eq!(
            Prefs::from_storage(&Prefs::default().to_storage()),
            Prefs::default()
        );
    }

    #[test]
    fn unknown_or_broken_storage_gives_defaults_and_clamps_sizes() {
        assert_eq!(Prefs::from_storage("garbage"), Prefs::default());
        assert_eq!(Prefs::from_storage("theme=neon&lang=fr"), Prefs::default());
        assert_eq!(Prefs::from_storage("font=99").font_step, 3);
        assert_eq!(Prefs::from_storage("font=-99").font_step, -2);
    }
}
