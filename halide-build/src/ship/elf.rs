//! Just enough of ELF64 (little-endian) to read a file's dynamic section
//! and rename one library it needs, in place.

/// `DT_NEEDED`, `DT_SONAME`, `DT_RPATH`, `DT_RUNPATH`: the dynamic entries
/// whose value is an offset into the dynamic string table.
const STRING_TAGS: [u64; 4] = [1, 14, 15, 29];
const DT_NEEDED: u64 = 1;
const DT_RUNPATH: u64 = 29;
const DT_RPATH: u64 = 15;
const SHT_DYNAMIC: u32 = 6;
const SHT_DYNSYM: u32 = 11;
const SHT_GNU_VERDEF: u32 = 0x6fff_fffd;
const SHT_GNU_VERNEED: u32 = 0x6fff_fffe;

/// A parsed file: its bytes, and where its dynamic strings start.
pub struct Elf {
    bytes: Vec<u8>,
    /// File offset of the dynamic string table.
    strtab: usize,
    /// `(tag, value)` of every dynamic entry.
    dynamic: Vec<(u64, u64)>,
    /// Every other reference into the string table: symbol and version names.
    references: Vec<u64>,
}

struct Section {
    kind: u32,
    offset: usize,
    size: usize,
    link: usize,
    entsize: usize,
    info: usize,
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, String> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| format!("truncated at byte {at}"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes(s.try_into().expect("4 bytes")))
        .ok_or_else(|| format!("truncated at byte {at}"))
}

fn u64_at(b: &[u8], at: usize) -> Result<u64, String> {
    b.get(at..at + 8)
        .map(|s| u64::from_le_bytes(s.try_into().expect("8 bytes")))
        .ok_or_else(|| format!("truncated at byte {at}"))
}

fn usize_of(v: u64) -> Result<usize, String> {
    usize::try_from(v).map_err(|_| format!("offset {v} out of range"))
}

