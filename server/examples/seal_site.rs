//! Gives a split release build (`cargo leptos build --release --split`) file names that
//! change whenever the build does, so the site's files can be cached for a year.
//!
//! Why: cargo-leptos 0.3.10 names each file in `pkg/` by its content and only then writes
//! the split loader's name into the main script, the manifest and every wasm file. A change
//! to one island renames its chunk and the loader, but the main wasm and script keep their
//! names with new content: a browser holding them (`immutable`) would ask for a loader that
//! is gone after a deploy, and no island would hydrate. The files name one another in a
//! cycle, so no per-file content name can be right; instead every file gets a name derived
//! from the content of the whole bundle (its names taken out) and its own place in it. Any
//! change renames every file — one new download after a deploy, as an unsplit build has.
//!
//! Names keep their length (22 characters of base64url MD5, as cargo-leptos writes), so the
//! names inside the wasm files are replaced in place. Precompressed copies are written again.
//! Running it twice changes nothing. The stylesheet is named by its own content, which
//! nothing else names, so it is left as it is.
//!
//!     cargo run -p server --example seal_site -- target/site/pkg target/release/hash.txt

use base64::Engine;
use md5::Digest;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const HASH_LEN: usize = 22;
const PLACEHOLDER: &str = "______________________";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pkg, hash_file] = args.as_slice() else {
        eprintln!("usage: seal_site <site pkg dir> <hash.txt>");
        std::process::exit(2);
    };
    if let Err(e) = seal(Path::new(pkg), Path::new(hash_file)) {
        eprintln!("seal_site: {e}");
        std::process::exit(1);
    }
}

/// A file of the bundle: its name split around its hash.
struct Named {
    path: PathBuf,
    before: String,
    hash: String,
    after: String,
}

fn hash_of(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(md5::Md5::digest(bytes))
}

/// `stem.HASH.ext`, with HASH the last 22-character part before the extension.
fn split_name(path: &Path) -> Option<Named> {
    let name = path.file_name()?.to_str()?;
    let (rest, ext) = name.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    (hash.len() == HASH_LEN
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| Named {
        path: path.to_owned(),
        before: format!("{stem}."),
        hash: hash.to_owned(),
        after: format!(".{ext}"),
    })
}

fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    debug_assert_eq!(from.len(), to.len());
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            i += from.len();
        } else {
            i += 1;
        }
    }
    out
}

fn seal(pkg: &Path, hash_file: &Path) -> Result<(), String> {
    let text = |e: std::io::Error| e.to_string();
    let listing =
        fs::read_to_string(hash_file).map_err(|e| format!("{}: {e}", hash_file.display()))?;
    if !listing.lines().any(|l| l.starts_with("split:")) {
        println!("seal_site: not a split build; nothing to do");
        return Ok(());
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(pkg).map_err(text)? {
        let path = entry.map_err(text)?.path();
        let is_copy = path.extension().is_some_and(|e| e == "br" || e == "gz");
        let is_style = path.extension().is_some_and(|e| e == "css");
        if path.is_file() && !is_copy && !is_style {
            files.extend(split_name(&path));
        }
    }
    files.sort_by(|a, b| (&a.before, &a.after).cmp(&(&b.before, &b.after)));

    // The bundle's content with every name's hash taken out: the same for the same build
    // however often it is sealed.
    let contents: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(&f.path))
        .collect::<Result<_, _>>()
        .map_err(text)?;
    let mut bundle = md5::Md5::new();
    for (f, bytes) in files.iter().zip(&contents) {
        let plain = files.iter().fold(bytes.clone(), |b, other| {
            replace_all(&b, other.hash.as_bytes(), PLACEHOLDER.as_bytes())
        });
        bundle.update(format!("{}{}\n{}\n", f.before, f.after, plain.len()));
        bundle.update(&plain);
    }
    let bundle = bundle.finalize();

    let renamed: BTreeMap<&str, String> = files
        .iter()
        .map(|f| {
            let own = [bundle.as_slice(), f.before.as_bytes(), f.after.as_bytes()].concat();
            (f.hash.as_str(), hash_of(&own))
        })
        .collect();
    if renamed.iter().all(|(old, new)| old == new) {
        println!("seal_site: already sealed");
        return Ok(());
    }
    for (f, bytes) in files.iter().zip(&contents) {
        let sealed = renamed.iter().fold(bytes.clone(), |b, (old, new)| {
            replace_all(&b, old.as_bytes(), new.as_bytes())
        });
        let name = format!("{}{}{}", f.before, renamed[f.hash.as_str()], f.after);
        let target = pkg.join(&name);
        fs::write(&target, &sealed).map_err(text)?;
        let old_name = f.path.file_name().unwrap().to_string_lossy().into_owned();
        let had_copies = pkg.join(format!("{old_name}.br")).exists();
        for copy in ["br", "gz"] {
            let _ = fs::remove_file(pkg.join(format!("{old_name}.{copy}")));
        }
        if had_copies {
            compress(&target, &sealed)?;
        }
        fs::remove_file(&f.path).map_err(text)?;
    }
    let listing: String = listing
        .lines()
        .map(|line| match line.split_once(": ") {
            Some((key, old)) if renamed.contains_key(old.trim()) => {
                format!("{key}: {}\n", renamed[old.trim()])
            }
            _ => format!("{line}\n"),
        })
        .collect();
    fs::write(hash_file, listing).map_err(text)?;
    println!(
        "seal_site: {} files renamed by the bundle's content",
        files.len()
    );
    Ok(())
}

