//! Configuration: flags, then `KNOOPPUNT_*` environment variables, then an optional TOML file,
//! then the defaults documented in `knooppunt.example.toml` and the README.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(name = "knooppunt", version, about = "knooppunt: het informatie- en expertiseplatform van het RIEC-LIEC-netwerk", propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone, Default)]
pub struct Global {
    /// TOML configuration file (optional).
    #[arg(long, global = true, env = "KNOOPPUNT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://... [default: sqlite in the data folder]
    #[arg(long, global = true, env = "KNOOPPUNT_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Data folder for the SQLite database and the pseudonymisation key [default: ./data]
    #[arg(long, global = true, env = "KNOOPPUNT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Log format on stdout: json or text [default: json]
    #[arg(long, global = true, env = "KNOOPPUNT_LOG_FORMAT")]
    pub log_format: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the platform (runs pending migrations on SQLite).
    Serve(ServeArgs),
    /// Start the platform with demo data on SQLite, and print the demo logins.
    Demo(DemoArgs),
    /// Run the database migrations.
    Migrate {
        /// Only show which migrations are applied.
        #[arg(long)]
        status: bool,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens of system clients.
    #[command(subcommand)]
    Token(TokenCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Link two CSV files: scored pairs `id_l,id_r,score` (pure, no database).
    Link(LinkArgs),
    /// Encode a CSV file for privacy-preserving linkage: keyed Bloom filters (CLK) and keyed
    /// hashes of identifiers; the output holds no clear values (pure, no database).
    Encode(EncodeArgs),
    /// Copy the SQLite database to a file while it is in use (a consistent snapshot). The keys
    /// in the data folder are not in it: keep them apart. PostgreSQL: use pg_dump (README).
    Backup {
        /// The file to write; must not exist yet.
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a backup made by `knooppunt backup` in an empty data folder, then check it (integrity,
    /// migrations, and the audit chain with the keys that were put back beside it).
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
    },
    /// Send the e-mail digest of notifications now (over smtp_url), whenever it last ran.
    Digest,
    /// Retention: list the finished cases whose retention period has passed (`--dry-run`).
    /// Deciding (destroy, extend, hold) is the privacy officer's, in the web UI or the API.
    Retention {
        /// Only print what would be due; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The log lifecycle: export a month of the audit and processing logs, or move finished
    /// months out of the database into archive files with signed manifests.
    #[command(subcommand)]
    Logs(LogsCommand),
    /// Cross-region detection: match queued subjects, or everything again with `--all`.
    Match {
        /// Recompute every blocking key, re-estimate the model (EM) and re-match all subjects.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Args, Debug, Clone)]
pub struct LinkArgs {
    /// Left CSV file (header row, `,` or `;` separated, UTF-8).
    pub left: std::path::PathBuf,
    /// Right CSV file.
    pub right: std::path::PathBuf,
    /// Column mapping `veld=kolom,...` for both files; fields: id, kind, full_name, given_names,
    /// prefix, surname, birth_date, company_name, street, house_number, postcode, city, id:<soort>.
    #[arg(long, required_unless_present = "encoded")]
    pub map: Option<String>,
    /// Both files are encoded (`knooppunt encode`): link them on the encodings alone (hashed
    /// blocking keys, field filters compared by Dice, the same model as clear text).
    #[arg(long, conflicts_with_all = ["map", "map_right", "explain"])]
    pub encoded: bool,
    /// With --encoded: compare the record-level filters of all pairs by Dice instead, and write
    /// every pair with Dice ≥ --threshold, each record used once (best first).
    #[arg(long, requires = "encoded", conflicts_with_all = ["no_em", "show_model"])]
    pub all_pairs: bool,
    /// Another mapping for the right file (default: --map).
    #[arg(long)]
    pub map_right: Option<String>,
    /// Output CSV; `-` for standard output.
    #[arg(long, default_value = "-")]
    pub out: String,
    /// Match probability from which a pair is written.
    #[arg(long, default_value_t = 0.9)]
    pub threshold: f64,
    /// Match weight in bits (the prior included) from which a pair is written, instead of
    /// --threshold: a weight of w bits is a probability of 1 / (1 + 2^-w); the default
    /// probability 0.9 is 3.17 bits.
    #[arg(long, conflicts_with_all = ["threshold", "all_pairs"], allow_negative_numbers = true)]
    pub threshold_bits: Option<f64>,
    /// Add the explanation per pair (fields, agreement level, weight in bits).
    #[arg(long)]
    pub explain: bool,
    /// Do not estimate the model on the data (EM); use the priors.
    #[arg(long)]
    pub no_em: bool,
    /// Print the model (prior, m and u per field and level) to standard error.
    #[arg(long)]
    pub show_model: bool,
    /// Memory the run may use, such as `2G` or `500M`. The candidate pairs are held between
    /// comparing and scoring while they fit; past the budget they are compared a second time
    /// instead (slower, same result). Default: no limit.
    #[arg(long, value_parser = parse_size, conflicts_with = "encoded")]
    pub memory: Option<u64>,
    /// Identifier kinds (`id:<soort>`) that several people or companies may share, such as a
    /// household's telephone number: equal values count as evidence, different values do not
    /// rule a pair out. Every other declared kind identifies one entity. Comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub shared_id: Vec<String>,
    /// Identifier kinds whose different values rule a pair out by themselves, as a BSN, KvK,
    /// RSIN, IBAN, licence plate or BAG number always do. Other unique kinds count as strong
    /// evidence against, weighed with the rest. Comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub ruling_id: Vec<String>,
}

#[derive(Args, Debug, Clone)]
pub struct EncodeArgs {
    /// CSV file (header row, `,` or `;` separated, UTF-8).
    pub input: std::path::PathBuf,
    /// Column mapping `veld=kolom,...`, as for `link`.
    #[arg(long)]
    pub map: String,
    /// File holding the secret (at least 16 characters). It is read only from a file, so it
    /// never shows in the process list or the shell history.
    #[arg(long, env = "KNOOPPUNT_ENCODING_SECRET_FILE")]
    pub secret_file: std::path::PathBuf,
    /// Output CSV (`id,soort,clk,identificaties,sleutelcontrole`); `-` for standard output.
    #[arg(long, default_value = "-")]
    pub out: String,
    /// Identifier kinds that several entities may share, as for `link`.
    #[arg(long, value_delimiter = ',')]
    pub shared_id: Vec<String>,
    /// Identifier kinds whose different values rule a pair out, as for `link`.
    #[arg(long, value_delimiter = ',')]
    pub ruling_id: Vec<String>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "KNOOPPUNT_LISTEN")]
    pub listen: Option<String>,
    /// Served over https (behind a TLS-terminating proxy): Secure cookies and HSTS [default: false]
    #[arg(long, env = "KNOOPPUNT_TLS")]
    pub tls: Option<bool>,
    /// Listening on a non-loopback address without TLS is allowed only behind a proxy that
    /// terminates TLS and is the only way in [default: false]
    #[arg(long, env = "KNOOPPUNT_BEHIND_PROXY")]
    pub behind_proxy: Option<bool>,
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// Port on 127.0.0.1 [default: 8080]
    #[arg(long)]
    pub port: Option<u16>,
    /// Size of the synthetic population (20 extra staff per step).
    #[arg(long, default_value_t = 1)]
    pub scale: u32,
    /// Seed of the synthetic data.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an account. The password is read from stdin when --password-stdin is given, or
    /// generated and printed once.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// Organisation name, e.g. "Gemeente Tilburg" or "LIEC".
        #[arg(long)]
        organisation: String,
        /// Role, optionally with a region: beheerder, riec-analist@oost-brabant. Repeatable.
        #[arg(long = "role")]
        roles: Vec<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Disable an account and end its sessions.
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
    /// Set a new temporary password (printed once) that must be changed at sign-in.
    ResetPassword { username: String },
    /// Grant a role: ROLE or ROLE@REGION.
    Grant { username: String, role: String },
    /// Revoke a role: ROLE or ROLE@REGION.
    Revoke { username: String, role: String },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token; the secret is printed once.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        organisation: String,
        /// Role, optionally with a region: ROLE or ROLE@REGION. Repeatable.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Days until it expires (default: no expiry).
        #[arg(long)]
        days: Option<i64>,
    },
    /// List tokens.
    List,
    /// Revoke a token by id.
    Revoke { id: i64 },
}

#[derive(Subcommand, Debug)]
pub enum LogsCommand {
    /// Write one month of the audit log and the processing log (Logboek Dataverwerkingen
    /// fields) as JSON Lines with a signed manifest each; removes nothing.
    Export {
        /// The month, `JJJJ-MM` (UTC).
        #[arg(long)]
        period: String,
        /// The folder to write to (made if missing).
        #[arg(long)]
        dir: PathBuf,
    },
    /// Move every month that ended at least --keep-months ago out of the database: a JSON Lines
    /// file and a signed manifest per log and month in --dir, the manifest also in the
    /// database, so `knooppunt audit verify --archive <dir>` proves the chain across them.
    Archive {
        /// The archive folder (made if missing); keep it, with the audit key, as long as the
        /// logs must be kept.
        #[arg(long)]
        dir: PathBuf,
        /// Months kept in the database (default `log_keep_months`, else 13).
        #[arg(long)]
        keep_months: Option<u32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Walk the chain and check every row's seal; exit 1 and name the first broken row when it
    /// was tampered with. With --checkpoints, also check exported checkpoints (a chain cut back
    /// or rewritten up to a checkpoint). With --archive, also every archived part's file.
    Verify {
        /// File of checkpoints written by `knooppunt audit checkpoint` (one JSON object a line).
        #[arg(long)]
        checkpoints: Option<PathBuf>,
        /// The folder of `knooppunt logs archive`: check each archived part against its
        /// signed manifest, row by row.
        #[arg(long)]
        archive: Option<PathBuf>,
    },
    /// Write a signed checkpoint of the chain's head (one JSON line) to a file kept outside the
    /// database, or to standard output; run it regularly (cron) and ship the file elsewhere.
    Checkpoint {
        /// Append to this file; `-` for standard output.
        #[arg(long, default_value = "-")]
        out: String,
    },
}

/// The optional TOML file; every key is optional and documented in knooppunt.example.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub log_format: Option<String>,
    pub listen: Option<String>,
    pub tls: Option<bool>,
    pub session_idle_minutes: Option<i64>,
    pub session_absolute_hours: Option<i64>,
    pub pseudonym_key: Option<String>,
    pub signal_response_days: Option<i64>,
    pub encoding_secret_file: Option<PathBuf>,
    pub metrics_token: Option<String>,
    pub max_connections: Option<usize>,
    pub postgres_connections: Option<u32>,
    pub behind_proxy: Option<bool>,
    pub audit_key: Option<String>,
    pub trusted_proxies: Option<Vec<String>>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub public_url: Option<String>,
    pub digest_interval_seconds: Option<i64>,
    pub log_keep_months: Option<u32>,
    pub figures_threshold: Option<u64>,
    pub figures_rounding: Option<u64>,
}

/// The settings in force.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub log_json: bool,
    pub listen: String,
    pub tls: bool,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub pseudonym_key: Option<String>,
    pub signal_response_days: i64,
    /// The secret of the encoded cross-region index (a file; the secret itself is never a
    /// setting, so it is not in the environment or the process list).
    pub encoding_secret_file: Option<PathBuf>,
    /// The bearer token that opens `/metrics` (for the Prometheus scraper); without it
    /// `/metrics` is off.
    pub metrics_token: Option<String>,
    /// Connections open at once (each holds a file descriptor); more are closed at once.
    pub max_connections: usize,
    /// The PostgreSQL pool's connections ([`knooppunt_store::db::postgres_connections`] unless
    /// set: fits a server on the same machine; a server of its own wants more).
    pub postgres_connections: u32,
    /// Plain HTTP on a non-loopback address is acceptable: a TLS-terminating proxy is in front.
    pub behind_proxy: bool,
    /// Hex key that seals the audit chain (at least 32 characters); otherwise
    /// `<data-dir>/audit.key`, made once.
    pub audit_key: Option<String>,
    /// Proxies (addresses or CIDR networks) whose `Forwarded` / `X-Forwarded-For` names the
    /// client; `KNOOPPUNT_TRUSTED_PROXIES` (comma-separated) or `trusted_proxies` in the file.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The SMTP server of the e-mail digest (`smtp://host:587?tls=required`, `smtps://host`,
    /// `smtp://host:25` without TLS only on a trusted network); without it no e-mail is sent.
    pub smtp_url: Option<String>,
    /// The sender of the e-mail digest.
    pub mail_from: String,
    /// The address users reach knooppunt at, for the link in the e-mail digest.
    pub public_url: Option<String>,
    /// How often the e-mail digest runs (once across all nodes).
    pub digest_interval_seconds: i64,
    /// Months of the audit and processing logs kept in the database; older finished months
    /// go to archive files with `knooppunt logs archive`.
    pub log_keep_months: u32,
    /// Disclosure control of the figures: counts below this are hidden (default 5, at least 2).
    pub figures_threshold: u64,
    /// Shown counts rounded to a multiple of this (0 or 1: not rounded).
    pub figures_rounding: u64,
}

/// Parses trusted proxies: `10.0.0.5`, `10.0.0.0/24`, `fd00::/8`; every bad entry is named.
fn trusted_proxies(entries: Option<Vec<String>>) -> Result<Vec<ipnet::IpNet>> {
    let mut nets = Vec::new();
    let mut bad = Vec::new();
    for e in entries.unwrap_or_default().iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        match e.parse::<ipnet::IpNet>().or_else(|_| e.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)) {
            Ok(n) => nets.push(n),
            Err(_) => bad.push(e.to_string()),
        }
    }
    if !bad.is_empty() {
        anyhow::bail!("trusted_proxies: geen adres of netwerk: {}", bad.join(", "));
    }
    Ok(nets)
}

