//! Line diffs: the preview's "what changed since the last edit" and the diff of a merged config.toml against the
//! node's original.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Added,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine<'a> {
    pub change: Change,
    pub text: &'a str,
}

/// Above this many cells the middle part is reported as replaced instead of aligned (bounded memory and time).
const MAX_CELLS: usize = 4_000_000;

/// A line diff (longest common subsequence after trimming the common prefix and suffix).
pub fn diff_lines<'a>(old: &'a str, new: &'a str) -> Vec<DiffLine<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out: Vec<DiffLine> = a[..prefix].iter().map(|t| DiffLine { change: Change::Same, text: t }).collect();
    if am.len().saturating_mul(bm.len()) > MAX_CELLS {
        out.extend(am.iter().map(|t| DiffLine { change: Change::Removed, text: t }));
        out.extend(bm.iter().map(|t| DiffLine { change: Change::Added, text: t }));
    } else {
        // lcs[i][j] = LCS length of am[i..] and bm[j..]
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                out.push(DiffLine { change: Change::Same, text: am[i] });
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
                out.push(DiffLine { change: Change::Added, text: bm[j] });
                j += 1;
            } else {
                out.push(DiffLine { change: Change::Removed, text: am[i] });
                i += 1;
            }
        }
    }
    out.extend(a[a.len() - suffix..].iter().map(|t| DiffLine { change: Change::Same, text: t }));
    out
}

/// Indexes (0-based) of the lines of `new` that are not in `old`: the lines to highlight after an edit.
pub fn changed_lines(old: &str, new: &str) -> Vec<usize> {
    let mut idx = 0;
    let mut out = Vec::new();
    for d in diff_lines(old, new) {
        match d.change {
            Change::Same => idx += 1,
            Change::Added => {
                out.push(idx);
                idx += 1;
            }
            Change::Removed => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_added_and_removed_lines() {
        let d = diff_lines("a\nb\nc\n", "a\nx\nc\nd\n");
        let got: Vec<(Change, &str)> = d.iter().map(|l| (l.change, l.text)).collect();
        assert_eq!(
            got,
            vec![(Change::Same, "a"), (Change::Added, "x"), (Change::Removed, "b"), (Change::Same, "c"), (Change::Added, "d")]
        );
        assert_eq!(changed_lines("a\nb\nc\n", "a\nx\nc\nd\n"), vec![1, 3]);
        assert!(changed_lines("same\n", "same\n").is_empty());
        assert_eq!(changed_lines("", "new\n"), vec![0]);
    }
}
