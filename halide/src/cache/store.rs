//! The cache directory: entries written atomically and checked before use,
//! a lock per entry being built, least-recently-used eviction.
//!
//! An entry is a shared library with a trailer appended (ELF loaders read
//! only what the headers point at): a magic, the library's length and its
//! SHA-256. An entry whose trailer does not match (truncated, corrupted,
//! or not ours) is removed and rebuilt, never loaded. Entries are written
//! under a temporary name and renamed into place, so readers see a whole
//! entry or none; a process building an entry holds `flock` on the entry's
//! lock file, and processes wanting the same entry wait for it and then
//! find it built. The directory and files are the user's only (0700 and
//! 0600).

use sha2::{Digest, Sha256};
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

const MAGIC: &[u8; 8] = b"HLRSLIB1";
/// The least a file takes on disk, as eviction counts it.
const BLOCK: u64 = 4096;
/// The first line of an alias file.
const ALIAS_MAGIC: &str = "HLRSKEY1";
/// Magic, length, hash.
pub(crate) const TRAILER_LEN: usize = 8 + 8 + 32;

/// A cache directory.
#[derive(Debug)]
pub(crate) struct Store {
    dir: PathBuf,
}

impl Store {
    /// Opens (creating) the directory `dir`.
    pub(crate) fn open(dir: &Path) -> io::Result<Store> {
        DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        // Absolute, so that entries stay found if the process changes its
        // working directory.
        Ok(Store {
            dir: std::path::absolute(dir)?,
        })
    }

    /// The path of entry `name`.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Whether entry `name` exists and is whole; one that is not is removed.
    pub(crate) fn check(&self, name: &str) -> io::Result<bool> {
        let path = self.path(name);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e),
        };
        if is_whole(&bytes) {
            return Ok(true);
        }
        log::warn!(
            target: "halide::cache",
            "removing damaged cache entry {} (it will be rebuilt)",
            path.display()
        );
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(false),
        }
    }

    /// The key a fingerprint was last found to have, if recorded and
    /// intact (an alias file names its own fingerprint; anything else is
    /// ignored).
    pub(crate) fn alias(&self, fingerprint: &str) -> Option<String> {
        let name = format!("{fingerprint}.key");
        let text = fs::read_to_string(self.path(&name)).ok()?;
        let key = alias_key(&text, fingerprint)?.to_owned();
        self.touch(&name);
        Some(key)
    }

    /// Records that `fingerprint` has key `key`, atomically.
    pub(crate) fn set_alias(&self, fingerprint: &str, key: &str) -> io::Result<()> {
        let text = format!("{ALIAS_MAGIC}\n{fingerprint}\n{key}\n");
        self.write_atomically(&format!("{fingerprint}.key"), text.as_bytes())
    }

    /// Marks entry `name` as just used, for eviction.
    pub(crate) fn touch(&self, name: &str) {
        if let Ok(file) = File::options().write(true).open(self.path(name)) {
            let _ = file.set_modified(SystemTime::now());
        }
    }

    /// Takes the lock of entry `name`, waiting while another thread or
    /// process holds it.
    pub(crate) fn lock(&self, name: &str) -> io::Result<Lock> {
        let path = self.path(&lock_name(name));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)?;
        // SAFETY: flock on a descriptor the File owns and keeps open; the
        // lock is released when the File closes it.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Lock { _file: file })
    }

    /// A fresh directory for building an entry, removed when dropped.
    pub(crate) fn scratch(&self) -> io::Result<Scratch> {
        let dir = self.dir.join(format!("tmp-{}", unique()));
        DirBuilder::new().mode(0o700).create(&dir)?;
        Ok(Scratch { dir })
    }

    /// Makes the library at `built` entry `name`: copies it with its
    /// trailer to a temporary name, then renames it into place.
    pub(crate) fn install(&self, built: &Path, name: &str) -> io::Result<()> {
        let mut bytes = fs::read(built)?;
        let hash = Sha256::digest(&bytes);
        let len = bytes.len() as u64;
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&len.to_le_bytes());
        bytes.extend_from_slice(&hash);
        self.write_atomically(name, &bytes)
    }

    /// Writes `bytes` to a temporary file only the user can read, then
    /// renames it to `name`.
    fn write_atomically(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let temporary = self.path(&format!("{name}.tmp-{}", unique()));
        let written = OpenOptions::new()
            .create(true)
            .truncate(true)
            .write(true)
            .mode(0o600)
            .open(&temporary)
            // No fsync: an entry or alias cut short by a crash fails its
            // check when read, and is rebuilt.
            .and_then(|mut f| f.write_all(bytes))
            .and_then(|()| fs::rename(&temporary, self.path(name)));
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        written
    }

    /// Removes the least recently used entries until the entries take at
    /// most `max_bytes`, keeping `keep`.
    pub(crate) fn evict(&self, max_bytes: u64, keep: &str) -> io::Result<()> {
        let mut entries = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !(name.ends_with(".so") || name.ends_with(".key")) {
                continue;
            }
            let meta = entry.metadata()?;
            // A file takes at least a block: many small aliases add up.
            entries.push((meta.modified()?, meta.len().max(BLOCK), name));
        }
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        entries.sort();
        for (_, len, name) in entries {
            if total <= max_bytes {
                break;
            }
            if name == keep {
                continue;
            }
            match fs::remove_file(self.path(&name)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => total -= len,
            }
            let _ = fs::remove_file(self.path(&lock_name(&name)));
        }
        Ok(())
    }

    /// Removes every entry.
    pub(crate) fn clear(&self) -> io::Result<()> {
        for entry in fs::read_dir(&self.dir)? {
            let path = entry?.path();
            if path
                .extension()
                .is_some_and(|e| e == "so" || e == "lock" || e == "key")
            {
                fs::remove_file(path)?;
            }
        }
        Ok(())
    }
}

