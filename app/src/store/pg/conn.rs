//! Pooled connections that keep their prepared statements, and the transaction type the
//! store's functions take. The blocking client prepares a statement on every call given SQL
//! text (a round trip to the server before the one that runs it); a connection here prepares
//! each statement once and reuses it for as long as it lives.

use postgres::types::ToSql;
use postgres::{NoTls, Row, Statement};
use r2d2_postgres::PostgresConnectionManager;
use std::collections::HashMap;

/// Statements kept per connection; the store's SQL is a fixed set (the listing's filters make
/// a few dozen variants), so this bound is only a guard.
const MAX_STATEMENTS: usize = 512;

/// A connection and the statements prepared on it.
pub struct PgConn {
    client: postgres::Client,
    statements: HashMap<String, Statement>,
}

impl PgConn {
    /// A transaction with this connection's statements: read-only at one snapshot, or
    /// read-write.
    pub fn begin(&mut self, read_only: bool) -> Result<PgTx<'_>, postgres::Error> {
        let tx = if read_only {
            self.client
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?
        } else {
            self.client.transaction()?
        };
        Ok(PgTx {
            tx,
            statements: &mut self.statements,
        })
    }
}

/// The r2d2 manager of [`PgConn`]s.
pub struct Manager(pub PostgresConnectionManager<NoTls>);

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<PgConn, postgres::Error> {
        Ok(PgConn {
            client: self.0.connect()?,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut PgConn) -> Result<(), postgres::Error> {
        self.0.is_valid(&mut conn.client)
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        self.0.has_broken(&mut conn.client)
    }
}

/// The transaction every PostgreSQL store function runs in: the blocking client's, with the
/// same methods, each running its SQL as a statement prepared once per connection.
pub struct PgTx<'t> {
    tx: postgres::Transaction<'t>,
    statements: &'t mut HashMap<String, Statement>,
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl PgTx<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(sql)?;
        if self.statements.len() >= MAX_STATEMENTS {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }

    pub fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.tx.query(&s, params)
    }

    pub fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, postgres::Error> {
        let s = self.statement(sql)?;
        self.tx.query_one(&s, params)
    }

    pub fn query_opt(
        &mut self,
        sql: &str,
        params: Params<'_>,
    ) -> Result<Option<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.tx.query_opt(&s, params)
    }

    pub fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, postgres::Error> {
        let s = self.statement(sql)?;
        self.tx.execute(&s, params)
    }

    /// A savepoint: a transaction inside this one, whose failure leaves this one usable.
    pub fn transaction(&mut self) -> Result<PgTx<'_>, postgres::Error> {
        Ok(PgTx {
            tx: self.tx.transaction()?,
            statements: self.statements,
        })
    }

    pub fn commit(self) -> Result<(), postgres::Error> {
        self.tx.commit()
    }
}
