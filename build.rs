//! The page's wasm binary links with relocations when it is to be split (cargo feature `split`, set by
//! index.html): `wasm_split_cli` (crates/xtask `split`, run by scripts/build-lazy.sh) reads them to cut the module at
//! src/sections/split.rs. Only that one link gets the flag: the dependencies, the library's tests and the tools
//! module build as before, and nothing of it ships (the split drops the relocation sections).
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo::rustc-link-arg-bin=containerd-config-builder-web=--emit-relocs");
    }
}
