//! The style sheet keeps to its type scale (static/style.css, at `--sans`): the first layout of the page waits for
//! one font lookup per family name tried and per size × weight drawn, each a round trip to the browser process on
//! a cold tab; a stray `font-size: 0.85rem` or `font-weight: 650` adds lookups to every first load.

const SHEET: &str = include_str!("../static/style.css");

const SIZES: &[&str] = &["15px", "0.75rem", "0.82rem", "0.88rem", "1rem", "1.1rem", "inherit"];
const WEIGHTS: &[&str] = &["400", "600"];
const FAMILIES: &[&str] = &["var(--sans)", "var(--mono)", "inherit"];

/// The sheet without its comments.
fn rules() -> String {
    let mut out = String::new();
    let mut rest = SHEET;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("an unterminated comment in static/style.css");
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

/// Every value of `property` in the sheet, with the selector text before it for the failure message.
fn values(sheet: &str, property: &str) -> Vec<(String, String)> {
    let needle = format!("{property}:");
    let mut found = Vec::new();
    for (at, _) in sheet.match_indices(&needle) {
        // Not the tail of a longer property name (`--font-size:` or `line-font-size:`).
        if sheet[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '-') {
            continue;
        }
        let value_start = at + needle.len();
        let value_end = sheet[value_start..].find([';', '}']).map_or(sheet.len(), |e| value_start + e);
        let rule_start = sheet[..at].rfind('}').map_or(0, |b| b + 1);
        let context = sheet[rule_start..at].trim().replace('\n', " ");
        found.push((sheet[value_start..value_end].trim().to_string(), context));
    }
    found
}

fn assert_within(property: &str, allowed: &[&str]) {
    let sheet = rules();
    let found = values(&sheet, property);
    assert!(!found.is_empty(), "no {property} in static/style.css: has the sheet moved?");
    let stray: Vec<_> = found.iter().filter(|(v, _)| !allowed.contains(&v.as_str())).collect();
    assert!(stray.is_empty(), "{property} outside the type scale {allowed:?}: {stray:#?}");
}

#[test]
fn font_sizes_are_the_five_of_the_scale() {
    assert_within("font-size", SIZES);
}

#[test]
fn font_weights_are_regular_and_semibold() {
    assert_within("font-weight", WEIGHTS);
}

#[test]
fn text_is_set_in_the_two_families() {
    assert_within("font-family", FAMILIES);
    // The shorthand would bring its own family, size and weight.
    assert_within("font", &["inherit"]);
    let sheet = rules();
    let stack = |name: &str| values(&sheet, name).into_iter().map(|(v, _)| v).collect::<Vec<_>>();
    assert_eq!(stack("--sans"), ["system-ui, sans-serif"]);
    assert_eq!(stack("--mono"), ["ui-monospace, monospace"]);
}

#[test]
fn a_stray_size_is_found() {
    // The reader above must see what the rules say, else the tests above pass on anything.
    let sheet = "a { font-size: 0.85rem; } b{font-weight:650} c { --font-size: 3px; }";
    assert_eq!(values(sheet, "font-size"), [("0.85rem".to_string(), "a {".to_string())]);
    assert_eq!(values(sheet, "font-weight"), [("650".to_string(), "b{".to_string())]);
}