/// The key an alias file's `text` records for `fingerprint`, if whole.
fn alias_key<'t>(text: &'t str, fingerprint: &str) -> Option<&'t str> {
    let mut lines = text.lines();
    let whole = lines.next() == Some(ALIAS_MAGIC) && lines.next() == Some(fingerprint);
    lines
        .next()
        .filter(|k| whole && k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The lock file of entry `name`.
fn lock_name(name: &str) -> String {
    format!("{name}.lock")
}

/// A suffix for temporary names that no other in this process or another
/// running one has.
fn unique() -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let n = COUNT.fetch_add(1, Ordering::Relaxed);
    format!("{}-{n}", std::process::id())
}

/// Whether `bytes` end with the trailer of what precedes it.
fn is_whole(bytes: &[u8]) -> bool {
    let Some(body_len) = bytes.len().checked_sub(TRAILER_LEN) else {
        return false;
    };
    let (body, trailer) = bytes.split_at(body_len);
    let mut len = [0u8; 8];
    len.copy_from_slice(&trailer[8..16]);
    &trailer[..8] == MAGIC
        && u64::from_le_bytes(len) == body_len as u64
        && Sha256::digest(body).as_slice() == &trailer[16..]
}

/// The lock of an entry being built, released when dropped. Lock files
/// stay (empty) while their entry does: removing one that a process waits
/// on would let a later one lock a new file and build the same entry at
/// once (harmless, as entries are renamed into place, but wasted work).
#[derive(Debug)]
pub(crate) struct Lock {
    _file: File,
}

