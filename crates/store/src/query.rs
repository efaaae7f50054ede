//! Statements over the two typed drivers.
//!
//! A store function writes its SQL once, with `$n` placeholders (both SQLite and PostgreSQL
//! accept them), binds values and runs it on a [`Conn`]; the statement is prepared by the
//! driver of the backend the connection belongs to (`sqlx::Sqlite` or `sqlx::Postgres`), so
//! values travel in each backend's native types: BOOLEAN as BOOLEAN on PostgreSQL, id lists as
//! one `BIGINT[]` parameter there and as one JSON array on SQLite (see [`Query::bind_ids`]).
//! Rows come back as the backend's own row type behind [`Row`]; [`col`] decodes a column with
//! the type checks of that driver (a mismatch is an error naming the column, never a silent
//! conversion).

use crate::db::{Conn, StoreError};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Postgres, Sqlite};

/// One bound value. Nulls keep their type so that PostgreSQL can infer the parameter's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Real(Option<f64>),
    Bytes(Option<Vec<u8>>),
    /// A list of ids: `BIGINT[]` on PostgreSQL (`= ANY($n)`), a JSON array on SQLite
    /// (`IN (SELECT value FROM json_each($n))`).
    Ids(Vec<i64>),
    /// A list of texts (codes), bound like [`Arg::Ids`] (`TEXT[]` on PostgreSQL).
    Texts(Vec<String>),
    /// A point in time in milliseconds since the epoch: `TIMESTAMPTZ` on PostgreSQL, the
    /// integer itself on SQLite (see [`Millis`]).
    Time(Option<i64>),
}

/// A value that can be bound to a statement.
pub trait IntoArg {
    fn into_arg(self) -> Arg;
    /// The typed null of this kind of value (for `Option::None`).
    fn null() -> Arg;
}

macro_rules! into_arg {
    ($variant:ident: $($t:ty => |$v:ident| $conv:expr),+ $(,)?) => {
        $(impl IntoArg for $t {
            fn into_arg(self) -> Arg {
                let $v = self;
                Arg::$variant(Some($conv))
            }
            fn null() -> Arg {
                Arg::$variant(None)
            }
        })+
    };
}

into_arg!(Int: i64 => |v| v, &i64 => |v| *v, i32 => |v| i64::from(v), u32 => |v| i64::from(v), u8 => |v| i64::from(v));
into_arg!(Text: String => |v| v, &String => |v| v.clone(), &str => |v| v.to_string(), &&str => |v| (*v).to_string());
into_arg!(Bool: bool => |v| v, &bool => |v| *v);
into_arg!(Real: f64 => |v| v, &f64 => |v| *v);
into_arg!(Bytes: Vec<u8> => |v| v, &Vec<u8> => |v| v.clone(), &[u8] => |v| v.to_vec());

impl<T: IntoArg> IntoArg for Option<T> {
    fn into_arg(self) -> Arg {
        match self {
            Some(v) => v.into_arg(),
            None => T::null(),
        }
    }
    fn null() -> Arg {
        T::null()
    }
}

impl<T: IntoArg + Clone> IntoArg for &Option<T> {
    fn into_arg(self) -> Arg {
        self.clone().into_arg()
    }
    fn null() -> Arg {
        T::null()
    }
}

/// A statement with its bound values; built by [`q`], run with `execute` or one of the
/// `fetch_*` methods.
#[derive(Debug, Clone)]
#[must_use = "a statement does nothing until it is executed or fetched"]
pub struct Query {
    sql: String,
    args: Vec<Arg>,
}

/// A statement. The text is SQL both backends understand, with `$1, $2 …` placeholders.
pub fn q(sql: impl Into<String>) -> Query {
    Query { sql: sql.into(), args: Vec::new() }
}

/// What a statement that returns no rows reports.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    rows_affected: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

