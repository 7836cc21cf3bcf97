//! The `download` probe: the pinned official wheel, found through PyPI's
//! simple index, verified by SHA-256, unpacked once into a cache shared by
//! every build on the machine.
//!
//! The network is injected ([`Transport`]) so that `tests/build_wheel.rs` can
//! check the cache logic (reuse, detection of truncated or tampered files,
//! refetching) with no network at all.

use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// What the wheel logic needs from the network.
pub trait Transport {
    /// The body of the index page at `url`.
    fn get_text(&self, url: &str) -> Result<String, String>;
    /// Streams the file at `url` into `dest`.
    fn download(&self, url: &str, dest: &Path) -> Result<(), String>;
}

/// The parts of the wheel the build needs: headers, libraries and plugins, tools.
const KEEP: [&str; 4] = ["include/", "lib/", "lib64/", "bin/"];

/// Name of the file that marks a complete unpacked installation; it holds the
/// SHA-256 of the wheel it came from.
pub const STAMP: &str = ".halide-sys-complete";

/// Finds the download URL of `filename` in a simple-index page.
///
/// The index may answer in PEP 691 JSON or in PEP 503 HTML (mirrors often
/// ignore the `Accept` header). In both forms the URL is a quoted string whose
/// path ends in the file name, so one scan serves both. When the page lists a
/// `#sha256=` fragment that disagrees with the pinned hash, the index is not
/// trusted.
pub fn find_url(
    page: &str,
    index_url: &str,
    filename: &str,
    sha256: &str,
) -> Result<String, String> {
    let mut candidates = Vec::new();
    let mut search = 0;
    while let Some(pos) = page[search..].find(filename) {
        let at = search + pos;
        search = at + filename.len();
        let Some(open) = page[..at].rfind('"') else {
            continue;
        };
        let Some(close) = page[at..].find('"').map(|c| at + c) else {
            continue;
        };
        let raw = page[open + 1..close]
            .replace("\\/", "/")
            .replace("&amp;", "&");
        let (url, fragment) = raw.split_once('#').unwrap_or((raw.as_str(), ""));
        if !url.ends_with(&format!("/{filename}")) && url != filename {
            continue;
        }
        if let Some(listed) = fragment.strip_prefix("sha256=") {
            if !listed.eq_ignore_ascii_case(sha256) {
                return Err(format!(
                    "the index at {index_url} lists sha256 {listed} for {filename}, \
                     but halide-sys pins {sha256}"
                ));
            }
        }
        candidates.push(url.to_owned());
    }
    // JSON pages also hold the bare name in "filename"; a link with a path is the URL.
    let best = candidates
        .iter()
        .find(|u| u.contains('/'))
        .or(candidates.first());
    best.map(|url| resolve(index_url, url))
        .ok_or_else(|| format!("the index at {index_url} does not list {filename}"))
}

/// Resolves a possibly relative link (`/x`, `x`, `../../x`) against the
/// index page's URL.
fn resolve(base: &str, link: &str) -> String {
    if link.contains("://") {
        return link.to_owned();
    }
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let (origin, base_path) = base.split_at(host_end);
    let mut segments: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        // The base's last segment is a file name (or empty after a trailing slash).
        let mut dir: Vec<&str> = base_path.split('/').filter(|s| !s.is_empty()).collect();
        if !base_path.ends_with('/') {
            dir.pop();
        }
        dir
    };
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    format!("{origin}/{}", segments.join("/"))
}

/// Lower-case hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// A unique sibling path for writing before an atomic rename, so concurrent
/// builds never see each other's half-written files.
fn temp_sibling(path: &Path) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.{nanos}.tmp", std::process::id()))
}

