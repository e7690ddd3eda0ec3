import { StarRocksMvError } from '../errors.js'

/**
 * What went wrong talking to a server:
 * - `SQL_ERROR`: the server refused the statement (see `errno`, `sqlState`, `serverMessage`).
 * - `CONNECTION_ERROR`: no connection could be opened (refused, unreachable, DNS, TLS, connect timeout).
 * - `AUTH_ERROR`: the server refused the user or password.
 * - `UNKNOWN_DATABASE`: the database in the URL (or a `USE`) does not exist.
 * - `TIMEOUT`: the client stopped waiting; the statement's outcome is unknown.
 * - `CONNECTION_LOST`: the connection broke (KILL, restart, network); the outcome is unknown when it
 *   broke during a statement.
 * - `UNSAFE_SQL_MODE`: a MySQL/MariaDB server with `NO_BACKSLASH_ESCAPES`, where backslash-escaped
 *   literals would not mean what they say.
 * - `INVALID_URL`: the URL or options given to `connect` cannot be used.
 */
export type DbErrorCode =
  | 'SQL_ERROR'
  | 'CONNECTION_ERROR'
  | 'AUTH_ERROR'
  | 'UNKNOWN_DATABASE'
  | 'TIMEOUT'
  | 'CONNECTION_LOST'
  | 'UNSAFE_SQL_MODE'
  | 'INVALID_URL'

/** The facts a {@link DbError} carries besides its message. */
export interface DbErrorFacts {
  readonly errno?: number
  readonly sqlState?: string
  /** The server's own message, verbatim (passwords masked). */
  readonly serverMessage?: string
  /** True when the statement may or may not have run: a client timeout or a connection lost mid-statement. */
  readonly outcomeUnknown?: boolean
  /** The statement that failed (shortened for long statements). */
  readonly statement?: string
  /** The masked URL of the server. */
  readonly url?: string
}

/**
 * An error from the database layer. Its message is safe to print: passwords are masked everywhere.
 * When `outcomeUnknown` is true the connection was destroyed (never reused) and the statement may
 * or may not have taken effect: check the server before running it again.
 *
 * @example
 * ```ts
 * try { await client.query('DROP MATERIALIZED VIEW nope') }
 * catch (e) { if (e instanceof DbError && e.code === 'SQL_ERROR') console.log(e.errno, e.serverMessage) }
 * ```
 */
export class DbError extends StarRocksMvError {
  declare readonly code: DbErrorCode
  readonly errno?: number
  readonly sqlState?: string
  readonly serverMessage?: string
  readonly outcomeUnknown: boolean
  readonly statement?: string
  readonly url?: string

  constructor(code: DbErrorCode, message: string, facts: DbErrorFacts = {}, options?: { cause?: unknown }) {
    const details: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(facts)) if (v !== undefined) details[k] = v
    super(code, message, details, options)
    this.name = 'DbError'
    this.outcomeUnknown = facts.outcomeUnknown ?? false
    if (facts.errno !== undefined) this.errno = facts.errno
    if (facts.sqlState !== undefined) this.sqlState = facts.sqlState
    if (facts.serverMessage !== undefined) this.serverMessage = facts.serverMessage
    if (facts.statement !== undefined) this.statement = facts.statement
    if (facts.url !== undefined) this.url = facts.url
  }
}

/** True when `e` is a {@link DbError}, optionally with the given code. */
export const isDbError = (e: unknown, code?: DbErrorCode): e is DbError =>
  e instanceof DbError && (code === undefined || e.code === code)