impl Settings {
    pub fn resolve(g: &Global, serve: &ServeArgs) -> Result<Settings> {
        let file: FileConfig = match &g.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("configuratiebestand {} niet te lezen", path.display()))?;
                toml::from_str(&text).with_context(|| format!("configuratiebestand {} is ongeldig", path.display()))?
            }
            None => FileConfig::default(),
        };
        let data_dir = g.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("data"));
        let database_url = g.database_url.clone().or(file.database_url).unwrap_or_else(|| sqlite_url(&data_dir));
        let log_format = g.log_format.clone().or(file.log_format).unwrap_or_else(|| "json".into());
        if !matches!(log_format.as_str(), "json" | "text") {
            anyhow::bail!("log-format moet 'json' of 'text' zijn, niet '{log_format}'");
        }
        let env_num = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<i64>().ok());
        Ok(Settings {
            database_url,
            data_dir,
            log_json: log_format == "json",
            listen: serve.listen.clone().or(file.listen).unwrap_or_else(|| "127.0.0.1:8080".into()),
            tls: serve.tls.or(file.tls).unwrap_or(false),
            session_idle_minutes: env_num("KNOOPPUNT_SESSION_IDLE_MINUTES").or(file.session_idle_minutes).unwrap_or(30),
            session_absolute_hours: env_num("KNOOPPUNT_SESSION_ABSOLUTE_HOURS").or(file.session_absolute_hours).unwrap_or(12),
            pseudonym_key: std::env::var("KNOOPPUNT_PSEUDONYM_KEY").ok().or(file.pseudonym_key),
            signal_response_days: env_num("KNOOPPUNT_SIGNAL_RESPONSE_DAYS").or(file.signal_response_days).unwrap_or(56),
            encoding_secret_file: std::env::var_os("KNOOPPUNT_ENCODING_SECRET_FILE").map(PathBuf::from).or(file.encoding_secret_file),
            metrics_token: std::env::var("KNOOPPUNT_METRICS_TOKEN").ok().or(file.metrics_token).filter(|t| !t.trim().is_empty()),
            behind_proxy: serve.behind_proxy.or(file.behind_proxy).unwrap_or(false),
            audit_key: std::env::var("KNOOPPUNT_AUDIT_KEY").ok().or(file.audit_key),
            trusted_proxies: trusted_proxies(std::env::var("KNOOPPUNT_TRUSTED_PROXIES").ok().map(|v| v.split(',').map(str::to_string).collect()).or(file.trusted_proxies))?,
            smtp_url: std::env::var("KNOOPPUNT_SMTP_URL").ok().or(file.smtp_url).filter(|u| !u.trim().is_empty()),
            mail_from: std::env::var("KNOOPPUNT_MAIL_FROM").ok().or(file.mail_from).unwrap_or_else(|| "knooppunt <knooppunt@localhost>".into()),
            public_url: std::env::var("KNOOPPUNT_PUBLIC_URL").ok().or(file.public_url).filter(|u| !u.trim().is_empty()),
            digest_interval_seconds: env_num("KNOOPPUNT_DIGEST_INTERVAL_SECONDS").or(file.digest_interval_seconds).unwrap_or(86_400).max(1),
            log_keep_months: std::env::var("KNOOPPUNT_LOG_KEEP_MONTHS").ok().and_then(|v| v.parse().ok()).or(file.log_keep_months).unwrap_or(13).clamp(1, 1200),
            figures_threshold: std::env::var("KNOOPPUNT_FIGURES_THRESHOLD").ok().and_then(|v| v.parse().ok()).or(file.figures_threshold).unwrap_or(5).clamp(2, 1000),
            figures_rounding: std::env::var("KNOOPPUNT_FIGURES_ROUNDING").ok().and_then(|v| v.parse().ok()).or(file.figures_rounding).unwrap_or(0).min(1000),
            max_connections: std::env::var("KNOOPPUNT_MAX_CONNECTIONS").ok().and_then(|v| v.parse().ok()).or(file.max_connections).unwrap_or(512).max(1),
            postgres_connections: std::env::var("KNOOPPUNT_POSTGRES_CONNECTIONS")
                .ok()
                .and_then(|v| v.parse().ok())
                .or(file.postgres_connections)
                .unwrap_or_else(knooppunt_store::db::postgres_connections)
                .clamp(1, 1000),
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("knooppunt.db").display())
}

