//! The statement check: every SQL statement the store writes is prepared on both backends.
//!
//! sqlx's `query!` macros check statements against one database at compile time; the store runs
//! the same text on two, so this test does that check for both: it reads the store's source,
//! finds every statement built with `q(..)` and run through a chain of binds ending in
//! `execute`/`fetch_*`, resolves the text (string literals, `format!` with the module's `const`
//! column lists), and then, on a migrated database of each backend,
//! - prepares it (unknown tables or columns, syntax, operator and type errors fail),
//! - checks that the number of parameters the backend expects is the number of values bound,
//! - checks that every result column has a type the store reads (`BIGINT`, `TEXT`, `BOOLEAN`,
//!   `BYTEA`, `DOUBLE PRECISION`; an `INTEGER` or `NUMERIC` column would fail when read), and that
//!   both backends name the same columns.
//!
//! Statements whose text is assembled at run time (`cases::Sql`, loops over values) cannot be
//! resolved from the source; they are counted, bounded, and run on both backends by the other
//! tests.

use anyhow::Result;
use knooppunt_store::query::describe;
use knooppunt_testkit::TestApp;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// One statement found in the source.
#[derive(Debug, Clone)]
struct Found {
    at: String,
    sql: String,
    /// The kinds of the values bound, in order: `v` a value, `l` a list, `t` a point in time.
    binds: Vec<char>,
    /// Where each bind's method name is (line, column), in bind order.
    bind_spans: Vec<(usize, usize)>,
    /// Whether its rows are read (`fetch_*`) rather than only run (`execute`).
    fetches: bool,
}

#[derive(Default)]
struct Finder {
    file: String,
    consts: BTreeMap<String, String>,
    found: Vec<Found>,
    unresolved: Vec<String>,
}

fn literal(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
        syn::Expr::Reference(r) => literal(&r.expr),
        syn::Expr::Paren(p) => literal(&p.expr),
        _ => None,
    }
}

