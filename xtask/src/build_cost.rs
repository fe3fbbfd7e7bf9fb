//! `cargo xtask build-cost [--cold] [--incremental]`: what the crate costs its users to build,
//! measured the same way every time (debug, this machine).
//!
//! Builds are not incremental (`CARGO_INCREMENTAL=0`), as cargo builds any dependency: a user's
//! crate-only figure. `--incremental` measures the workspace's own incremental build instead (a
//! contributor's `cargo build` after `cargo clean -p crisp-api`), which also writes the
//! incremental cache (about 2 s more here).
//!
//! * crate only (`cargo clean -p crisp-api` then `cargo build`, so build.rs and the generated
//!   client, not the dependencies), for the default features, one family, no family and with
//!   `schemars`: wall time, CPU time and peak RSS (of the largest process, from GNU `time`), the
//!   fastest of three runs (and the median);
//! * with `--cold`, also a fresh target directory building the quickstart example (the whole
//!   graph, as a first `cargo run --example quickstart` after cloning), for each TLS backend.

use std::process::Command;
use std::time::Instant;

/// One measured build: wall seconds, and CPU seconds and peak RSS in MiB when GNU `time` is
/// available.
struct Cost {
    wall: f64,
    cpu_rss: Option<(f64, f64)>,
}

impl std::fmt::Display for Cost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:6.1} s wall", self.wall)?;
        if let Some((cpu, rss)) = self.cpu_rss {
            write!(f, "  {cpu:6.1} s CPU  {rss:>5.0} MiB peak RSS")?;
        }
        Ok(())
    }
}

fn measure(
    root: &std::path::Path,
    target: &str,
    incremental: bool,
    args: &[&str],
) -> Result<Cost, String> {
    let time = std::path::Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M %U %S", "-o", "/tmp/crisp-build-cost.rss", "cargo"]);
        c
    } else {
        Command::new("cargo")
    };
    cmd.current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
        .args(args)
        .arg("--quiet");
    let started = Instant::now();
    let status = cmd.status().map_err(|e| format!("cargo: {e}"))?;
    let wall = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("`cargo {}` failed", args.join(" ")));
    }
    // Peak RSS (KiB) and CPU seconds (user, system) of cargo and everything it ran: CPU time
    // says more than wall time on a loaded machine.
    let report = std::fs::read_to_string("/tmp/crisp-build-cost.rss").unwrap_or_default();
    let numbers: Vec<f64> = report
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    Ok(Cost {
        wall,
        cpu_rss: match numbers[..] {
            [rss, user, system] => Some((user + system, rss / 1024.0)),
            _ => None,
        },
    })
}

fn clean_crate(root: &std::path::Path, target: &str) -> Result<(), String> {
    let status = Command::new("cargo")
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .args(["clean", "--quiet", "-p", "crisp-api"])
        .status()
        .map_err(|e| format!("cargo clean: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| "cargo clean failed".to_owned())
}

/// Runs of each crate-only build.
const RUNS: usize = 3;

pub fn run(root: &std::path::Path, cold: bool, incremental: bool) -> Result<(), String> {
    let target = root.join(if incremental {
        "target/build-cost-incremental"
    } else {
        "target/build-cost"
    });
    let target = target.to_string_lossy().into_owned();
    let crate_only: [(&str, &[&str]); 4] = [
        ("default features", &["build"]),
        (
            "one family (conversations)",
            &[
                "build",
                "--no-default-features",
                "--features",
                "rustls,conversations",
            ],
        ),
        (
            "no family",
            &["build", "--no-default-features", "--features", "rustls"],
        ),
        ("default + schemars", &["build", "--features", "schemars"]),
    ];
    println!(
        "crate only (cargo clean -p crisp-api; cargo build), debug, {}, target {target}; \
         the fastest of {RUNS} runs (a shared machine's noise only ever adds time), then the \
         median wall time:",
        if incremental {
            "incremental (the workspace's own build)"
        } else {
            "not incremental (as a dependency is built)"
        }
    );
    for (name, args) in crate_only {
        // Dependencies first, unmeasured, then the crate alone.
        measure(root, &target, incremental, args)?;
        let mut runs = Vec::new();
        for _ in 0..RUNS {
            clean_crate(root, &target)?;
            runs.push(measure(root, &target, incremental, args)?);
        }
        runs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
        println!(
            "  {name:<28} {}  (median {:.1} s)",
            runs[0],
            runs[RUNS / 2].wall
        );
    }
    if cold {
        println!("cold: a fresh target directory, `cargo build --example quickstart`:");
        let tls: [(&str, &[&str]); 3] = [
            ("rustls (ring, default)", &[]),
            (
                "rustls-aws-lc",
                &[
                    "--no-default-features",
                    "--features",
                    "rustls-aws-lc,conversations,people,website,analytics,helpdesk,campaigns,plugins,plans,media,bucket,user",
                ],
            ),
            (
                "native-tls",
                &[
                    "--no-default-features",
                    "--features",
                    "native-tls,conversations,people,website,analytics,helpdesk,campaigns,plugins,plans,media,bucket,user",
                ],
            ),
        ];
        for (name, features) in tls {
            let fresh = format!("{target}-cold");
            let _ = std::fs::remove_dir_all(&fresh);
            let mut args = vec!["build", "--example", "quickstart"];
            args.extend_from_slice(features);
            println!("  {name:<28} {}", measure(root, &fresh, false, &args)?);
            let _ = std::fs::remove_dir_all(&fresh);
        }
    }
    Ok(())
}
