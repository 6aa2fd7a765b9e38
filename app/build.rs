// The migrations are embedded with include_dir!, which cannot see a file added to the folder;
// this makes cargo rebuild the crate whenever the folder changes.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