/// Why `serve` must not start on `listen` with these settings, if it must not: plain HTTP on a
/// non-loopback address sends passwords and session cookies in the clear, unless a proxy in
/// front terminates TLS (`--behind-proxy`).
pub fn insecure_listen(listen: &str, tls: bool, behind_proxy: bool) -> Option<String> {
    let loopback = match listen.parse::<std::net::SocketAddr>() {
        Ok(a) => a.ip().is_loopback(),
        Err(_) => listen.starts_with("localhost:"),
    };
    if loopback || tls || behind_proxy {
        None
    } else {
        Some(format!(
            "knooppunt luistert niet op {listen} zonder TLS: wachtwoorden en sessies zouden onversleuteld over het netwerk gaan. \
             Zet TLS aan met --tls true (achter een proxy die TLS afhandelt), of geef --behind-proxy true als een proxy de enige ingang is."
        ))
    }
}

/// A size in bytes from `500M`, `2G`, `1.5GB`, `512MiB` or a plain number of bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let factor: u64 = match unit.trim().trim_end_matches("ib").trim_end_matches('b') {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        _ => return Err(format!("'{text}' is geen geheugengrootte: gebruik bijvoorbeeld 500M of 2G")),
    };
    match number.parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 && n * (factor as f64) < 1e18 => Ok((n * factor as f64) as u64),
        _ => Err(format!("'{text}' is geen geheugengrootte: gebruik bijvoorbeeld 500M of 2G")),
    }
}

