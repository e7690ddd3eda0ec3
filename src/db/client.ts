/** One result of a statement: rows for queries (empty for DDL/DML), and the affected-row count. */
export interface QueryResult {
  readonly rows: readonly Record<string, unknown>[]
  readonly affectedRows: number
}

/**
 * A connection to a StarRocks (or MySQL-protocol) server. Statements go one per call over the text
 * protocol (never prepared statements). Errors are `DbError`s.
 */
export interface Client {
  /** The server URL with its password masked: safe to print. */
  readonly url: string
  /** Run exactly one statement. `timeoutMs` bounds the wait; on timeout the outcome is unknown. */
  query(statement: string, options?: { readonly timeoutMs?: number }): Promise<QueryResult>
  /** The server version from `SELECT current_version()` (falls back to `version()` on MySQL/MariaDB). */
  version(): Promise<string>
  /** The current database, if any. */
  database(): Promise<string | undefined>
  /** Close the connection (or pool). */
  close(): Promise<void>
}