impl Elf {
    /// Parses `bytes`; an error for anything but a little-endian ELF64 with
    /// a dynamic section.
    pub fn parse(bytes: Vec<u8>) -> Result<Elf, String> {
        if bytes.get(..4) != Some(b"\x7fELF".as_slice()) {
            return Err("not an ELF file".into());
        }
        if bytes[4] != 2 || bytes[5] != 1 {
            return Err("not a little-endian 64-bit ELF file".into());
        }
        let shoff = usize_of(u64_at(&bytes, 0x28)?)?;
        let shentsize = usize::from(u16_at(&bytes, 0x3a)?);
        let shnum = usize::from(u16_at(&bytes, 0x3c)?);
        let sections = (0..shnum)
            .map(|i| {
                let at = shoff + i * shentsize;
                Ok(Section {
                    kind: u32_at(&bytes, at + 4)?,
                    offset: usize_of(u64_at(&bytes, at + 0x18)?)?,
                    size: usize_of(u64_at(&bytes, at + 0x20)?)?,
                    link: u32_at(&bytes, at + 0x28)? as usize,
                    info: u32_at(&bytes, at + 0x2c)? as usize,
                    entsize: usize_of(u64_at(&bytes, at + 0x38)?)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let dynamic = sections
            .iter()
            .find(|s| s.kind == SHT_DYNAMIC)
            .ok_or("no dynamic section: a statically linked program")?;
        let strtab = sections
            .get(dynamic.link)
            .ok_or("the dynamic section names no string table")?
            .offset;
        let mut entries = Vec::new();
        for at in (dynamic.offset..dynamic.offset + dynamic.size).step_by(16) {
            let tag = u64_at(&bytes, at)?;
            if tag == 0 {
                break;
            }
            entries.push((tag, u64_at(&bytes, at + 8)?));
        }
        let mut references = Vec::new();
        for s in sections.iter().filter(|s| s.link == dynamic.link) {
            match s.kind {
                SHT_DYNSYM if s.entsize > 0 => {
                    for at in (s.offset..s.offset + s.size).step_by(s.entsize) {
                        references.push(u64::from(u32_at(&bytes, at)?));
                    }
                }
                SHT_GNU_VERNEED => version_names(&bytes, s, &mut references, true)?,
                SHT_GNU_VERDEF => version_names(&bytes, s, &mut references, false)?,
                _ => {}
            }
        }
        Ok(Elf {
            bytes,
            strtab,
            dynamic: entries,
            references,
        })
    }

    fn string(&self, offset: u64) -> Result<String, String> {
        let start = self.strtab + usize_of(offset)?;
        let tail = self.bytes.get(start..).ok_or("string out of range")?;
        let len = tail
            .iter()
            .position(|&b| b == 0)
            .ok_or("unterminated string")?;
        String::from_utf8(tail[..len].to_vec()).map_err(|_| "a name that is not UTF-8".into())
    }

    fn strings(&self, tag: u64) -> Result<Vec<String>, String> {
        self.dynamic
            .iter()
            .filter(|(t, _)| *t == tag)
            .map(|&(_, v)| self.string(v))
            .collect()
    }

    /// The libraries the file needs, as written.
    pub fn needed(&self) -> Result<Vec<String>, String> {
        self.strings(DT_NEEDED)
    }

    /// The directories of its run path (`DT_RUNPATH`, else `DT_RPATH`), as
    /// written (`$ORIGIN` unexpanded).
    pub fn run_path(&self) -> Result<Vec<String>, String> {
        let mut paths = self.strings(DT_RUNPATH)?;
        if paths.is_empty() {
            paths = self.strings(DT_RPATH)?;
        }
        Ok(paths
            .iter()
            .flat_map(|p| p.split(':'))
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect())
    }

    /// Renames the needed library `old` to `new`, which must be no longer,
    /// by overwriting its string. Refused when another name shares part of
    /// that string (linkers merge a string with the tails of others).
    pub fn rename_needed(&mut self, old: &str, new: &str) -> Result<(), String> {
        if new.len() > old.len() || new.contains('\0') {
            return Err(format!("cannot rename {old} to the longer {new}"));
        }
        let offset = self
            .dynamic
            .iter()
            .find(|&&(t, v)| t == DT_NEEDED && self.string(v).as_deref() == Ok(old))
            .map(|&(_, v)| v)
            .ok_or_else(|| format!("the file does not need {old}"))?;
        let end = offset + old.len() as u64;
        let dynamic_strings = self
            .dynamic
            .iter()
            .filter(|(t, _)| STRING_TAGS.contains(t))
            .map(|&(_, v)| v);
        if let Some(shared) = dynamic_strings
            .chain(self.references.iter().copied())
            .find(|&r| r > offset && r <= end)
        {
            return Err(format!(
                "another name uses the tail of {old} (string offset {shared}); cannot rename it in place"
            ));
        }
        let start = self.strtab + usize_of(offset)?;
        let slot = &mut self.bytes[start..start + old.len() + 1];
        slot.fill(0);
        slot[..new.len()].copy_from_slice(new.as_bytes());
        Ok(())
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// Adds the file and version name offsets of a `verneed` (`need`) or
/// `verdef` section: linked lists of records with auxiliary entries.
fn version_names(b: &[u8], s: &Section, out: &mut Vec<u64>, need: bool) -> Result<(), String> {
    let mut at = s.offset;
    for _ in 0..s.info {
        let (count, aux, next) = if need {
            out.push(u64::from(u32_at(b, at + 4)?)); // vn_file
            (u16_at(b, at + 2)?, u32_at(b, at + 8)?, u32_at(b, at + 12)?)
        } else {
            (u16_at(b, at + 6)?, u32_at(b, at + 12)?, u32_at(b, at + 16)?)
        };
        let mut a = at + aux as usize;
        for _ in 0..count {
            // vna_name at 8, next at 12; vda_name at 0, next at 4.
            let (name, next_aux) = if need { (8, 12) } else { (0, 4) };
            out.push(u64::from(u32_at(b, a + name)?));
            a += u32_at(b, a + next_aux)? as usize;
        }
        if next == 0 {
            break;
        }
        at += next as usize;
    }
    Ok(())
}