impl Finder {
    /// The text of `q(arg)`: a literal, a const, or `format!` of a literal whose only holes are
    /// consts of the store.
    fn text(&self, arg: &syn::Expr) -> Option<String> {
        if let Some(s) = literal(arg) {
            return Some(s);
        }
        let arg = match arg {
            syn::Expr::Reference(r) => &*r.expr,
            other => other,
        };
        match arg {
            syn::Expr::Path(p) => p.path.get_ident().and_then(|i| self.consts.get(&i.to_string()).cloned()),
            syn::Expr::Macro(m) if m.mac.path.is_ident("format") => {
                let lit: syn::LitStr = syn::parse2(m.mac.tokens.clone()).ok()?;
                let mut out = String::new();
                let mut rest = lit.value();
                while let Some(open) = rest.find('{') {
                    out.push_str(&rest[..open]);
                    let close = rest[open..].find('}')? + open;
                    out.push_str(self.consts.get(&rest[open + 1..close])?);
                    rest = rest[close + 1..].to_string();
                }
                out.push_str(&rest);
                Some(out)
            }
            _ => None,
        }
    }
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        if ["execute", "fetch_all", "fetch_one", "fetch_optional"].contains(&method.as_str()) {
            let mut binds = Vec::new();
            let mut spans = Vec::new();
            let mut receiver = &*call.receiver;
            loop {
                match receiver {
                    syn::Expr::MethodCall(m) if ["bind", "bind_ids", "bind_texts", "bind_at"].contains(&m.method.to_string().as_str()) => {
                        binds.push(match m.method.to_string().as_str() {
                            "bind" => 'v',
                            "bind_at" => 't',
                            _ => 'l',
                        });
                        let start = m.method.span().start();
                        spans.push((start.line, start.column));
                    }
                    syn::Expr::Call(c) if matches!(&*c.func, syn::Expr::Path(p) if p.path.is_ident("q")) && c.args.len() == 1 => {
                        binds.reverse();
                        spans.reverse();
                        let at = format!("{}:{}", self.file, quote::ToTokens::to_token_stream(&c.args[0]).to_string().chars().take(60).collect::<String>());
                        match self.text(&c.args[0]) {
                            Some(sql) => self.found.push(Found { at, sql, binds, bind_spans: spans, fetches: method != "execute" }),
                            None => self.unresolved.push(at),
                        }
                        break;
                    }
                    _ => break,
                }
                if let syn::Expr::MethodCall(m) = receiver {
                    receiver = &m.receiver;
                }
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

fn store_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src"), &mut out);
    out.sort();
    out
}

/// The `const NAME: &str = "..."` items of the store (column lists, shared SELECTs), resolved
/// also where one is built with `concat!` of others.
fn consts(files: &[(String, syn::File)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for _ in 0..3 {
        for (_, file) in files {
            for item in &file.items {
                if let syn::Item::Const(c) = item {
                    let finder = Finder { consts: out.clone(), ..Finder::default() };
                    if let Some(text) = finder.text(&c.expr) {
                        out.insert(c.ident.to_string(), text);
                    }
                }
            }
        }
    }
    out
}

fn find_statements() -> Result<(Vec<Found>, Vec<String>)> {
    let files: Vec<(String, syn::File)> = store_files()
        .into_iter()
        .map(|p| Ok((p.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(), syn::parse_file(&std::fs::read_to_string(&p)?)?)))
        .collect::<Result<_>>()?;
    let consts = consts(&files);
    let mut finder = Finder { consts, ..Finder::default() };
    for (name, file) in &files {
        finder.file = name.clone();
        finder.visit_file(file);
    }
    Ok((finder.found, finder.unresolved))
}

/// The highest `$n` in `sql`.
fn placeholders(sql: &str) -> usize {
    let b = sql.as_bytes();
    let mut max = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let digits: String = sql[i + 1..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<usize>() {
                max = max.max(n);
            }
            i += 1 + digits.len();
        } else {
            i += 1;
        }
    }
    max
}

/// Types the store reads columns as (`i64`, `String`, `bool`, `Vec<u8>`, `f64`, `Millis`), by
/// their PostgreSQL names.
const READABLE_ON_POSTGRES: [&str; 6] = ["INT8", "TEXT", "BOOL", "BYTEA", "FLOAT8", "TIMESTAMPTZ"];

async fn every_statement_of_the_store_prepares_with_its_binds(t: TestApp) -> Result<()> {
    let (found, unresolved) = find_statements()?;
    // A floor, so that a change in how the store writes statements cannot make the check
    // silently find nothing; and a ceiling on what it cannot see.
    assert!(found.len() >= 150, "only {} statements found in the store's source", found.len());
    assert!(unresolved.len() <= 40, "{} statements are assembled at run time (at most 40): {unresolved:#?}", unresolved.len());
    let mut problems = Vec::new();
    let postgres = t.app.db().backend() == knooppunt_store::Backend::Postgres;
    for f in &found {
        // Statements of one backend's own (its pragmas, the other's advisory locks and row
        // locks) are written under a check of the backend and run only there.
        let only_sqlite = f.sql.starts_with("PRAGMA") || f.sql.starts_with("VACUUM");
        let only_postgres = f.sql.contains("pg_") || f.sql.contains("SKIP LOCKED");
        if (postgres && only_sqlite) || (!postgres && only_postgres) {
            continue;
        }
        let lists: Vec<usize> = f.binds.iter().enumerate().filter(|(_, k)| **k == 'l').map(|(i, _)| i + 1).collect();
        if placeholders(&f.sql) != f.binds.len() {
            problems.push(format!("{}: {} values bound, the text uses ${}", f.at, f.binds.len(), placeholders(&f.sql)));
            continue;
        }
        // Each statement on its own transaction, rolled back: a failed prepare aborts a
        // PostgreSQL transaction.
        let mut tx = t.app.db().begin().await?;
        match describe(&mut tx, &f.sql, &lists).await {
            Err(e) => problems.push(format!("{}: {e}\n    {}", f.at, f.sql)),
            Ok(d) => {
                if let Some(n) = d.parameters {
                    if n != f.binds.len() {
                        problems.push(format!("{}: the database expects {n} parameters, {} are bound", f.at, f.binds.len()));
                    }
                }
                // A point in time is bound as one (`bind_at`) exactly where the database takes a
                // TIMESTAMPTZ.
                for (i, ty) in d.parameter_types.iter().enumerate() {
                    let kind = f.binds.get(i).copied().unwrap_or('v');
                    if (ty == "TIMESTAMPTZ") != (kind == 't') {
                        let (line, column) = f.bind_spans.get(i).copied().unwrap_or_default();
                        problems.push(format!(
                            "{}: parameter ${} is {ty} but bound with {} (line {line}, column {column})",
                            f.at,
                            i + 1,
                            if kind == 't' { "bind_at" } else { "bind" }
                        ));
                    }
                }
                if postgres && f.fetches {
                    for (name, ty) in &d.columns {
                        if !READABLE_ON_POSTGRES.contains(&ty.as_str()) {
                            problems.push(format!("{}: column {name} is {ty}, which the store does not read", f.at));
                        }
                    }
                }
            }
        }
        tx.rollback().await?;
    }
    eprintln!("{} statements checked on {}, {} assembled at run time", found.len(), t.app.db().backend().name(), unresolved.len());
    assert!(problems.is_empty(), "{} statements fail:\n{}", problems.len(), problems.join("\n"));
    Ok(())
}
knooppunt_testkit::db_test!(every_statement_of_the_store_prepares_with_its_binds);

#[test]
fn the_check_sees_a_bad_statement() -> Result<()> {
    // The finder resolves a format! with a const and counts binds of each kind.
    let src: syn::File = syn::parse_str(
        r#"const COLS: &str = "a, b";
           async fn f(c: &mut Conn) { q(format!("SELECT {COLS} FROM t WHERE x = $1 AND y = ANY($2)")).bind(1).bind_ids(&[1]).fetch_all(c).await; }"#,
    )?;
    let files = vec![("x.rs".to_string(), src)];
    let mut finder = Finder { consts: consts(&files), ..Finder::default() };
    finder.visit_file(&files[0].1);
    assert_eq!(finder.found.len(), 1);
    assert_eq!(finder.found[0].sql, "SELECT a, b FROM t WHERE x = $1 AND y = ANY($2)");
    assert_eq!(finder.found[0].binds, vec!['v', 'l']);
    assert_eq!(placeholders("SELECT $1, $12, $3"), 12);
    Ok(())
}
