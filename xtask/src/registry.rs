//! A cargo registry on 127.0.0.1 for packaged crates: the sparse index
//! (one JSON line per release, in cargo's index layout) and the `.crate`
//! downloads, served as static files by a small HTTP/1.1 server.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

/// crates.io's index, as a dependency on it is written in another registry.
const CRATES_IO: &str = "https://github.com/rust-lang/crates.io-index";

/// A registry served from a directory.
pub struct Registry {
    root: PathBuf,
    /// `sparse+http://127.0.0.1:<port>/index/`
    pub index_url: String,
}

/// The index path of a crate, as cargo asks for it.
fn index_path(name: &str) -> String {
    let name = name.to_lowercase();
    match name.len() {
        1 => format!("1/{name}"),
        2 => format!("2/{name}"),
        3 => format!("3/{}/{name}", &name[..1]),
        _ => format!("{}/{}/{name}", &name[..2], &name[2..4]),
    }
}

impl Registry {
    /// Starts serving `root` (created empty) on a free port, for as long as
    /// the process lives.
    pub fn start(root: &Path) -> Result<Registry, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("bind: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let index = root.join("index");
        std::fs::create_dir_all(&index).map_err(|e| format!("{}: {e}", index.display()))?;
        let config = json!({ "dl": format!("http://127.0.0.1:{port}/crates") });
        std::fs::write(index.join("config.json"), config.to_string()).map_err(|e| e.to_string())?;
        let served = root.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = served.clone();
                std::thread::spawn(move || serve(stream, &root));
            }
        });
        Ok(Registry {
            root: root.to_path_buf(),
            index_url: format!("sparse+http://127.0.0.1:{port}/index/"),
        })
    }

    /// Publishes `crate_file`, a `cargo package` output, with the metadata
    /// `package` (one package of `cargo metadata`). Dependencies with a
    /// path, or on this registry, are on this registry; the others are on
    /// crates.io. Dev-dependencies are left out, as cargo leaves them out of
    /// what dependents resolve.
    pub fn publish(&self, package: &Value, crate_file: &Path) -> Result<(), String> {
        let name = package["name"].as_str().ok_or("a package without a name")?;
        let version = package["version"]
            .as_str()
            .ok_or("a package without a version")?;
        let bytes =
            std::fs::read(crate_file).map_err(|e| format!("{}: {e}", crate_file.display()))?;
        let cksum: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let own = self.index_url.trim_start_matches("sparse+");
        let deps: Vec<Value> = package["dependencies"]
            .as_array()
            .ok_or("dependencies missing")?
            .iter()
            .filter(|d| d["kind"] != "dev")
            .map(|d| {
                let ours = d["path"].is_string()
                    || d["registry"]
                        .as_str()
                        .is_some_and(|r| r.trim_start_matches("sparse+") == own);
                let (dep_name, package) = match d["rename"].as_str() {
                    Some(alias) => (json!(alias), d["name"].clone()),
                    None => (d["name"].clone(), Value::Null),
                };
                json!({
                    "name": dep_name,
                    "package": package,
                    "req": d["req"],
                    "features": d["features"],
                    "optional": d["optional"],
                    "default_features": d["uses_default_features"],
                    "target": d["target"],
                    "kind": d["kind"].as_str().unwrap_or("normal"),
                    "registry": if ours { Value::Null } else { json!(CRATES_IO) },
                })
            })
            .collect();
        let entry = json!({
            "name": name,
            "vers": version,
            "deps": deps,
            "cksum": cksum,
            "features": package["features"],
            "yanked": false,
            "links": package["links"],
            "rust_version": package["rust_version"],
            "v": 2,
        });
        let index_file = self.root.join("index").join(index_path(name));
        let download = self
            .root
            .join("crates")
            .join(name)
            .join(version)
            .join("download");
        for file in [&index_file, &download] {
            std::fs::create_dir_all(file.parent().expect("a file in a directory"))
                .map_err(|e| e.to_string())?;
        }
        let mut lines = std::fs::read_to_string(&index_file).unwrap_or_default();
        lines.push_str(&entry.to_string());
        lines.push('\n');
        std::fs::write(&index_file, lines).map_err(|e| e.to_string())?;
        std::fs::write(&download, bytes).map_err(|e| e.to_string())
    }
}

/// Answers one request with the file at its path under `root`, or 404.
fn serve(mut stream: TcpStream, root: &Path) {
    let mut request = String::new();
    let mut reader = BufReader::new(&stream);
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // The headers are read and ignored: every answer is the whole file.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let file = path
        .trim_start_matches('/')
        .split('/')
        .all(|part| !part.is_empty() && part != "..")
        .then(|| root.join(path.trim_start_matches('/')))
        .and_then(|p| std::fs::read(p).ok());
    let _ = match file {
        Some(body) => write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .and_then(|()| stream.write_all(&body)),
        None => write!(
            stream,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    };
}

#[cfg(test)]
mod tests {
    use super::index_path;

    #[test]
    fn index_paths_follow_cargos_layout() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("cc"), "2/cc");
        assert_eq!(index_path("log"), "3/l/log");
        assert_eq!(index_path("Halide-sys"), "ha/li/halide-sys");
    }
}
