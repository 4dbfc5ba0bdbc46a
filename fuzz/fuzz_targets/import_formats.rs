//! `import_formats` target: see `fuzz_checks::import_formats_target` (crates/core/tests/support/fuzz_checks.rs),
//! shared with the stable regression test.
#![no_main]

#[path = "../../crates/core/tests/support/fuzz_checks.rs"]
mod fuzz_checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_checks::import_formats_target(data));