/// Makes sure `dir/filename` exists with the pinned hash, downloading it when
/// it is missing, truncated or tampered with. Returns its path.
pub fn ensure_wheel(
    dir: &Path,
    filename: &str,
    sha256: &str,
    index_url: &str,
    net: &dyn Transport,
) -> Result<PathBuf, String> {
    let path = dir.join(filename);
    if path.is_file() {
        match sha256_file(&path) {
            Ok(hash) if hash == sha256 => return Ok(path),
            Ok(hash) => eprintln!(
                "halide-sys: cached {} has sha256 {hash}, expected {sha256}: fetching it again",
                path.display()
            ),
            Err(e) => eprintln!(
                "halide-sys: cannot read cached {}: {e}: fetching it again",
                path.display()
            ),
        }
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let page_url = format!("{}/halide/", index_url.trim_end_matches('/'));
    let page = net.get_text(&page_url)?;
    let url = find_url(&page, &page_url, filename, sha256)?;
    let tmp = temp_sibling(&path);
    eprintln!("halide-sys: downloading {url}");
    let result = net.download(&url, &tmp).and_then(|()| {
        let hash = sha256_file(&tmp).map_err(|e| format!("cannot read {}: {e}", tmp.display()))?;
        if hash != sha256 {
            return Err(format!(
                "downloaded {url} has sha256 {hash}, expected {sha256}"
            ));
        }
        fs::rename(&tmp, &path)
            .map_err(|e| format!("cannot move the wheel to {}: {e}", path.display()))
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| path)
}

/// Unpacks the parts of the wheel the build needs into `dest`, atomically:
/// `dest` either does not exist or holds a complete installation with its stamp.
pub fn unpack(wheel: &Path, dest: &Path, sha256: &str) -> Result<(), String> {
    let file = File::open(wheel).map_err(|e| format!("cannot open {}: {e}", wheel.display()))?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| format!("{} is not a zip archive: {e}", wheel.display()))?;
    let tmp = temp_sibling(dest);
    let result = (|| {
        for i in 0..archive.len() {
            let mut entry = archive
                .by_index(i)
                .map_err(|e| format!("bad entry in {}: {e}", wheel.display()))?;
            // enclosed_name rejects absolute paths and `..`, so nothing lands outside tmp.
            let Some(name) = entry.enclosed_name() else {
                continue;
            };
            let Ok(rel) = name.strip_prefix("halide") else {
                continue;
            };
            let rel_str = rel.to_string_lossy().replace('\\', "/");
            if !KEEP.iter().any(|k| rel_str.starts_with(k)) || entry.is_dir() {
                continue;
            }
            let out_path = tmp.join(rel);
            if let Some(parent) = out_path.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            let mut out = File::create(&out_path)
                .map_err(|e| format!("cannot create {}: {e}", out_path.display()))?;
            io::copy(&mut entry, &mut out)
                .map_err(|e| format!("cannot unpack {}: {e}", out_path.display()))?;
            #[cfg(unix)]
            if let Some(mode) = entry.unix_mode() {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&out_path, fs::Permissions::from_mode(mode & 0o777))
                    .map_err(|e| format!("cannot set mode of {}: {e}", out_path.display()))?;
            }
        }
        fs::write(tmp.join(STAMP), sha256).map_err(|e| format!("cannot write stamp: {e}"))?;
        if dest.exists() {
            fs::remove_dir_all(dest)
                .map_err(|e| format!("cannot replace {}: {e}", dest.display()))?;
        }
        fs::rename(&tmp, dest)
            .map_err(|e| format!("cannot move unpacked Halide to {}: {e}", dest.display()))
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
        // Another build may have won the race with an identical installation.
        if is_complete(dest, sha256) {
            return Ok(());
        }
    }
    result
}

/// Whether `dest` holds a complete installation unpacked from the wheel with `sha256`.
pub fn is_complete(dest: &Path, sha256: &str) -> bool {
    fs::read_to_string(dest.join(STAMP)).is_ok_and(|s| s.trim() == sha256)
}

/// The whole download probe: reuse the unpacked installation when it is
/// complete, else make sure the wheel is there and sound, and unpack it.
/// Returns the installation prefix.
pub fn fetch(
    cache: &Path,
    version: &str,
    platform: &str,
    filename: &str,
    sha256: &str,
    index_url: &str,
    net: &dyn Transport,
) -> Result<PathBuf, String> {
    let dest = cache.join(format!("halide-{version}-{platform}"));
    if is_complete(&dest, sha256) {
        eprintln!("halide-sys: using cached Halide at {}", dest.display());
        return Ok(dest);
    }
    let wheel = ensure_wheel(&cache.join("wheels"), filename, sha256, index_url, net)?;
    eprintln!(
        "halide-sys: unpacking {} into {}",
        wheel.display(),
        dest.display()
    );
    unpack(&wheel, &dest, sha256)?;
    Ok(dest)
}
