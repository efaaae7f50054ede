//! Repository-wide rules as plain tests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect()).unwrap_or_default()
}

#[test]
fn migration_folders_are_in_lockstep() {
    let m = root().join("crates/store/migrations");
    let sqlite = names(&m.join("sqlite"));
    let postgres = names(&m.join("postgres"));
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres must hold the same files");
    let embedded: BTreeSet<String> = knooppunt_store::migrations::migrations().iter().map(|m| format!("{}.sql", m.name)).collect();
    assert_eq!(embedded, sqlite, "every migration file must be embedded (and nothing else)");
    let postgres_embedded: BTreeSet<String> = knooppunt_store::migrations::POSTGRES.iter().map(|m| format!("{}.sql", knooppunt_store::migrations::file_name(m))).collect();
    assert_eq!(postgres_embedded, postgres, "every PostgreSQL migration file must be embedded (and nothing else)");
    for (i, m) in knooppunt_store::migrations::migrations().iter().enumerate() {
        assert_eq!(m.version, i as i64 + 1, "versions are consecutive");
        assert!(m.name.starts_with(&format!("{:04}_", m.version)), "{} starts with its version", m.name);
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() && !p.ends_with("target") {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_debug_macros_or_clock_reads_outside_the_edge() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    assert!(files.len() > 20);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let name = f.display().to_string();
        assert!(!text.contains(&format!("{}!(", "dbg")), "{name} contains a debug macro");
        let edge = name.contains("crates/knooppunt/") || name.contains("crates/testkit");
        if !edge {
            for banned in ["Utc::now", "SystemTime::now", "Instant::now"] {
                // The web middleware measures request duration for metrics only.
                if banned == "Instant::now" && name.contains("crates/web/src/context.rs") {
                    continue;
                }
                assert!(!text.contains(banned), "{name} reads the clock ({banned}); pass it in");
            }
        }
    }
}

const ACCESS_TESTS: [&str; 14] = [
    "has_role(",
    ".roles.iter().any(",
    ".roles.iter().filter(",
    ".roles.contains(",
    "CaseAccess::",
    "TEAM_ROLES",
    "PARTICIPANT_ROLES",
    "p.organisation_id ==",
    "p.organisation_id !=",
    "== p.organisation_id",
    "!= p.organisation_id",
    "principal.organisation_id ==",
    "== own",
    "!= own",
];

/// The lines of `text` that decide access themselves (comments aside).
fn access_tests(text: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for b in ACCESS_TESTS {
            if code.contains(b) {
                found.push((n + 1, b));
            }
        }
    }
    found
}

/// Only `policy` decides access: `app`, `web` and `store` test no roles, no access levels and
/// do not compare the principal's organisation with anything. They ask policy and obey (or
/// render) its decisions. Display of roles (`roles.iter().map`) is allowed.
#[test]
fn access_is_decided_in_policy_only() {
    let mut files = Vec::new();
    for krate in ["app", "web", "store"] {
        rust_files(&root().join("crates").join(krate).join("src"), &mut files);
    }
    assert!(files.len() > 20);
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        found.extend(access_tests(&text).into_iter().map(|(n, b)| format!("{}:{n}: {b}", f.display())));
    }
    assert!(found.is_empty(), "access decided outside crates/policy (ask a policy function instead):\n{}", found.join("\n"));
}

/// The rule above can fail: it finds planted role, access-level and organisation tests.
#[test]
fn the_access_rule_finds_planted_access_tests() {
    let planted =
        "if p.has_role(Role::RiecAnalyst) { show() }\nlet team = d.access == CaseAccess::Team;\nif Some(x.organisation_id) == own {}\n// p.has_role( in a comment is fine";
    let found = access_tests(planted);
    assert_eq!(found.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 2, 3], "{found:?}");
}

/// The matcher's system readers see every region: only the matcher (and its benchmark) may mint
/// the grant that opens them.
#[test]
fn only_the_matcher_mints_the_matcher_grant() {
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    let allowed = ["crates/app/src/treffers.rs", "crates/policy/src/lib.rs", "tests/integration/repo_rules.rs"];
    for f in files {
        let name = f.display().to_string();
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        if text.contains("background_matcher()") && !allowed.iter().any(|a| name.ends_with(a)) {
            panic!("{name} mints a MatcherGrant; only the background matcher reads across regions");
        }
    }
}

/// The names of the API's schema types (structs and enums deriving `ToSchema`).
fn schema_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut pending = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("#[derive(") && line.contains("ToSchema") {
            pending = true;
        } else if pending && (line.starts_with("pub struct ") || line.starts_with("pub enum ") || line.starts_with("struct ") || line.starts_with("enum ")) {
            let name = line.split_whitespace().find(|w| !matches!(*w, "pub" | "struct" | "enum")).unwrap_or("");
            names.push(name.trim_end_matches(['{', '(', ';']).to_string());
            pending = false;
        }
    }
    names
}

#[test]
fn api_schema_names_are_unique() {
    // utoipa keys schemas by type name: two types of one name would document one of them under
    // both operations (it did: `Zoekvraag` of subjects stood for the user search).
    let mut files = Vec::new();
    rust_files(&root().join("crates/web/src"), &mut files);
    let mut seen = BTreeSet::new();
    let mut twice = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for name in schema_names(&text) {
            if !seen.insert(name.clone()) {
                twice.push(format!("{name} ({})", f.display()));
            }
        }
    }
    assert!(seen.len() > 20, "found only {} schema types; is the scan broken?", seen.len());
    assert!(twice.is_empty(), "schema names used twice: {twice:?}");
    assert_eq!(schema_names("#[derive(Deserialize, ToSchema)]\npub struct A {}\n#[derive(ToSchema)]\nstruct A;"), vec!["A", "A"]);
}
