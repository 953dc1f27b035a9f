//! Labelled profiles from CSV files with Twitter v1.1 column names (the research data in
//! `../shared/data/bots/`), read through the same importer the service uses
//! (`import::twitter::profile_from_csv`), so training sees exactly what serving sees.
//!
//! Rows with a bad field or label are set aside with their file and line, not fatal. The
//! same account (same id) appearing in several files is kept once, the first time, because
//! the research files overlap (`E13_users.csv` repeats BAS's E13 rows).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::engine::profile::FollowerProfile;
use crate::import::twitter::profile_from_csv;

/// One labelled account.
#[derive(Debug, Clone)]
pub struct LabelledProfile {
    pub profile: FollowerProfile,
    /// True for a bot or fake follower.
    pub label: bool,
    /// The research group (`dataset` column), or the file name when there is none.
    pub group: String,
    /// The data set (crawl) the group belongs to: `cresci-2015` for the five groups of
    /// Cresci-2015 (E13, TFP, INT, FSF, TWT), otherwise the group itself. Leave-one-
    /// dataset-out holds out whole sets, so no crawl is ever on both sides.
    pub set: String,
    /// The account says it is verified (used to set aside label noise among bought
    /// followers: a verified account was not bought from a follower vendor).
    pub verified: bool,
}

/// The research groups of Cresci-2015 (`dataset` column of its files).
pub const CRESCI_2015_GROUPS: [&str; 5] = ["E13", "TFP", "INT", "FSF", "TWT"];

/// The data set a research group belongs to.
pub fn set_of(group: &str) -> String {
    if CRESCI_2015_GROUPS.contains(&group) {
        "cresci-2015".to_owned()
    } else {
        group.to_owned()
    }
}

/// A row that could not be used.
#[derive(Debug, Clone)]
pub struct RowProblem {
    pub file: PathBuf,
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Dataset {
    pub rows: Vec<LabelledProfile>,
    pub problems: Vec<RowProblem>,
    /// Rows skipped because their id was already loaded.
    pub duplicates: usize,
}

/// Loads every row of `paths`, labelled by `label_column` (1/1.0/True/true vs 0/0.0/False/false).
pub fn load_dataset(paths: &[PathBuf], label_column: &str) -> anyhow::Result<Dataset> {
    let mut dataset = Dataset::default();
    let mut seen = HashSet::new();
    for path in paths {
        load_file(path, label_column, &mut seen, &mut dataset)?;
    }
    Ok(dataset)
}

fn load_file(
    path: &Path,
    label_column: &str,
    seen: &mut HashSet<String>,
    dataset: &mut Dataset,
) -> anyhow::Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("opening {}", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("reading the header of {}", path.display()))?
        .clone();
    let label_index = headers
        .iter()
        .position(|header| header.trim() == label_column)
        .with_context(|| format!("{} has no column {label_column:?}", path.display()))?;
    let group_index = headers.iter().position(|header| header.trim() == "dataset");
    let file_group = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut problems = Vec::new();
    let mut problem = |line: u64, message: String| {
        problems.push(RowProblem {
            file: path.to_path_buf(),
            line,
            message,
        })
    };
    let mut rows = Vec::new();
    let mut duplicates = 0;
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |position| position.line());
                problem(line, error.to_string());
                continue;
            }
        };
        let line = record.position().map_or(0, |position| position.line());
        let label = match record.get(label_index).map(str::trim) {
            Some("1" | "1.0" | "True" | "true") => true,
            Some("0" | "0.0" | "False" | "false") => false,
            other => {
                problem(line, format!("{label_column}: not a 0/1 label: {other:?}"));
                continue;
            }
        };
        let profile = match profile_from_csv(&headers, &record) {
            Ok(profile) => profile,
            Err(error) => {
                problem(line, error.to_string());
                continue;
            }
        };
        if !seen.insert(profile.key.id.as_str().to_owned()) {
            duplicates += 1;
            continue;
        }
        let group = group_index
            .and_then(|index| record.get(index))
            .map(str::trim)
            .filter(|group| !group.is_empty())
            .map_or_else(|| file_group.clone(), str::to_owned);
        let verified = profile.flags.verified == Some(true);
        rows.push(LabelledProfile {
            profile,
            label,
            set: set_of(&group),
            group,
            verified,
        });
    }
    dataset.rows.extend(rows);
    dataset.problems.extend(problems);
    dataset.duplicates += duplicates;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cresci_groups_form_one_set() {
        for group in CRESCI_2015_GROUPS {
            assert_eq!(set_of(group), "cresci-2015");
        }
        assert_eq!(set_of("cresci-stock-2018"), "cresci-stock-2018");
    }
}
