//! The download probe's cache logic, with a fake network.

#[path = "../build/wheel.rs"]
mod wheel;

mod common;

use common::TempDir;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const FILE: &str = "halide-21.0.0-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl";

/// A small wheel with the layout of the real one.
fn make_wheel() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().unix_permissions(0o755);
        for (name, body) in [
            ("halide/__init__.py", "x"),
            ("halide/include/Halide.h", "#define HALIDE_VERSION_MAJOR 21"),
            ("halide/lib64/libHalide.so", "ELF"),
            ("halide/bin/gengen", "tool"),
            ("halide/share/doc/README.md", "doc"),
            ("halide-21.0.0.dist-info/METADATA", "meta"),
        ] {
            zip.start_file(name, opts).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Serves one index page and one file, counting downloads.
struct FakeNet {
    page: String,
    file: Vec<u8>,
    downloads: RefCell<usize>,
}

impl FakeNet {
    fn new(file: Vec<u8>, listed_sha: &str) -> Self {
        let page = format!(
            "<html><body><a href=\"https://files.example/packages/ab/{FILE}#sha256={listed_sha}\">{FILE}</a></body></html>"
        );
        FakeNet {
            page,
            file,
            downloads: RefCell::new(0),
        }
    }
}

impl wheel::Transport for FakeNet {
    fn get_text(&self, url: &str) -> Result<String, String> {
        assert_eq!(url, "https://index.example/simple/halide/");
        Ok(self.page.clone())
    }
    fn download(&self, url: &str, dest: &Path) -> Result<(), String> {
        assert_eq!(url, format!("https://files.example/packages/ab/{FILE}"));
        *self.downloads.borrow_mut() += 1;
        fs::write(dest, &self.file).map_err(|e| e.to_string())
    }
}

fn fetch(cache: &Path, sha256: &str, net: &FakeNet) -> Result<PathBuf, String> {
    wheel::fetch(
        cache,
        "21.0.0",
        "linux-x86_64",
        FILE,
        sha256,
        "https://index.example/simple/",
        net,
    )
}

#[test]
fn downloads_once_then_reuses_the_cache() {
    let cache = TempDir::new("reuse");
    let bytes = make_wheel();
    let hash = sha(&bytes);
    let net = FakeNet::new(bytes, &hash);
    let root = fetch(&cache.0, &hash, &net).unwrap();
    assert_eq!(*net.downloads.borrow(), 1);
    assert!(root.join("include/Halide.h").is_file());
    assert!(root.join("lib64/libHalide.so").is_file());
    assert!(root.join("bin/gengen").is_file());
    assert!(!root.join("__init__.py").exists() && !root.join("share").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(root.join("bin/gengen"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o755
        );
    }
    // A second build, e.g. in a new clone, downloads nothing.
    assert_eq!(fetch(&cache.0, &hash, &net).unwrap(), root);
    assert_eq!(*net.downloads.borrow(), 1);
}

#[test]
fn truncated_or_tampered_cached_wheel_is_fetched_again() {
    let cache = TempDir::new("tamper");
    let bytes = make_wheel();
    let hash = sha(&bytes);
    let net = FakeNet::new(bytes.clone(), &hash);
    let root = fetch(&cache.0, &hash, &net).unwrap();
    let cached = cache.0.join("wheels").join(FILE);
    for damage in [
        bytes[..bytes.len() / 2].to_vec(),
        [bytes.as_slice(), b"x"].concat(),
    ] {
        fs::write(&cached, damage).unwrap();
        // With the unpacked tree intact the wheel is not even read...
        fetch(&cache.0, &hash, &net).unwrap();
        // ...but once it must be unpacked again, the damage is caught.
        fs::remove_dir_all(&root).unwrap();
        let before = *net.downloads.borrow();
        fetch(&cache.0, &hash, &net).unwrap();
        assert_eq!(*net.downloads.borrow(), before + 1);
        assert_eq!(fs::read(&cached).unwrap(), bytes);
    }
}

#[test]
fn a_download_with_the_wrong_hash_is_refused_and_removed() {
    let cache = TempDir::new("wrong");
    let bytes = make_wheel();
    let pinned = sha(b"something else");
    // The index lists the pinned hash, but serves other bytes.
    let net = FakeNet::new(bytes, &pinned);
    let err = fetch(&cache.0, &pinned, &net).unwrap_err();
    assert!(err.contains("expected"), "{err}");
    let left: Vec<_> = fs::read_dir(cache.0.join("wheels")).unwrap().collect();
    assert!(left.is_empty(), "partial download left behind: {left:?}");
}

#[test]
fn an_index_listing_another_hash_is_not_trusted() {
    let cache = TempDir::new("index");
    let bytes = make_wheel();
    let net = FakeNet::new(bytes.clone(), &sha(b"other"));
    let err = fetch(&cache.0, &sha(&bytes), &net).unwrap_err();
    assert!(err.contains("lists sha256"), "{err}");
    assert_eq!(*net.downloads.borrow(), 0);
}

#[test]
fn finds_urls_in_json_and_html_indexes() {
    let sha = "ab".repeat(32);
    let json = format!(
        r#"{{"meta":{{"api-version":"1.1"}},"files":[{{"filename":"{FILE}","url":"https:\/\/files.example\/p\/{FILE}","hashes":{{"sha256":"{sha}"}}}}]}}"#
    );
    assert_eq!(
        wheel::find_url(&json, "https://pypi.org/simple/halide/", FILE, &sha).unwrap(),
        format!("https://files.example/p/{FILE}")
    );
    let relative = format!("<a href=\"../../packages/x/{FILE}#sha256={sha}\">{FILE}</a>");
    assert_eq!(
        wheel::find_url(
            &relative,
            "https://mirror.example/root/simple/halide/",
            FILE,
            &sha
        )
        .unwrap(),
        format!("https://mirror.example/root/packages/x/{FILE}")
    );
    let absolute_path = format!("<a href=\"/files/{FILE}\">{FILE}</a>");
    assert_eq!(
        wheel::find_url(
            &absolute_path,
            "https://mirror.example/simple/halide/",
            FILE,
            &sha
        )
        .unwrap(),
        format!("https://mirror.example/files/{FILE}")
    );
    let err = wheel::find_url("<html></html>", "https://i/simple/halide/", FILE, &sha).unwrap_err();
    assert!(err.contains("does not list"), "{err}");
}