#[cfg(test)]
mod tests {
    use super::insecure_listen;

    #[test]
    fn plain_http_only_on_loopback_or_behind_a_proxy() {
        assert!(insecure_listen("127.0.0.1:8080", false, false).is_none());
        assert!(insecure_listen("[::1]:8080", false, false).is_none());
        assert!(insecure_listen("localhost:8080", false, false).is_none());
        assert!(insecure_listen("0.0.0.0:8080", false, false).is_some());
        assert!(insecure_listen("10.1.2.3:8080", false, false).is_some());
        assert!(insecure_listen("0.0.0.0:8080", true, false).is_none());
        assert!(insecure_listen("0.0.0.0:8080", false, true).is_none());
    }

    #[test]
    fn the_postgres_pool_is_sized_by_the_file_at_least_one_and_otherwise_by_the_cores() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("knooppunt-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let sized = |text: &str| -> anyhow::Result<u32> {
            let path = dir.join("knooppunt.toml");
            std::fs::write(&path, text)?;
            let global = super::Global { config: Some(path), ..super::Global::default() };
            Ok(super::Settings::resolve(&global, &super::ServeArgs::default())?.postgres_connections)
        };
        assert_eq!(sized("postgres_connections = 7\n")?, 7);
        assert_eq!(sized("postgres_connections = 0\n")?, 1);
        assert_eq!(sized("")?, knooppunt_store::db::postgres_connections());
        assert!(knooppunt_store::db::postgres_connections() >= 3);
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }

    #[test]
    fn memory_sizes_read_as_people_write_them() {
        assert_eq!(super::parse_size("500M"), Ok(500 << 20));
        assert_eq!(super::parse_size("2g"), Ok(2 << 30));
        assert_eq!(super::parse_size("1.5GB"), Ok(3 << 29));
        assert_eq!(super::parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(super::parse_size("4096"), Ok(4096));
        for bad in ["", "veel", "2X", "-1G", "0", "1e30"] {
            assert!(super::parse_size(bad).is_err(), "{bad}");
        }
    }
}