/// One row, in the row type of the backend that returned it.
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    /// The number of columns.
    pub fn len(&self) -> usize {
        use sqlx::Row as _;
        match self {
            Row::Sqlite(r) => r.len(),
            Row::Postgres(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Binds every argument of `$args` to the sqlx query `$query` of backend `$db`.
macro_rules! bind_all {
    ($query:expr, $args:expr, sqlite) => {{
        let mut query = $query;
        for a in $args {
            query = match a {
                Arg::Int(v) => query.bind(v),
                Arg::Text(v) => query.bind(v),
                Arg::Bool(v) => query.bind(v),
                Arg::Real(v) => query.bind(v),
                Arg::Bytes(v) => query.bind(v),
                // SQLite has no arrays: the list travels as one JSON text that `json_each`
                // unfolds.
                Arg::Ids(v) => query.bind(ids_json(&v)),
                Arg::Texts(v) => query.bind(serde_json::Value::from(v).to_string()),
                Arg::Time(v) => query.bind(v),
            };
        }
        query
    }};
    ($query:expr, $args:expr, postgres) => {{
        let mut query = $query;
        for a in $args {
            query = match a {
                Arg::Int(v) => query.bind(v),
                Arg::Text(v) => query.bind(v),
                Arg::Bool(v) => query.bind(v),
                Arg::Real(v) => query.bind(v),
                Arg::Bytes(v) => query.bind(v),
                Arg::Ids(v) => query.bind(v),
                Arg::Texts(v) => query.bind(v),
                Arg::Time(v) => query.bind(v.map(timestamp).transpose()?),
            };
        }
        query
    }};
}

/// Milliseconds since the epoch as PostgreSQL's `TIMESTAMPTZ` value.
fn timestamp(ms: i64) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    chrono::DateTime::from_timestamp_millis(ms).ok_or_else(|| StoreError::Corrupt(format!("{ms} ms is not a point in time PostgreSQL can hold")))
}

/// A point in time as the platform passes it around (milliseconds since the epoch, UTC), stored
/// natively: `TIMESTAMPTZ` on PostgreSQL, an INTEGER of milliseconds on SQLite (which has no
/// time type). Read with [`time`], bound with [`Query::bind_at`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Millis(pub i64);

impl sqlx::Type<Sqlite> for Millis {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <i64 as sqlx::Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <i64 as sqlx::Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Sqlite> for Millis {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Millis(<i64 as sqlx::Decode<Sqlite>>::decode(value)?))
    }
}

impl sqlx::Type<Postgres> for Millis {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <chrono::DateTime<chrono::Utc> as sqlx::Type<Postgres>>::type_info()
    }
}

impl<'r> sqlx::Decode<'r, Postgres> for Millis {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Millis(<chrono::DateTime<chrono::Utc> as sqlx::Decode<Postgres>>::decode(value)?.timestamp_millis()))
    }
}

/// What a time column is read as: `i64` (NOT NULL) or `Option<i64>`.
pub trait FromMillis: Sized {
    fn read(row: &Row, name: &str) -> Result<Self, StoreError>;
}

impl FromMillis for i64 {
    fn read(row: &Row, name: &str) -> Result<Self, StoreError> {
        Ok(col::<Millis>(row, name)?.0)
    }
}

impl FromMillis for Option<i64> {
    fn read(row: &Row, name: &str) -> Result<Self, StoreError> {
        Ok(col::<Option<Millis>>(row, name)?.map(|m| m.0))
    }
}

/// Reads time column `name` as milliseconds since the epoch.
pub fn time<T: FromMillis>(row: &Row, name: &str) -> Result<T, StoreError> {
    T::read(row, name)
}

/// A value [`Query::bind_at`] takes.
pub trait IntoMillis {
    fn millis(self) -> Option<i64>;
}

impl IntoMillis for i64 {
    fn millis(self) -> Option<i64> {
        Some(self)
    }
}

impl IntoMillis for &i64 {
    fn millis(self) -> Option<i64> {
        Some(*self)
    }
}

impl IntoMillis for Option<i64> {
    fn millis(self) -> Option<i64> {
        self
    }
}

impl IntoMillis for &Option<i64> {
    fn millis(self) -> Option<i64> {
        *self
    }
}

