//! containerd releases, target ranges and feature gates (spec §2.9, §1.1, §1.4).

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Release lines this tool knows the behaviour of. A target outside them is rejected rather than guessed.
pub const KNOWN_LINES: [(u32, u32); 7] = [(1, 5), (1, 6), (1, 7), (2, 0), (2, 1), (2, 2), (2, 3)];

/// "1.6.20", or "1.7.x" (any patch of 1.7). A missing patch ("1.7") means the same as ".x".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContainerdVersion {
    pub major: u32,
    pub minor: u32,
    /// `None` = any patch.
    pub patch: Option<u32>,
}

impl ContainerdVersion {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        ContainerdVersion { major, minor, patch: Some(patch) }
    }
    pub fn line(&self) -> (u32, u32) {
        (self.major, self.minor)
    }
    /// Lowest concrete release this value stands for.
    pub fn lowest(&self) -> (u32, u32, u32) {
        (self.major, self.minor, self.patch.unwrap_or(0))
    }
    /// Highest concrete release this value stands for.
    pub fn highest(&self) -> (u32, u32, u32) {
        (self.major, self.minor, self.patch.unwrap_or(u32::MAX))
    }
    pub fn is_known_line(&self) -> bool {
        KNOWN_LINES.contains(&self.line())
    }
}

impl fmt::Display for ContainerdVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.patch {
            Some(p) => write!(f, "{}.{}.{}", self.major, self.minor, p),
            None => write!(f, "{}.{}.x", self.major, self.minor),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionParseError(pub String);

impl fmt::Display for VersionParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid containerd version {:?}: expected MAJOR.MINOR.PATCH or MAJOR.MINOR.x, e.g. 1.6.20 or 2.1.x", self.0)
    }
}

impl std::error::Error for VersionParseError {}

impl FromStr for ContainerdVersion {
    type Err = VersionParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || VersionParseError(s.to_string());
        let t = s.trim().trim_start_matches('v');
        let parts: Vec<&str> = t.split('.').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return Err(err());
        }
        let num = |p: &str| -> Result<u32, VersionParseError> {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 6 {
                return Err(err());
            }
            p.parse().map_err(|_| err())
        };
        let major = num(parts[0])?;
        let minor = num(parts[1])?;
        let patch = match parts.get(2) {
            None | Some(&"x") | Some(&"X") | Some(&"*") => None,
            Some(p) => Some(num(p)?),
        };
        Ok(ContainerdVersion { major, minor, patch })
    }
}

impl Serialize for ContainerdVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for ContainerdVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for ContainerdVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ContainerdVersion".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^v?[0-9]+\\.[0-9]+(\\.([0-9]+|x|X|\\*))?$",
            "description": "containerd release: MAJOR.MINOR.PATCH, or MAJOR.MINOR.x for any patch"
        })
    }
}

/// Something whose availability depends on the containerd release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// hosts.toml / `config_path` (1.5.0).
    HostsDir,
    /// `override_path` (1.6.0).
    OverridePath,
    /// `certs.d/_default` (1.6.17, 1.7.0).
    DefaultHostsDir,
    /// hosts.toml with only root fields (1.7.32, 2.0.0; never 1.6.x).
    RootOnlyHostsToml,
    /// `dial_timeout` (2.0.7, 2.1.0).
    DialTimeout,
    /// capability `referrers` (2.2.0).
    ReferrersCapability,
    /// `configs.<host>.tls` in config.toml (1.x only; removed in 2.0.0).
    LegacyTls,
    /// HTTPS tried first for an `http://` host with TLS settings (1.6.32, 1.7.16, 2.0.0).
    HttpsFirstForHttpWithTls,
}

impl Feature {
    pub const ALL: [Feature; 8] = [
        Feature::HostsDir,
        Feature::OverridePath,
        Feature::DefaultHostsDir,
        Feature::RootOnlyHostsToml,
        Feature::DialTimeout,
        Feature::ReferrersCapability,
        Feature::LegacyTls,
        Feature::HttpsFirstForHttpWithTls,
    ];

    /// The patches of `line` after its first where some feature appears (`[17, 32]` for 1.6): releases between
    /// two of them behave alike.
    pub fn gates_within(line: (u32, u32)) -> Vec<u32> {
        // Inserted in order (a handful of patches): a sort would be one more copy of the standard library's sort
        // in the wasm.
        let mut v: Vec<u32> = Vec::new();
        for p in Feature::ALL.iter().filter_map(|f| f.first_patch(line)).filter(|p| *p > 0) {
            if let Err(at) = v.binary_search(&p) {
                v.insert(at, p);
            }
        }
        v
    }