/// A temporary build directory.
#[derive(Debug)]
pub(crate) struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn store(name: &str) -> Store {
        let dir = std::env::temp_dir().join(format!("halide-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        Store::open(&dir).unwrap()
    }

    fn install(store: &Store, name: &str, body: &[u8]) {
        let scratch = store.scratch().unwrap();
        let built = scratch.path("built");
        fs::write(&built, body).unwrap();
        store.install(&built, name).unwrap();
    }

    #[test]
    fn entries_are_whole_private_and_checked() {
        let store = store("whole");
        assert!(!store.check("a.so").unwrap());
        install(&store, "a.so", b"library bytes");
        assert!(store.check("a.so").unwrap());
        let path = store.path("a.so");
        assert_eq!(fs::read(&path).unwrap().len(), 13 + TRAILER_LEN);
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&store.dir), 0o700);
        // No temporary or scratch files are left behind.
        let names: Vec<_> = fs::read_dir(&store.dir).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn damaged_entries_are_removed() {
        let store = store("damaged");
        for damage in [
            &(|b: &mut Vec<u8>| b.truncate(b.len() - 1)) as &dyn Fn(&mut Vec<u8>),
            &|b| b[3] ^= 1,
            &|b| b.truncate(10),
            &|b| b.push(0),
            &|b| b.clear(),
        ] {
            install(&store, "a.so", b"library bytes");
            let path = store.path("a.so");
            let mut bytes = fs::read(&path).unwrap();
            damage(&mut bytes);
            fs::write(&path, &bytes).unwrap();
            assert!(!store.check("a.so").unwrap());
            assert!(!path.exists());
        }
    }

    #[test]
    fn aliases_round_trip_and_damage_is_ignored() {
        let store = store("alias");
        let (f, k) = ("f".repeat(64), "0123456789abcdef".repeat(4));
        assert_eq!(store.alias(&f), None);
        store.set_alias(&f, &k).unwrap();
        assert_eq!(store.alias(&f), Some(k.clone()));
        let path = store.path(&format!("{f}.key"));
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let text = fs::read_to_string(&path).unwrap();
        for damaged in [
            text.replace(&k, &k[1..]),
            text.replace(&k, &"g".repeat(64)),
            text.replace(&f, &"e".repeat(64)),
            text.replace(ALIAS_MAGIC, "HLRSKEY0"),
            text[..text.len() / 2].to_owned(),
            String::new(),
        ] {
            fs::write(&path, damaged).unwrap();
            assert_eq!(store.alias(&f), None);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Whatever an entry's bytes are, reading them never panics, and
        /// only a whole entry is taken: any change to a whole one is seen.
        #[test]
        fn entry_reading_takes_only_whole_entries(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            noise in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
            at in proptest::prelude::any::<usize>(),
            bit in 0u8..8,
        ) {
            let _ = is_whole(&noise);
            let mut whole = body.clone();
            let len = body.len() as u64;
            whole.extend_from_slice(MAGIC);
            whole.extend_from_slice(&len.to_le_bytes());
            whole.extend_from_slice(&Sha256::digest(&body));
            proptest::prop_assert!(is_whole(&whole));
            let mut flipped = whole.clone();
            flipped[at % whole.len()] ^= 1 << bit;
            proptest::prop_assert!(!is_whole(&flipped));
            proptest::prop_assert!(!is_whole(&whole[..at % whole.len()]));
        }

        /// Alias files: any text is read without panicking, and a key is
        /// taken only from a whole file for the fingerprint asked.
        #[test]
        fn alias_reading_takes_only_whole_files(text in ".{0,200}", cut in 0usize..200) {
            let (f, k) = ("a".repeat(64), "b".repeat(64));
            let _ = alias_key(&text, &f);
            let whole = format!("{ALIAS_MAGIC}\n{f}\n{k}\n");
            proptest::prop_assert_eq!(alias_key(&whole, &f), Some(k.as_str()));
            proptest::prop_assert_eq!(alias_key(&whole, &k), None);
            let cut = cut.min(whole.len() - 2);
            proptest::prop_assert_eq!(alias_key(&whole[..cut], &f), None);
        }
    }

    #[test]
    fn eviction_drops_the_least_recently_used() {
        let store = store("evict");
        for name in ["a.so", "b.so", "c.so"] {
            install(&store, name, &[0u8; 5000]);
        }
        let age = |name: &str, secs: u64| {
            let file = File::options().write(true).open(store.path(name)).unwrap();
            let t = SystemTime::now() - std::time::Duration::from_secs(secs);
            file.set_modified(t).unwrap();
        };
        age("a.so", 30);
        age("b.so", 20);
        age("c.so", 10);
        store.touch("a.so");
        store
            .evict(2 * (5000 + TRAILER_LEN as u64), "c.so")
            .unwrap();
        assert!(store.path("a.so").exists());
        assert!(!store.path("b.so").exists());
        assert!(store.path("c.so").exists());
        // The entry just made stays even when it alone is over the limit.
        store.evict(0, "c.so").unwrap();
        assert!(store.path("c.so").exists() && !store.path("a.so").exists());
        store.clear().unwrap();
        assert!(!store.path("c.so").exists());
        // Small files count as a block each: two aliases fit in two blocks,
        // a third does not.
        let key = "0".repeat(64);
        for f in ["1", "2", "3"] {
            store.set_alias(&f.repeat(64), &key).unwrap();
        }
        age(&format!("{}.key", "1".repeat(64)), 30);
        store.evict(2 * BLOCK, "").unwrap();
        assert_eq!(store.alias(&"1".repeat(64)), None);
        assert_eq!(store.alias(&"3".repeat(64)), Some(key));
    }

    #[test]
    fn locks_exclude_each_other() {
        let store = std::sync::Arc::new(store("lock"));
        let inside = std::sync::Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (store, inside) = (store.clone(), inside.clone());
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        let _lock = store.lock("k").unwrap();
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0);
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}