fn ids_json(ids: &[i64]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

impl Query {
    /// Binds the next placeholder.
    pub fn bind(mut self, v: impl IntoArg) -> Self {
        self.args.push(v.into_arg());
        self
    }

    /// Binds a point in time (milliseconds since the epoch) for a time column: a `TIMESTAMPTZ`
    /// on PostgreSQL, the integer on SQLite.
    pub fn bind_at(mut self, v: impl IntoMillis) -> Self {
        self.args.push(Arg::Time(v.millis()));
        self
    }

    /// Binds a list of ids as one parameter `$n`, which the SQL uses as `column = ANY($n)`:
    /// PostgreSQL takes it as it is (a `BIGINT[]`, index-backed), and on SQLite the text
    /// `= ANY($n)` is rewritten to `IN (SELECT value FROM json_each($n))` with the list bound as
    /// a JSON array. Ids are never written into the SQL text.
    pub fn bind_ids(mut self, ids: &[i64]) -> Self {
        self.args.push(Arg::Ids(ids.to_vec()));
        self
    }

    /// Binds a list of texts as one parameter, used as `column = ANY($n)` like
    /// [`Query::bind_ids`].
    pub fn bind_texts(mut self, texts: &[&str]) -> Self {
        self.args.push(Arg::Texts(texts.iter().map(|t| t.to_string()).collect()));
        self
    }

    /// Builds from text and arguments assembled elsewhere (see `cases::Sql`).
    pub(crate) fn with_args(sql: String, args: Vec<Arg>) -> Self {
        Query { sql, args }
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The text for SQLite: every `= ANY($n)` whose `$n` is an id list becomes an `IN` over
    /// `json_each($n)`.
    fn sqlite_sql(&self) -> std::borrow::Cow<'_, str> {
        let mut sql = std::borrow::Cow::Borrowed(self.sql.as_str());
        for (i, a) in self.args.iter().enumerate() {
            if matches!(a, Arg::Ids(_) | Arg::Texts(_)) {
                let n = i + 1;
                sql = std::borrow::Cow::Owned(sql.replace(&format!("= ANY(${n})"), &format!("IN (SELECT value FROM json_each(${n}))")));
            }
        }
        sql
    }

    pub async fn execute(self, c: &mut Conn) -> Result<Done, StoreError> {
        let rows_affected = match c {
            Conn::Sqlite(tx) => {
                let sql = self.sqlite_sql().into_owned();
                bind_all!(sqlx::query::<Sqlite>(&sql), self.args, sqlite).execute(&mut **tx).await?.rows_affected()
            }
            Conn::Postgres(tx) => bind_all!(sqlx::query::<Postgres>(&self.sql), self.args, postgres).execute(&mut **tx).await?.rows_affected(),
        };
        Ok(Done { rows_affected })
    }

    pub async fn fetch_all(self, c: &mut Conn) -> Result<Vec<Row>, StoreError> {
        Ok(match c {
            Conn::Sqlite(tx) => {
                let sql = self.sqlite_sql().into_owned();
                bind_all!(sqlx::query::<Sqlite>(&sql), self.args, sqlite).fetch_all(&mut **tx).await?.into_iter().map(Row::Sqlite).collect()
            }
            Conn::Postgres(tx) => bind_all!(sqlx::query::<Postgres>(&self.sql), self.args, postgres).fetch_all(&mut **tx).await?.into_iter().map(Row::Postgres).collect(),
        })
    }

    pub async fn fetch_optional(self, c: &mut Conn) -> Result<Option<Row>, StoreError> {
        Ok(match c {
            Conn::Sqlite(tx) => {
                let sql = self.sqlite_sql().into_owned();
                bind_all!(sqlx::query::<Sqlite>(&sql), self.args, sqlite).fetch_optional(&mut **tx).await?.map(Row::Sqlite)
            }
            Conn::Postgres(tx) => bind_all!(sqlx::query::<Postgres>(&self.sql), self.args, postgres).fetch_optional(&mut **tx).await?.map(Row::Postgres),
        })
    }

    pub async fn fetch_one(self, c: &mut Conn) -> Result<Row, StoreError> {
        self.fetch_optional(c).await?.ok_or(StoreError::Sqlx(sqlx::Error::RowNotFound))
    }
}

/// What a backend makes of a statement without running it (for the statement check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// How many parameters it takes, when the backend says.
    pub parameters: Option<usize>,
    /// The type of each parameter, where the backend infers them (PostgreSQL).
    pub parameter_types: Vec<String>,
    /// Each result column: its name and the backend's type name (empty when unknown, as for
    /// most SQLite expressions).
    pub columns: Vec<(String, String)>,
}