    /// First patch of a release line that has the feature; `None` if the line never has it.
    fn first_patch(self, line: (u32, u32)) -> Option<u32> {
        let (ma, mi) = line;
        match self {
            Feature::HostsDir => (line >= (1, 5)).then_some(0),
            Feature::OverridePath => (line >= (1, 6)).then_some(0),
            Feature::DefaultHostsDir => match line {
                (1, 5) => None,
                (1, 6) => Some(17),
                _ => Some(0),
            },
            Feature::RootOnlyHostsToml => match line {
                (1, 5) | (1, 6) => None,
                (1, 7) => Some(32),
                _ => Some(0),
            },
            Feature::DialTimeout => match (ma, mi) {
                (1, _) => None,
                (2, 0) => Some(7),
                _ => Some(0),
            },
            Feature::ReferrersCapability => (line >= (2, 2)).then_some(0),
            Feature::LegacyTls => (ma == 1).then_some(0),
            Feature::HttpsFirstForHttpWithTls => match line {
                (1, 5) => None,
                (1, 6) => Some(32),
                (1, 7) => Some(16),
                _ => Some(0),
            },
        }
    }

    /// The releases that have the feature, for messages: "1.6.17+ / 1.7.0+".
    pub fn since(self) -> &'static str {
        match self {
            Feature::HostsDir => "1.5.0",
            Feature::OverridePath => "1.6.0",
            Feature::DefaultHostsDir => "1.6.17 / 1.7.0",
            Feature::RootOnlyHostsToml => "1.7.32 / 2.0.0",
            Feature::DialTimeout => "2.0.7 / 2.1.0",
            Feature::ReferrersCapability => "2.2.0",
            Feature::LegacyTls => "1.x only (removed in 2.0.0)",
            Feature::HttpsFirstForHttpWithTls => "1.6.32 / 1.7.16 / 2.0.0",
        }
    }
}

/// The first release whose `containerd config default` writes `version = 4` (and reads it): 2.3.0.
pub const CONFIG_VERSION_4_FROM: (u32, u32, u32) = (2, 3, 0);
/// [`CONFIG_VERSION_4_FROM`] for messages.
pub const CONFIG_VERSION_4_SINCE: &str = "2.3.0";

impl crate::model::Target {
    /// Release lines the range covers (only known ones).
    pub fn lines(&self) -> Vec<(u32, u32)> {
        KNOWN_LINES.iter().copied().filter(|l| *l >= self.min.line() && *l <= self.max.line()).collect()
    }

    pub fn includes_1x(&self) -> bool {
        self.min.major == 1
    }

    pub fn includes_2x(&self) -> bool {
        self.max.major >= 2
    }

    /// `version = 2` whenever any 1.x is in range, 4 when every release is 2.3 or later (what their `containerd
    /// config default` writes), else 3 (spec §1.1, rule 10).
    pub fn config_version(&self) -> u32 {
        if self.includes_1x() {
            2
        } else if self.min.lowest() >= CONFIG_VERSION_4_FROM {
            4
        } else {
            3
        }
    }

    /// Whether every release in the range has the feature.
    pub fn all_support(&self, f: Feature) -> bool {
        self.lines().iter().all(|&line| {
            let lowest = if line == self.min.line() { self.min.lowest().2 } else { 0 };
            matches!(f.first_patch(line), Some(first) if lowest >= first)
        })
    }

    /// Whether some release in the range has the feature.
    pub fn any_support(&self, f: Feature) -> bool {
        self.lines().iter().any(|&line| {
            let highest = if line == self.max.line() { self.max.highest().2 } else { u32::MAX };
            matches!(f.first_patch(line), Some(first) if highest >= first)
        })
    }

    /// Whether the range contains any release between `lo` and `hi` (inclusive).
    pub fn touches(&self, lo: (u32, u32, u32), hi: (u32, u32, u32)) -> bool {
        self.min.lowest() <= hi && self.max.highest() >= lo
    }

    pub fn describe(&self) -> String {
        format!("containerd {} – {}", self.min, self.max)
    }
}

const fn any_patch(major: u32, minor: u32) -> ContainerdVersion {
    ContainerdVersion { major, minor, patch: None }
}

/// The range a new project starts with (what people run today: 1.7 through the 2.3 LTS), and what choosing
/// "1.x" / "2.x" puts where the range did not fit.
pub const DEFAULT_MIN_1X: ContainerdVersion = ContainerdVersion::new(1, 7, 0);
pub const DEFAULT_MAX_1X: ContainerdVersion = any_patch(1, 7);
pub const DEFAULT_MIN_2X: ContainerdVersion = ContainerdVersion::new(2, 0, 0);
pub const DEFAULT_MAX_2X: ContainerdVersion = any_patch(2, 3);

