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

/// The most work (diagonal steps plus matched lines followed) the middle part may take; beyond it the middle is
/// reported as replaced instead of aligned, so that no pair of files costs more than a few milliseconds. Also
/// bounds the memory the backtracking keeps (under D² / 2 entries for D edits).
const MAX_WORK: usize = 2_000_000;

/// A line diff: the common prefix and suffix trimmed, then the middle aligned by Myers' O((N+M)·D) algorithm
/// (D: lines added and removed), which keeps a big file with a few scattered edits cheap (the table of the
/// longest common subsequence it replaces was O(N·M)). Within each changed run, removed lines come first, as in
/// `diff -u`: the reader sees what was there before what replaces it.
pub fn diff_lines<'a>(old: &'a str, new: &'a str) -> Vec<DiffLine<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out: Vec<DiffLine> = a[..prefix].iter().map(|t| DiffLine { change: Change::Same, text: t }).collect();
    match myers(am, bm) {
        Some(middle) => out.extend(middle),
        None => {
            out.extend(am.iter().map(|t| DiffLine { change: Change::Removed, text: t }));
            out.extend(bm.iter().map(|t| DiffLine { change: Change::Added, text: t }));
        }
    }
    out.extend(a[a.len() - suffix..].iter().map(|t| DiffLine { change: Change::Same, text: t }));
    out
}

/// A shortest edit script from `a` to `b`, or `None` when finding it would take more than [`MAX_WORK`].
fn myers<'a>(a: &[&'a str], b: &[&'a str]) -> Option<Vec<DiffLine<'a>>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    // v[OFF + k]: the furthest x reached on diagonal k = x - y.
    let off = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    // trace[d]: v[OFF-d-1 ..= OFF+d+1] before step d, for backtracking.
    let mut trace: Vec<Vec<u32>> = Vec::new();
    let mut work = 0usize;
    let at = |k: isize| (off + k) as usize;
    for d in 0..=max as isize {
        // Reached x values are never negative; u32 halves what the trace keeps.
        trace.push(v[at(-d - 1)..=at(d + 1)].iter().map(|&x| x as u32).collect());
        work += 2 * d as usize + 3;
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) { v[at(k + 1)] } else { v[at(k - 1)] + 1 };
            let mut y = x - k;
            let start = x;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            work += 1 + (x - start) as usize;
            v[at(k)] = x;
            if x >= n && y >= m {
                return Some(backtrack(a, b, &trace));
            }
            if work > MAX_WORK {
                return None;
            }
        }
    }
    None
}

fn backtrack<'a>(a: &[&'a str], b: &[&'a str], trace: &[Vec<u32>]) -> Vec<DiffLine<'a>> {
    let (mut x, mut y) = (a.len() as isize, b.len() as isize);
    let mut rev: Vec<DiffLine> = Vec::new();
    for (d, v) in trace.iter().enumerate().rev() {
        let d = d as isize;
        // v holds the diagonals -d-1 ..= d+1.
        let get = |k: isize| v[(k + d + 1) as usize] as isize;
        let k = x - y;
        let prev_k = if k == -d || (k != d && get(k - 1) < get(k + 1)) { k + 1 } else { k - 1 };
        let prev_x = get(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            rev.push(DiffLine { change: Change::Same, text: a[(x - 1) as usize] });
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            if x == prev_x {
                rev.push(DiffLine { change: Change::Added, text: b[(y - 1) as usize] });
            } else {
                rev.push(DiffLine { change: Change::Removed, text: a[(x - 1) as usize] });
            }
        }
        (x, y) = (prev_x, prev_y);
    }
    rev.reverse();
    // Each run of changes as its removed lines, then its added ones (the order of `diff -u`).
    let mut out = Vec::with_capacity(rev.len());
    let mut i = 0;
    while i < rev.len() {
        if rev[i].change == Change::Same {
            out.push(rev[i].clone());
            i += 1;
            continue;
        }
        let end = rev[i..].iter().position(|l| l.change == Change::Same).map_or(rev.len(), |p| i + p);
        out.extend(rev[i..end].iter().filter(|l| l.change == Change::Removed).cloned());
        out.extend(rev[i..end].iter().filter(|l| l.change == Change::Added).cloned());
        i = end;
    }
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
    use proptest::prelude::*;

    use super::*;

    /// The longest common subsequence by the full table (what the diff computed before): the reference for
    /// how many lines a shortest edit script keeps.
    fn lcs_len(a: &[&str], b: &[&str]) -> usize {
        let (n, m) = (a.len(), b.len());
        let mut t = vec![0usize; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                t[i * (m + 1) + j] =
                    if a[i] == b[j] { t[(i + 1) * (m + 1) + j + 1] + 1 } else { t[(i + 1) * (m + 1) + j].max(t[i * (m + 1) + j + 1]) };
            }
        }
        t[0]
    }

    #[test]
    fn diff_marks_added_and_removed_lines() {
        let d = diff_lines("a\nb\nc\n", "a\nx\nc\nd\n");
        let got: Vec<(Change, &str)> = d.iter().map(|l| (l.change, l.text)).collect();
        assert_eq!(
            got,
            vec![(Change::Same, "a"), (Change::Removed, "b"), (Change::Added, "x"), (Change::Same, "c"), (Change::Added, "d")]
        );
        assert_eq!(changed_lines("a\nb\nc\n", "a\nx\nc\nd\n"), vec![1, 3]);
        assert!(changed_lines("same\n", "same\n").is_empty());
        assert_eq!(changed_lines("", "new\n"), vec![0]);
    }

    #[test]
    fn two_far_apart_edits_of_a_big_file_are_two_changed_lines() {
        // The table of the old diff would have needed 20,000² cells, so it reported everything in between.
        let old: String = (0..20_000).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 10\n", "line ten\n").replace("line 19990\n", "line 19,990\n");
        assert_eq!(changed_lines(&old, &new), vec![10, 19_990]);
    }

    #[test]
    fn completely_different_big_files_are_replaced_without_alignment() {
        let old: String = (0..20_000).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..20_000).map(|i| format!("new {i}\n")).collect();
        let d = diff_lines(&old, &new);
        assert_eq!(d.len(), 40_000);
        assert!(d[..20_000].iter().all(|l| l.change == Change::Removed));
        assert_eq!(changed_lines(&old, &new), (0..20_000).collect::<Vec<_>>());
    }

    proptest! {
        #[test]
        fn the_script_is_a_shortest_one_between_the_two_texts(
            a in proptest::collection::vec(proptest::sample::select(&["a", "b", "c", ""][..]), 0..30),
            b in proptest::collection::vec(proptest::sample::select(&["a", "b", "c", ""][..]), 0..30),
        ) {
            let (old, new) = (a.iter().map(|l| format!("{l}\n")).collect::<String>(), b.iter().map(|l| format!("{l}\n")).collect::<String>());
            let d = diff_lines(&old, &new);
            let kept: Vec<&str> = d.iter().filter(|l| l.change != Change::Added).map(|l| l.text).collect();
            let made: Vec<&str> = d.iter().filter(|l| l.change != Change::Removed).map(|l| l.text).collect();
            prop_assert_eq!(&kept, &a);
            prop_assert_eq!(&made, &b);
            prop_assert_eq!(d.iter().filter(|l| l.change == Change::Same).count(), lcs_len(&a, &b));
            // Within a run of changes the removed lines come first.
            for w in d.windows(2) {
                prop_assert!(!(w[0].change == Change::Added && w[1].change == Change::Removed), "{:?}", d);
            }
        }
    }
}