/// Prepares `sql` on `c` without running it. `lists` are the (1-based) parameters bound as
/// lists (`= ANY($n)`), which SQLite sees rewritten.
pub async fn describe(c: &mut Conn, sql: &str, lists: &[usize]) -> Result<Described, StoreError> {
    use sqlx::{Column as _, Either, Executor as _, TypeInfo as _};
    let count = lists.iter().copied().max().unwrap_or(0);
    let args = (1..=count).map(|n| if lists.contains(&n) { Arg::Ids(Vec::new()) } else { Arg::Int(None) }).collect();
    let query = Query::with_args(sql.to_string(), args);
    Ok(match c {
        Conn::Sqlite(tx) => {
            let d = (&mut **tx).describe(&query.sqlite_sql()).await?;
            Described {
                parameters: d.parameters().map(|p| p.either(<[_]>::len, |n| n)),
                parameter_types: Vec::new(),
                columns: d
                    .columns()
                    .iter()
                    .map(|col| (col.name().to_string(), if col.type_info().is_null() { String::new() } else { col.type_info().name().to_string() }))
                    .collect(),
            }
        }
        Conn::Postgres(tx) => {
            let d = (&mut **tx).describe(sql).await?;
            Described {
                parameters: d.parameters().map(|p| p.either(<[_]>::len, |n| n)),
                parameter_types: match d.parameters() {
                    Some(Either::Left(types)) => types.iter().map(|t| t.name().to_string()).collect(),
                    _ => Vec::new(),
                },
                columns: d.columns().iter().map(|col| (col.name().to_string(), col.type_info().name().to_string())).collect(),
            }
        }
    })
}

/// A type a column can be read as, on both backends.
pub trait Column: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> {}
impl<T> Column for T where T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> {}

/// Reads column `name` with the type checks of the row's driver.
pub fn col<T: Column>(row: &Row, name: &str) -> Result<T, StoreError> {
    use sqlx::Row as _;
    Ok(match row {
        Row::Sqlite(r) => r.try_get::<T, _>(name)?,
        Row::Postgres(r) => r.try_get::<T, _>(name)?,
    })
}

/// Reads the column at position `i` (for statements whose columns have no useful names).
pub fn col_at<T: Column>(row: &Row, i: usize) -> Result<T, StoreError> {
    use sqlx::Row as _;
    Ok(match row {
        Row::Sqlite(r) => r.try_get::<T, _>(i)?,
        Row::Postgres(r) => r.try_get::<T, _>(i)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_become_json_arrays_for_sqlite() {
        assert_eq!(ids_json(&[]), "[]");
        assert_eq!(ids_json(&[3, -1, 42]), "[3,-1,42]");
    }

    #[test]
    fn id_lists_are_one_parameter_on_both_backends() {
        let query = q("SELECT id FROM cases WHERE region_id = ANY($1) AND phase = $2 AND id = ANY($10)").bind_ids(&[1, 2]).bind("casus");
        assert_eq!(query.sqlite_sql(), "SELECT id FROM cases WHERE region_id IN (SELECT value FROM json_each($1)) AND phase = $2 AND id = ANY($10)");
        assert_eq!(query.sql(), "SELECT id FROM cases WHERE region_id = ANY($1) AND phase = $2 AND id = ANY($10)");
    }

    #[test]
    fn nulls_keep_their_type() {
        assert_eq!(None::<i64>.into_arg(), Arg::Int(None));
        assert_eq!(None::<&str>.into_arg(), Arg::Text(None));
        assert_eq!(Some(true).into_arg(), Arg::Bool(Some(true)));
        assert_eq!((&Some("x".to_string())).into_arg(), Arg::Text(Some("x".into())));
    }
}