/// When the release facts below were read (containerd's RELEASES.md and tags). Stored, never computed from the
/// clock: the offline page must give the same answer in a year.
pub const RELEASES_AS_OF: &str = "2026-08";

/// Support status of a release line, as of [`RELEASES_AS_OF`]. Dates are ISO (`2028-04-30`) or a month (`2026-09`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStatus {
    /// Long-term support by the containerd maintainers.
    Lts { until: &'static str },
    /// The current non-LTS line.
    Active { until: &'static str },
    /// Past its end of life upstream, kept by named maintainers (for the Kubernetes versions they name).
    ExtendedLts { until: &'static str },
    /// No more releases; this tool still knows its behaviour.
    EndOfLife { since: &'static str },
}

/// One release line as containerd publishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseLine {
    pub line: (u32, u32),
    /// First release of the line (ISO date).
    pub started: &'static str,
    /// Newest patch release as of [`RELEASES_AS_OF`].
    pub latest: ContainerdVersion,
    pub status: LineStatus,
    /// What a Debian stable release ships of this line (`("12", 1.6.20)`), the release many nodes run.
    pub debian: Option<(&'static str, ContainerdVersion)>,
}

/// The release table: every line of [`KNOWN_LINES`], oldest first (containerd RELEASES.md and tags, 2026-08).
pub const RELEASE_LINES: [ReleaseLine; 7] = [
    ReleaseLine { line: (1, 5), started: "2021-05-03", latest: ContainerdVersion::new(1, 5, 18), status: LineStatus::EndOfLife { since: "2023-02-28" }, debian: None },
    ReleaseLine { line: (1, 6), started: "2022-02-15", latest: ContainerdVersion::new(1, 6, 39), status: LineStatus::EndOfLife { since: "2025-08-23" }, debian: Some(("12", ContainerdVersion::new(1, 6, 20))) },
    ReleaseLine { line: (1, 7), started: "2023-03-10", latest: ContainerdVersion::new(1, 7, 34), status: LineStatus::ExtendedLts { until: "2026-09" }, debian: Some(("13", ContainerdVersion::new(1, 7, 24))) },
    ReleaseLine { line: (2, 0), started: "2024-11-05", latest: ContainerdVersion::new(2, 0, 11), status: LineStatus::ExtendedLts { until: "2027-03" }, debian: None },
    ReleaseLine { line: (2, 1), started: "2025-05-07", latest: ContainerdVersion::new(2, 1, 9), status: LineStatus::EndOfLife { since: "2026-07-03" }, debian: None },
    ReleaseLine { line: (2, 2), started: "2025-11-05", latest: ContainerdVersion::new(2, 2, 7), status: LineStatus::Active { until: "2026-11-06" }, debian: None },
    ReleaseLine { line: (2, 3), started: "2026-04-30", latest: ContainerdVersion::new(2, 3, 4), status: LineStatus::Lts { until: "2028-04-30" }, debian: None },
];

/// The next line, tagged but not released: its behaviour is not guessed (a target in it is refused, T1).
pub const NEXT_PRERELEASE: (ContainerdVersion, &str, &str) = (ContainerdVersion::new(2, 4, 0), "2.4.0-beta.0", "2026-08-10");

/// The release table's row for a line.
pub fn release_line(line: (u32, u32)) -> Option<&'static ReleaseLine> {
    RELEASE_LINES.iter().find(|r| r.line == line)
}

/// Oldest releases worth offering: the first of each line, and the patches where a gate opens.
pub const MIN_SUGGESTIONS: [ContainerdVersion; 9] = [
    ContainerdVersion::new(1, 6, 17),
    ContainerdVersion::new(1, 6, 20),
    ContainerdVersion::new(1, 7, 0),
    ContainerdVersion::new(1, 7, 32),
    ContainerdVersion::new(2, 0, 0),
    ContainerdVersion::new(2, 0, 7),
    ContainerdVersion::new(2, 1, 0),
    ContainerdVersion::new(2, 2, 0),
    ContainerdVersion::new(2, 3, 0),
];
/// Newest releases worth offering: any patch of each line from 1.6 on.
pub const MAX_SUGGESTIONS: [ContainerdVersion; 6] =
    [any_patch(1, 6), any_patch(1, 7), any_patch(2, 0), any_patch(2, 1), any_patch(2, 2), any_patch(2, 3)];

/// Named ranges a docs page can link to (`?target=containerd1`): the releases its readers run.
pub fn named_range(name: &str) -> Option<crate::model::Target> {
    let (min, max) = match name {
        "containerd1" => (ContainerdVersion::new(1, 6, 20), any_patch(1, 7)),
        "containerd2" => (ContainerdVersion::new(2, 0, 7), any_patch(2, 3)),
        _ => return None,
    };
    Some(crate::model::Target { min, max })
}

/// Which major release lines a target covers, as a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    OneX,
    TwoX,
    Both,
}

impl Lines {
    pub fn of(t: &crate::model::Target) -> Lines {
        match (t.includes_1x(), t.includes_2x()) {
            (true, true) => Lines::Both,
            (true, false) => Lines::OneX,
            // Only 2.x, or a reversed range (reported under "newest").
            _ => Lines::TwoX,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Lines::OneX => "1x",
            Lines::TwoX => "2x",
            Lines::Both => "both",
        }
    }
    pub fn from_key(s: &str) -> Option<Lines> {
        [Lines::OneX, Lines::TwoX, Lines::Both].into_iter().find(|l| l.key() == s)
    }
}

/// The range after choosing `lines`: what already fits the choice is kept.
pub fn with_lines(t: &crate::model::Target, lines: Lines) -> crate::model::Target {
    let mut t = t.clone();
    let keep_min_1x = t.min.major == 1;
    let keep_max_2x = t.max.major >= 2;
    match lines {
        Lines::OneX => {
            if !keep_min_1x {
                t.min = DEFAULT_MIN_1X;
            }
            if t.max.major != 1 || t.max.highest() < t.min.lowest() {
                t.max = DEFAULT_MAX_1X;
            }
        }
        Lines::TwoX => {
            if t.min.major < 2 {
                t.min = DEFAULT_MIN_2X;
            }
            if !keep_max_2x || t.max.highest() < t.min.lowest() {
                t.max = DEFAULT_MAX_2X;
            }
        }
        Lines::Both => {
            if !keep_min_1x {
                t.min = DEFAULT_MIN_1X;
            }
            if !keep_max_2x {
                t.max = DEFAULT_MAX_2X;
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_version_4_gate_reads_as_it_is_written() {
        let v: ContainerdVersion = CONFIG_VERSION_4_SINCE.parse().unwrap();
        assert_eq!(v.lowest(), CONFIG_VERSION_4_FROM);
    }

    use super::*;
    use crate::model::Target;

    fn t(min: &str, max: &str) -> Target {
        Target { min: min.parse().unwrap(), max: max.parse().unwrap() }
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!("1.6.20".parse::<ContainerdVersion>().unwrap().to_string(), "1.6.20");
        assert_eq!("2.1".parse::<ContainerdVersion>().unwrap().to_string(), "2.1.x");
        assert_eq!("v1.7.X".parse::<ContainerdVersion>().unwrap().to_string(), "1.7.x");
        for bad in ["", "1", "1.a", "1.6.20.1", "one.two", "1..2", "1.6.-1"] {
            assert!(bad.parse::<ContainerdVersion>().is_err(), "{bad}");
        }
    }

    #[test]
    fn config_version_follows_the_lowest_release() {
        assert_eq!(t("1.6.20", "1.7.x").config_version(), 2);
        assert_eq!(t("1.7.0", "2.1.x").config_version(), 2);
        assert_eq!(t("2.0.7", "2.2.x").config_version(), 3);
        assert_eq!(t("2.2.7", "2.3.x").config_version(), 3, "2.2 cannot read version 4");
        assert_eq!(t("2.3.0", "2.3.x").config_version(), 4, "2.3+ only: version 4, as 2.3 writes it");
    }

    #[test]
    fn default_dir_gate_per_line() {
        assert!(!t("1.6.16", "1.7.x").all_support(Feature::DefaultHostsDir));
        assert!(t("1.6.17", "1.7.x").all_support(Feature::DefaultHostsDir));
        assert!(t("1.7.0", "2.2.x").all_support(Feature::DefaultHostsDir));
        assert!(!t("1.5.0", "1.7.x").all_support(Feature::DefaultHostsDir));
    }

    #[test]
    fn dial_timeout_gate() {
        assert!(!t("2.0.6", "2.1.x").all_support(Feature::DialTimeout));
        assert!(t("2.0.7", "2.2.x").all_support(Feature::DialTimeout));
        assert!(!t("1.7.0", "2.1.x").all_support(Feature::DialTimeout));
        assert!(t("1.7.0", "2.1.x").any_support(Feature::DialTimeout));
    }

    #[test]
    fn root_only_hosts_toml_gate() {
        assert!(!t("1.7.31", "2.1.x").all_support(Feature::RootOnlyHostsToml));
        assert!(t("1.7.32", "2.1.x").all_support(Feature::RootOnlyHostsToml));
        assert!(!t("1.6.20", "1.6.x").all_support(Feature::RootOnlyHostsToml));
    }

    #[test]
    fn touches_2_2_0_to_2_2_1() {
        let lo = (2, 2, 0);
        let hi = (2, 2, 1);
        assert!(t("2.0.0", "2.2.x").touches(lo, hi));
        assert!(!t("2.2.2", "2.3.x").touches(lo, hi));
        assert!(!t("2.0.0", "2.1.x").touches(lo, hi));
    }

    fn range(min: &str, max: &str) -> crate::model::Target {
        crate::model::Target { min: min.parse().unwrap(), max: max.parse().unwrap() }
    }

    #[test]
    fn choosing_lines_keeps_what_fits() {
        let shown = |t: crate::model::Target| (t.min.to_string(), t.max.to_string());
        assert_eq!(shown(with_lines(&range("1.7.0", "2.1.x"), Lines::OneX)), ("1.7.0".into(), "1.7.x".into()));
        assert_eq!(shown(with_lines(&range("1.6.20", "2.2.x"), Lines::TwoX)), ("2.0.0".into(), "2.2.x".into()));
        assert_eq!(shown(with_lines(&range("2.0.7", "2.2.x"), Lines::Both)), ("1.7.0".into(), "2.2.x".into()));
        assert_eq!(shown(with_lines(&range("1.6.20", "1.7.x"), Lines::Both)), ("1.6.20".into(), "2.3.x".into()));
        assert_eq!(Lines::of(&range("1.6.20", "1.7.x")), Lines::OneX);
        assert_eq!(Lines::from_key("both"), Some(Lines::Both));
    }

    #[test]
    fn suggestions_are_known_releases_and_named_ranges_valid() {
        assert!(MIN_SUGGESTIONS.iter().chain(&MAX_SUGGESTIONS).all(|v| v.is_known_line()));
        assert_eq!(MAX_SUGGESTIONS[1].to_string(), "1.7.x");
        let t = named_range("containerd1").unwrap();
        assert_eq!((t.min.to_string(), t.max.to_string()), ("1.6.20".into(), "1.7.x".into()));
        assert!(named_range("containerd3").is_none());
        let default = crate::model::Target::default();
        assert_eq!((default.min, default.max), (DEFAULT_MIN_1X, DEFAULT_MAX_2X), "a new project's range");
        assert_eq!((default.min.to_string(), default.max.to_string()), ("1.7.0".into(), "2.3.x".into()));
    }

    #[test]
    fn release_table_covers_the_known_lines_as_of_2026_08() {
        assert_eq!(RELEASE_LINES.map(|r| r.line), KNOWN_LINES, "one row per known line, oldest first");
        assert_eq!(RELEASES_AS_OF, "2026-08");
        for r in RELEASE_LINES {
            assert_eq!(r.latest.line(), r.line);
            assert!(r.latest.patch.is_some());
        }
        let row = |l| release_line(l).unwrap();
        assert_eq!(row((2, 3)).status, LineStatus::Lts { until: "2028-04-30" });
        assert_eq!(row((2, 3)).latest.to_string(), "2.3.4");
        assert_eq!(row((2, 2)).status, LineStatus::Active { until: "2026-11-06" });
        assert_eq!(row((2, 1)).status, LineStatus::EndOfLife { since: "2026-07-03" });
        assert_eq!(row((2, 0)).status, LineStatus::ExtendedLts { until: "2027-03" });
        assert_eq!(row((1, 7)).latest.to_string(), "1.7.34");
        assert_eq!(row((1, 6)).status, LineStatus::EndOfLife { since: "2025-08-23" });
        assert_eq!(row((1, 6)).debian, Some(("12", ContainerdVersion::new(1, 6, 20))));
        assert!(release_line(NEXT_PRERELEASE.0.line()).is_none(), "2.4 is only a beta: not a known line");
        // The default range covers every line that is still supported upstream, and nothing newer.
        let default = crate::model::Target::default();
        for r in RELEASE_LINES.iter().filter(|r| !matches!(r.status, LineStatus::EndOfLife { .. })) {
            assert!(default.lines().contains(&r.line), "{:?} is supported but outside the default range", r.line);
        }
    }
}
