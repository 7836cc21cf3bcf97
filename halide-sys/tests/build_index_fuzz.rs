//! The download probe's readers of outside input against input nobody
//! wrote by hand: simple-index pages (PEP 691 JSON and PEP 503 HTML, as
//! any mirror may serve them, damaged or hostile) and wheels that are not
//! zip files. Never a panic or a hang: a URL or an error, and an accepted
//! URL always names the wheel asked for.

#[path = "../build/wheel.rs"]
#[allow(dead_code)]
mod wheel;

mod common;

use common::TempDir;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

const FILE: &str = "halide-21.0.0-cp311-cp311-manylinux_2_28_x86_64.whl";
const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Pieces a page is made of: links in both forms, with and without hash
/// fragments, relative and absolute, escaped, broken.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(format!(
            "<a href=\"../../packages/ab/{FILE}#sha256={SHA}\">{FILE}</a>"
        )),
        Just(format!(
            "{{\"filename\": \"{FILE}\", \"url\": \"https:\\/\\/files\\/{FILE}\"}}"
        )),
        Just(format!("\"/{FILE}\"")),
        Just(format!("\"{FILE}#sha256=00\"")),
        Just(format!("\"{FILE}")),
        Just(format!("{FILE}\"")),
        Just(FILE.to_owned()),
        Just("\"".to_owned()),
        Just("&amp;".to_owned()),
        Just("#sha256=".to_owned()),
        "[ -~]{0,40}",
        ".{0,20}",
    ]
}

fn index_url() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://pypi.org/simple/halide/".to_owned()),
        Just("https://mirror/simple/halide".to_owned()),
        Just("file:///".to_owned()),
        Just("://".to_owned()),
        Just(String::new()),
        ".{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn index_pages_never_panic(
        pieces in prop::collection::vec(piece(), 0..8),
        url in index_url(),
    ) {
        let page = pieces.concat();
        if let Ok(found) = wheel::find_url(&page, &url, FILE, SHA) {
            prop_assert!(found.ends_with(FILE), "{found}");
        }
    }

    #[test]
    fn random_pages_never_panic(page in ".{0,300}", url in ".{0,40}") {
        let _ = wheel::find_url(&page, &url, FILE, SHA);
    }
}

/// A "wheel" that is random bytes, or a real zip cut short, is refused
/// before anything is unpacked.
#[test]
fn wheels_that_are_not_zip_files_are_refused() {
    let dir = TempDir::new("index-fuzz");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..64 {
        let bytes = prop::collection::vec(any::<u8>(), 0..512)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let path = dir.0.join("bad.whl");
        std::fs::write(&path, &bytes).unwrap();
        let sha = wheel::sha256_file(&path).unwrap();
        let dest = dir.0.join("out");
        assert!(wheel::unpack(&path, &dest, &sha).is_err());
        assert!(!wheel::is_complete(&dest, &sha));
    }
}
