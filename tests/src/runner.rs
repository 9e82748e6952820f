//! Runs a proptest strategy case by case, counting agreements and explained differences.

use std::cell::RefCell;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::differences::Difference;
use crate::report::Report;

/// Runs `cases` generated cases of `strategy` through `check`, which returns the table rows
/// explaining the case (empty: agreement) or an error for an unexplained disagreement.
///
/// The first failure is shrunk by proptest and reported with the minimal input; the report
/// file is written either way.
pub fn run_cases<S>(
    category: &'static str,
    test: &'static str,
    cases: u32,
    strategy: S,
    check: impl Fn(S::Value) -> Result<Vec<&'static Difference>, String>,
) where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let mut report = Report::new(category, test);
    let result = count_cases(&mut report, cases, strategy, check);
    report.write();
    if let Err(e) = result {
        panic!("{category}/{test}: {e}");
    }
}

/// Like [`run_cases`], but counts into `report` and returns the (shrunk) failure instead of
/// panicking, so a caller can run several strategies and report them all.
pub fn count_cases<S>(
    report: &mut Report,
    cases: u32,
    strategy: S,
    check: impl Fn(S::Value) -> Result<Vec<&'static Difference>, String>,
) -> Result<(), String>
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let counts = RefCell::new(report);
    let failed = RefCell::new(false);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |value| {
        let verdict = check(value);
        // Shrinking re-runs cases after the first failure; only the original run counts.
        let counting = !*failed.borrow();
        match verdict {
            Ok(rows) => {
                if counting {
                    if rows.is_empty() {
                        counts.borrow_mut().agree();
                    } else {
                        counts.borrow_mut().differ(&rows);
                    }
                }
                Ok(())
            }
            Err(why) => {
                if counting {
                    counts.borrow_mut().fail();
                    *failed.borrow_mut() = true;
                }
                Err(TestCaseError::fail(why))
            }
        }
    });
    result.map_err(|e| e.to_string())
}