/// The brotli and gzip copies the server sends to browsers that take them.
fn compress(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let text = |e: std::io::Error| e.to_string();
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).map_err(text)?;
    fs::write(format!("{}.br", path.display()), br).map_err(text)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).map_err(text)?;
    fs::write(format!("{}.gz", path.display()), gz.finish().map_err(text)?).map_err(text)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A split build as cargo-leptos 0.3.10 leaves it: the main script and every wasm file
    /// name the loader, which names them and the chunks; `island` is the lazy chunk's code.
    fn build(dir: &Path, island: &str) {
        let loader = "__wasm_split.LLLLLLLLLLLLLLLLLLLLLL.js";
        let files = [
            (
                "perfect-pitch.JJJJJJJJJJJJJJJJJJJJJJ.js",
                format!("import '{loader}';"),
            ),
            (
                "perfect-pitch.WWWWWWWWWWWWWWWWWWWWWW.wasm",
                format!("\0asm\x01{loader}\0main"),
            ),
            (
                "chunk_1.CCCCCCCCCCCCCCCCCCCCCC.wasm",
                format!("\0asm\x01{loader}\0{island}"),
            ),
            (
                loader,
                "import 'perfect-pitch.JJJJJJJJJJJJJJJJJJJJJJ.js'; \
                 load('chunk_1.CCCCCCCCCCCCCCCCCCCCCC.wasm');"
                    .to_owned(),
            ),
            (
                "perfect-pitch.SSSSSSSSSSSSSSSSSSSSSS.css",
                "body {}".to_owned(),
            ),
        ];
        fs::create_dir_all(dir.join("pkg")).unwrap();
        for (name, content) in files {
            fs::write(dir.join("pkg").join(name), &content).unwrap();
            fs::write(dir.join("pkg").join(format!("{name}.br")), "stale").unwrap();
        }
        fs::write(
            dir.join("hash.txt"),
            "js: JJJJJJJJJJJJJJJJJJJJJJ\nwasm: WWWWWWWWWWWWWWWWWWWWWW\n\
             css: SSSSSSSSSSSSSSSSSSSSSS\nsplit: LLLLLLLLLLLLLLLLLLLLLL\n",
        )
        .unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir.join("pkg"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".br") && !n.ends_with(".gz"))
            .collect();
        names.sort();
        names
    }

    fn sealed(island: &str) -> (tempfile::TempDir, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        build(dir.path(), island);
        seal(&dir.path().join("pkg"), &dir.path().join("hash.txt")).unwrap();
        let names = names(dir.path());
        (dir, names)
    }

    #[test]
    fn every_name_in_the_bundle_and_the_hash_file_is_a_file_there() {
        let (dir, names) = sealed("v1");
        let pkg = dir.path().join("pkg");
        let listing = fs::read_to_string(dir.path().join("hash.txt")).unwrap();
        assert!(listing.contains("css: SSSSSSSSSSSSSSSSSSSSSS"), "{listing}");
        for line in listing.lines() {
            let hash = line.split_once(": ").unwrap().1;
            assert!(
                names.iter().any(|n| n.contains(hash)),
                "{line} in {names:?}"
            );
        }
        let mut mentioned = 0;
        for name in &names {
            let bytes = fs::read(pkg.join(name)).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            for old in ["JJJJ", "WWWW", "CCCC", "LLLL"] {
                assert!(!text.contains(old), "{name} still names {old}…: {text}");
            }
            for other in &names {
                mentioned += usize::from(text.contains(other.as_str()));
            }
            if !name.ends_with(".css") {
                // The copies a browser gets hold the sealed content, not what was there.
                let mut br = Vec::new();
                let copy = fs::read(pkg.join(format!("{name}.br"))).unwrap();
                brotli::BrotliDecompress(&mut &copy[..], &mut br).unwrap();
                assert_eq!(br, bytes, "{name}.br");
                assert!(pkg.join(format!("{name}.gz")).exists());
            }
        }
        assert_eq!(
            mentioned, 5,
            "the names inside follow the renames: {names:?}"
        );
    }

    #[test]
    fn a_change_to_one_chunk_renames_every_file_that_names_it() {
        let (_a, first) = sealed("v1");
        let (_b, again) = sealed("v1");
        let (_c, changed) = sealed("v2");
        assert_eq!(first, again, "the same build gets the same names");
        for name in &changed {
            if name.ends_with(".css") {
                assert!(first.contains(name), "the stylesheet keeps its name");
            } else {
                assert!(
                    !first.contains(name),
                    "{name} kept its name with new content"
                );
            }
        }
    }

    #[test]
    fn sealing_twice_changes_nothing() {
        let (dir, before) = sealed("v1");
        let listing = fs::read_to_string(dir.path().join("hash.txt")).unwrap();
        seal(&dir.path().join("pkg"), &dir.path().join("hash.txt")).unwrap();
        assert_eq!(names(dir.path()), before);
        assert_eq!(
            fs::read_to_string(dir.path().join("hash.txt")).unwrap(),
            listing
        );
    }
}
