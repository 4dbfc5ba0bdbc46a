//! The import / lint report as the golden files hold it: every finding's line in English, then in Chinese.

use ccb_core::import::Finding;
use ccb_core::Lang;

pub fn lines(report: &[Finding]) -> String {
    let mut out = String::new();
    for lang in [Lang::En, Lang::Zh] {
        for f in report {
            out.push_str(&f.to_line(lang));
            out.push('\n');
        }
    }
    out
}
