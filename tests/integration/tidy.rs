//! Architecture rules checked by reading the sources (ARCHITECTURE.md states them as
//! absences).

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut out);
    assert!(!out.is_empty(), "{dir} has sources");
    out
}

/// Lines that use a crate or path, ignoring comments.
fn uses(text: &str, name: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .filter(|line| !line.starts_with("//"))
        .any(|line| line.contains(&format!("{name}::")) || line.contains(&format!("use {name}")))
}

fn check_absent(dir: &str, forbidden: &[&str]) {
    for (path, text) in sources(dir) {
        for name in forbidden {
            assert!(!uses(&text, name), "{} must not use {name}", path.display());
        }
    }
}

#[test]
fn the_engine_knows_nothing_of_transport_storage_or_async() {
    check_absent(
        "src/engine",
        &["tonic", "prost", "sled", "tokio", "std::fs", "std::net"],
    );
}

#[test]
fn the_store_knows_nothing_of_transport() {
    check_absent(
        "src/store",
        &["tonic", "pb", "crate::grpc", "crate::service"],
    );
}

#[test]
fn the_service_knows_nothing_of_transport_or_storage_engines() {
    check_absent(
        "src/service",
        &["tonic", "pb", "crate::grpc", "sled", "redis"],
    );
}

#[test]
fn each_storage_engine_is_named_by_its_backend_only() {
    check_absent("src/store/redis_backend", &["sled"]);
    check_absent("src/store/sled_backend", &["redis"]);
    for (path, text) in sources("src") {
        let path_text = path.display().to_string();
        if !path_text.contains("store/redis_backend") && !path_text.ends_with("store/mod.rs") {
            assert!(!uses(&text, "redis"), "{path_text} must not use redis");
        }
        if !path_text.contains("store/sled_backend") && !path_text.ends_with("store/mod.rs") {
            assert!(!uses(&text, "sled"), "{path_text} must not use sled");
        }
    }
}

#[test]
fn api_keys_know_nothing_of_transport_storage_or_the_service() {
    check_absent(
        "src/auth",
        &[
            "tonic",
            "pb",
            "crate::grpc",
            "crate::store",
            "crate::service",
            "sled",
        ],
    );
}

#[test]
fn configuration_starts_nothing() {
    check_absent(
        "src/config",
        &["tonic", "tokio", "crate::grpc", "crate::store", "sled"],
    );
}

#[test]
fn no_grab_bag_modules() {
    for (path, _) in sources("src") {
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(
            !["utils.rs", "helpers.rs", "common.rs", "misc.rs"].contains(&name.as_ref()),
            "{} names no concept",
            path.display()
        );
    }
}

#[test]
fn the_html_report_only_draws() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli/report_html.rs");
    let text = std::fs::read_to_string(&path).unwrap();
    for name in [
        "std::fs",
        "std::net",
        "tonic",
        "crate::service",
        "crate::store",
        "crate::grpc",
    ] {
        assert!(!uses(&text, name), "report_html must not use {name}");
    }
}
