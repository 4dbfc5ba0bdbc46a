//! The page's state: the JSON text being edited, and the last preview that could be rendered from it.
//!
//! Invariant: `rendered` always belongs to a project that parsed. When the text stops parsing, the error is
//! shown next to the editor and the previous preview stays on screen, so the page is never blank.

use std::rc::Rc;

use ccb_core::{Lang, Project, Rendered};
use yew::Reducible;

pub struct AppState {
    /// The text in the editor, exactly as typed.
    pub json: String,
    /// The last project that parsed, and what the core rendered from it.
    pub project: Rc<Project>,
    pub rendered: Rc<Rendered>,
    /// Why `json` does not parse (with line and column), or `None` when `rendered` is up to date with it.
    pub parse_error: Option<ParseError>,
    pub lang: Lang,
}

/// A JSON text that is not a project: serde's message and where it stopped (1-based, as in editors).
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

pub enum Action {
    /// The editor's text changed.
    EditJson(String),
    SetLang(Lang),
}

impl AppState {
    /// The page as it first opens: the default project, pretty-printed, and its preview.
    pub fn initial() -> Self {
        let project = Project::default();
        let json = to_pretty_json(&project);
        let rendered = ccb_core::render(&project);
        AppState {
            json,
            project: Rc::new(project),
            rendered: Rc::new(rendered),
            parse_error: None,
            lang: Lang::En,
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::initial()
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::EditJson(json) => match parse_project(&json) {
                Ok(project) => {
                    let rendered = ccb_core::render(&project);
                    Rc::new(AppState {
                        json,
                        project: Rc::new(project),
                        rendered: Rc::new(rendered),
                        parse_error: None,
                        lang: self.lang,
                    })
                }
                Err(err) => Rc::new(AppState {
                    json,
                    project: Rc::clone(&self.project),
                    rendered: Rc::clone(&self.rendered),
                    parse_error: Some(err),
                    lang: self.lang,
                }),
            },
            Action::SetLang(lang) => Rc::new(AppState {
                json: self.json.clone(),
                project: Rc::clone(&self.project),
                rendered: Rc::clone(&self.rendered),
                parse_error: self.parse_error.clone(),
                lang,
            }),
        }
    }
}

pub fn to_pretty_json(project: &Project) -> String {
    // A Project always serialises: it is plain data with string keys.
    serde_json::to_string_pretty(project).expect("a project serialises to JSON")
}

/// Parses the editor's text into a project, keeping serde's position apart from its message.
pub fn parse_project(json: &str) -> Result<Project, ParseError> {
    serde_json::from_str(json).map_err(|err| {
        let (line, column) = (err.line(), err.column());
        let full = err.to_string();
        // serde_json's Display appends " at line L column C"; the position is shown on its own.
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        ParseError { line, column, message }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(state: Rc<AppState>, json: &str) -> Rc<AppState> {
        state.reduce(Action::EditJson(json.to_string()))
    }

    #[test]
    fn initial_text_is_the_default_project() {
        let state = AppState::initial();
        assert!(state.parse_error.is_none());
        assert_eq!(parse_project(&state.json).unwrap(), Project::default());
        assert!(state.json.contains('\n'), "pretty-printed");
    }

    #[test]
    fn syntax_error_has_position_and_keeps_last_preview() {
        let start = Rc::new(AppState::initial());
        let broken = edit(Rc::clone(&start), "{\n  \"schema_version\": 1,\n  oops\n}");
        let err = broken.parse_error.clone().expect("a parse error");
        assert_eq!((err.line, err.column), (3, 3));
        assert!(!err.message.contains("at line"), "position is not repeated: {}", err.message);
        assert!(Rc::ptr_eq(&broken.rendered, &start.rendered), "last good preview kept");
        assert!(Rc::ptr_eq(&broken.project, &start.project));
        assert_eq!(broken.json, "{\n  \"schema_version\": 1,\n  oops\n}", "the text is never rewritten");
    }

    #[test]
    fn unknown_field_is_an_error_not_ignored() {
        let state = edit(Rc::new(AppState::initial()), "{\"no_such_field\": 1}");
        let err = state.parse_error.clone().expect("a parse error");
        assert!(err.message.contains("no_such_field"), "{}", err.message);
        assert_eq!(err.line, 1);
    }

    #[test]
    fn valid_edit_after_an_error_renders_again() {
        let start = Rc::new(AppState::initial());
        let broken = edit(start, "{");
        let fixed = edit(Rc::clone(&broken), "{}");
        assert!(fixed.parse_error.is_none());
        assert!(!Rc::ptr_eq(&fixed.rendered, &broken.rendered), "re-rendered");
        assert_eq!(*fixed.project, Project::default(), "every field has a default");
    }

    #[test]
    fn lang_switch_keeps_text_and_error() {
        let broken = edit(Rc::new(AppState::initial()), "[");
        let zh = Rc::clone(&broken).reduce(Action::SetLang(Lang::Zh));
        assert_eq!(zh.lang, Lang::Zh);
        assert_eq!(zh.json, broken.json);
        assert_eq!(zh.parse_error, broken.parse_error);
    }
}
