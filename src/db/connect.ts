import { createRequire } from 'node:module'
import type { Connection as CallbackConnection, Pool as CallbackPool } from 'mysql2'
import type { Connection, Pool, PoolConnection, PoolOptions } from 'mysql2/promise'
import type { Client, QueryResult } from './client.js'
import { DbError, type DbErrorCode } from './db-error.js'
import { maskPassword, maskUrl } from './mask-url.js'

/** TLS settings: `true` verifies the server certificate against the system CAs. */
export type TlsOptions =
  | boolean
  | {
      readonly ca?: string | Buffer
      readonly cert?: string | Buffer
      readonly key?: string | Buffer
      /** Default true. `false` accepts any certificate (encryption without authentication). */
      readonly rejectUnauthorized?: boolean
    }

/** Options of {@link connect}; they override the URL's query parameters. */
export interface ConnectOptions {
  /** How long opening a connection may take. Default 10 000 ms. URL: `connectTimeout`. */
  readonly connectTimeoutMs?: number
  /**
   * Default bound for every statement (a call's own `timeoutMs` wins), so that a server that stops
   * replying cannot hang the caller: past it the statement's outcome is unknown and the connection
   * is closed. Default {@link DEFAULT_QUERY_TIMEOUT_MS} (10 minutes). URL: `queryTimeout`.
   */
  readonly queryTimeoutMs?: number
  /** TLS. URL: `ssl=true` (verify), `ssl=skip-verify` (encrypt only), `ssl=false`. */
  readonly ssl?: TlsOptions
  /** The database to use, instead of the URL's path. */
  readonly database?: string
  /**
   * Refuse a MySQL/MariaDB server whose `@@sql_mode` has `NO_BACKSLASH_ESCAPES` (default true).
   * StarRocks servers (those that answer `current_version()`) are never refused: they always treat
   * backslash as an escape.
   */
  readonly checkSqlMode?: boolean
}

/** A mysql2 pool or connection, promise or callback API. */
export type Mysql2Target = Pool | Connection | CallbackPool | CallbackConnection

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'starrocks:': 9030, 'mysql:': 3306 }

/**
 * The default bound on every statement of a client made by {@link connect}: 10 minutes, longer than
 * StarRocks's own default `query_timeout` (300 s). A refresh that a migration waits for has its own
 * (`refreshTimeoutSeconds`).
 */
export const DEFAULT_QUERY_TIMEOUT_MS = 600_000
const URL_PARAMS = ['ssl', 'connectTimeout', 'queryTimeout'] as const
const PREVIEW = 200

/** The parts of a `starrocks://` or `mysql://` URL. */
export interface ParsedUrl {
  readonly protocol: 'starrocks:' | 'mysql:'
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  readonly database?: string
  readonly ssl?: TlsOptions
  readonly connectTimeoutMs?: number
  readonly queryTimeoutMs?: number
}

/** How to write special characters of a user name or password in a URL. */
const ENCODING_HINT =
  'Percent-encode special characters in the user name and password (/ → %2F, # → %23, @ → %40, : → %3A, ? → %3F, % → %25; ' +
  "encodeURIComponent(password) does it), and in a .env file quote the value (STARROCKS_URL=\"starrocks://...\"): an unquoted # starts a comment there and cuts the URL short."

const invalidUrl = (url: string, why: string, hint = false): DbError =>
  new DbError(
    'INVALID_URL',
    `Invalid server URL ${maskUrl(url)}: ${why}. Expected starrocks://user:password@host:9030/database?ssl=true&connectTimeout=10000&queryTimeout=60000.${hint ? ` ${ENCODING_HINT}` : ''}`,
    { url: maskUrl(url) },
  )

const positiveMs = (url: string, name: string, value: string): number => {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n <= 0) throw invalidUrl(url, `${name} must be a positive whole number of milliseconds, got "${value}"`)
  return n
}

/**
 * Parse a `starrocks://` or `mysql://` URL (port 9030 by default for starrocks://, 3306 for mysql://).
 * User, password and database are percent-decoded. Query parameters: `ssl` (`true`, `false`,
 * `skip-verify`), `connectTimeout` and `queryTimeout` (milliseconds); others are refused.
 */
export const parseServerUrl = (url: string): ParsedUrl => {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw invalidUrl(url, 'it is not a URL: it has no scheme (start it with starrocks:// or mysql://)', url.includes('@'))
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw invalidUrl(url, 'it is not a URL', true)
  }
  const protocol = u.protocol
  if (protocol !== 'starrocks:' && protocol !== 'mysql:') throw invalidUrl(url, `the scheme must be starrocks:// or mysql://, not ${protocol}//`)
  // a # or ? in an unencoded password parses as a fragment or a query that holds the rest of it
  if (u.hash !== '') throw invalidUrl(url, 'it has a #fragment', true)
  if (url.includes('@') && u.username === '' && u.password === '') throw invalidUrl(url, 'its @ is not after user:password', true)
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === '') throw invalidUrl(url, 'it has no host', true)
  const port = u.port === '' ? (DEFAULT_PORTS[protocol] as number) : Number(u.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidUrl(url, `the port must be between 1 and 65535, got ${u.port}; leave it out for the default (${DEFAULT_PORTS[protocol]})`)
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s)
    } catch {
      throw invalidUrl(url, 'it has a malformed percent-encoding', true)
    }
  }
  const path = decode(u.pathname.replace(/^\//, ''))
  if (path.includes('/')) throw invalidUrl(url, 'the path must be a single database name', true)
  let ssl: TlsOptions | undefined
  let connectTimeoutMs: number | undefined
  let queryTimeoutMs: number | undefined
  for (const [key, value] of u.searchParams) {
    if (key === 'ssl') {
      if (value === 'true' || value === '1' || value === 'required') ssl = true
      else if (value === 'skip-verify') ssl = { rejectUnauthorized: false }
      else if (value === 'false' || value === '0') ssl = false
      else throw invalidUrl(url, `ssl must be true, false or skip-verify, got "${value}"`)
    } else if (key === 'connectTimeout') {
      connectTimeoutMs = positiveMs(url, key, value)
    } else if (key === 'queryTimeout') {
      queryTimeoutMs = positiveMs(url, key, value)
    } else {
      throw invalidUrl(url, `unknown parameter "${key}" (known: ${URL_PARAMS.join(', ')})`)
    }
  }
  return {
    protocol,
    host,
    port,
    user: decode(u.username),
    password: decode(u.password),
    ...(path === '' ? {} : { database: path }),
    ...(ssl === undefined ? {} : { ssl }),
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    ...(queryTimeoutMs === undefined ? {} : { queryTimeoutMs }),
  }
}

/** One checked-out connection. */
interface Lease {
  readonly conn: Connection | PoolConnection
  release(): void
  destroy(): void
}

/** Where connections come from: a pool (can reconnect) or one given connection (cannot). */
interface Source {
  readonly canReconnect: boolean
  acquire(): Promise<Lease>
  end(): Promise<void>
}

/** The socket under a mysql2 connection (a promise wrapper's core connection holds it). */
const socketOf = (conn: Connection | PoolConnection): { destroy?: () => void; ref?: () => void; unref?: () => void } | undefined => {
  const core = (conn as { connection?: unknown }).connection ?? conn
  return (core as { stream?: { destroy?: () => void; ref?: () => void; unref?: () => void } }).stream
}

/**
 * Close a connection at once. mysql2's `destroy()` only ends this side of the socket and waits for
 * the server to close its side, which a frozen server or a cut network never does: the process
 * would stay alive after a timeout. The socket itself is destroyed too.
 */
const destroyConnection = (conn: Connection | PoolConnection): void => {
  conn.destroy()
  socketOf(conn)?.destroy?.()
}

/**
 * Let an idle pooled connection's socket keep the process alive or not. A connection the client
 * owns holds the process only while a statement is on it: idle, it must not keep a CLI waiting
 * forever on a promise that never settles (a module whose top-level await never ends), where Node
 * would otherwise end the process and say so.
 */
const holdProcess = (conn: PoolConnection, hold: boolean): void => {
  const stream = socketOf(conn)
  if (hold) stream?.ref?.()
  else stream?.unref?.()
}

const poolSource = (pool: Pool, owned: boolean): Source => ({
  canReconnect: true,
  async acquire() {
    const conn = await pool.getConnection()
    if (owned) holdProcess(conn, true)
    return {
      conn,
      release: () => {
        if (owned) holdProcess(conn, false)
        conn.release()
      },
      destroy: () => destroyConnection(conn),
    }
  },
  async end() {
    if (owned) await pool.end()
  },
})

const connectionSource = (conn: Connection, url: string): Source => {
  let destroyed = false
  return {
    canReconnect: false,
    async acquire() {
      if (destroyed) {
        throw new DbError(
          'CONNECTION_LOST',
          `The connection to ${url} was closed after a timeout or a lost connection and cannot be reused. ` +
            'Create a new connection, or pass a URL or a mysql2 pool to connect() so that the client can open a new one.',
          { url },
        )
      }
      return {
        conn,
        release: () => undefined,
        destroy: () => {
          destroyed = true
          destroyConnection(conn)
        },
      }
    },
    async end() {
      return undefined
    },
  }
}

/** mysql2 errors carry these. */
interface Mysql2Error {
  readonly code?: string
  readonly errno?: number
  readonly sqlState?: string
  readonly sqlMessage?: string
  readonly message?: string
  readonly fatal?: boolean
}

const AUTH_ERRNOS = new Set([1044, 1045, 1251, 1698])
const LOST_ERRNOS = new Set([1053, 1927, 2006, 2013])
const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'the connection attempt timed out',
  ECONNRESET: 'the connection was reset',
  HANDSHAKE_SSL_ERROR: 'the TLS handshake failed',
  HANDSHAKE_NO_SSL_SUPPORT: 'the server does not support TLS',
}

const shorten = (statement: string): string => {
  const one = statement.replace(/\s+/g, ' ').trim()
  return one.length > PREVIEW ? `${one.slice(0, PREVIEW)}...` : one
}

const rowsOf = (result: unknown): QueryResult => {
  if (Array.isArray(result)) {
    return Object.freeze({ rows: Object.freeze(result.map((r) => Object.freeze({ ...(r as Record<string, unknown>) }))), affectedRows: 0 })
  }
  const affected = (result as { affectedRows?: unknown } | null)?.affectedRows
  return Object.freeze({ rows: Object.freeze([]), affectedRows: typeof affected === 'number' ? affected : 0 })
}

/** The client implementation. Holds no password in enumerable state. */
class Mysql2Client implements Client {
  readonly url: string
  readonly #source: Source
  readonly #password: string | undefined
  readonly #queryTimeoutMs: number | undefined
  #version: string | undefined
  #isStarRocks: boolean | undefined
  #closed = false

  constructor(url: string, source: Source, password: string | undefined, queryTimeoutMs: number | undefined) {
    this.url = url
    this.#source = source
    this.#password = password
    this.#queryTimeoutMs = queryTimeoutMs
  }

  toString(): string {
    return `Client(${this.url})`
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
  toJSON(): { url: string } {
    return { url: this.url }
  }

  #mask(text: string): string {
    return maskPassword(text, this.#password)
  }

  /** Turn anything mysql2 throws into a DbError with a message a user can act on. */
  classify(e: unknown, phase: 'connect' | 'query', statement?: string): DbError {
    if (e instanceof DbError) return e
    const original = (e ?? {}) as Mysql2Error
    // system errors (ECONNREFUSED...) carry a negative errno: only server errnos are kept
    const { errno: _systemErrno, ...withoutErrno } = original
    const withErrno: Mysql2Error = original.errno !== undefined && original.errno <= 0 ? withoutErrno : original
    // a server that sends no SQLSTATE leaves mysql2's placeholder `_____`: that says nothing, so it is dropped
    const { sqlState: placeholder, ...withoutState } = withErrno
    const err: Mysql2Error = placeholder !== undefined && !/^[0-9A-Z]{5}$/i.test(placeholder) ? withoutState : withErrno
    const serverMessage = err.sqlMessage === undefined ? undefined : this.#mask(err.sqlMessage)
    const raw = this.#mask(original.message ?? String(e))
    const facts = {
      ...(err.errno === undefined ? {} : { errno: err.errno }),
      ...(err.sqlState === undefined ? {} : { sqlState: err.sqlState }),
      ...(serverMessage === undefined ? {} : { serverMessage }),
      ...(statement === undefined ? {} : { statement: this.#mask(shorten(statement)) }),
      url: this.url,
    }
    const codes = err.errno === undefined ? '' : ` (errno ${err.errno}${err.sqlState === undefined ? '' : `, SQLSTATE ${err.sqlState}`})`
    const make = (code: DbErrorCode, message: string, outcomeUnknown = false): DbError =>
      new DbError(code, message, { ...facts, outcomeUnknown }, { cause: e })

    if (err.errno !== undefined && AUTH_ERRNOS.has(err.errno)) {
      return make('AUTH_ERROR', `The server at ${this.url} refused the login: ${serverMessage ?? raw}${codes}. Check the user name and password in the URL.`)
    }
    if (err.errno === 1049) {
      // At connect the database is the URL's; in a statement it is the one the statement names.
      return make(
        'UNKNOWN_DATABASE',
        phase === 'connect'
          ? `${serverMessage ?? raw}${codes} on ${this.url}. Create the database first, or fix the database name in the URL.`
          : `${serverMessage ?? raw}${codes} on ${this.url}. The database this statement names does not exist: create it first (CREATE DATABASE), or fix the name${statement === undefined ? '' : ` in: ${this.#mask(shorten(statement))}`}.`,
      )
    }
    const lost = (err.errno !== undefined && LOST_ERRNOS.has(err.errno)) || err.code === 'PROTOCOL_CONNECTION_LOST' || err.code === 'ECONNRESET' || err.code === 'EPIPE'
    if (phase === 'query' && (lost || err.fatal === true)) {
      const next = this.#source.canReconnect
        ? 'The next statement uses a new connection.'
        : 'This connection cannot be reused; create a new client.'
      return make(
        'CONNECTION_LOST',
        `The connection to ${this.url} was lost while running a statement (${serverMessage ?? raw}${codes}); the server may have ` +
          `killed the session or restarted. The statement's outcome is unknown: check the server before running it again. ${next}`,
        true,
      )
    }
    if (phase === 'connect' || (err.code !== undefined && err.code in NETWORK_CODES)) {
      const what = (err.code !== undefined ? NETWORK_CODES[err.code] : undefined) ?? serverMessage ?? raw
      return make(
        'CONNECTION_ERROR',
        `Cannot connect to ${this.url}: ${what}${err.code !== undefined && err.code in NETWORK_CODES ? ` (${err.code})` : codes}. ` +
          'Check the host, the port and TLS settings, and that the server is running and reachable.',
      )
    }
    if (err.errno !== undefined) {
      return make('SQL_ERROR', `${serverMessage ?? raw}${codes}${statement === undefined ? '' : ` in: ${this.#mask(shorten(statement))}`}`)
    }
    if (original.fatal !== true && phase === 'query') {
      return make('SQL_ERROR', `${raw}${statement === undefined ? '' : ` in: ${this.#mask(shorten(statement))}`}`)
    }
    return make('CONNECTION_LOST', `The connection to ${this.url} failed: ${raw}. The statement's outcome is unknown: check the server before running it again.`, true)
  }

  async #acquire(): Promise<Lease> {
    if (this.#closed) throw new DbError('CONNECTION_LOST', `The client for ${this.url} is closed.`, { url: this.url })
    try {
      return await this.#source.acquire()
    } catch (e) {
      throw this.classify(e, 'connect')
    }
  }

  async query(statement: string, options?: { readonly timeoutMs?: number }): Promise<QueryResult> {
    if (typeof statement !== 'string' || statement.trim() === '') {
      throw new TypeError('client.query() takes one SQL statement as a non-empty string.')
    }
    const timeoutMs = options?.timeoutMs ?? this.#queryTimeoutMs
    const lease = await this.#acquire()
    const running = lease.conn.query(statement)
    let timer: NodeJS.Timeout | undefined
    try {
      const [result] =
        timeoutMs === undefined
          ? await running
          : await Promise.race([
              running,
              new Promise<never>((_, reject) => {
                timer = setTimeout(() => reject(new TimeoutSignal()), timeoutMs)
              }),
            ])
      lease.release()
      return rowsOf(result)
    } catch (e) {
      if (e instanceof TimeoutSignal) {
        running.catch(() => undefined)
        lease.destroy()
        const next = this.#source.canReconnect ? 'the next statement uses a new connection' : 'it cannot be reused'
        throw new DbError(
          'TIMEOUT',
          `No answer from ${this.url} within ${timeoutMs} ms; the statement's outcome is unknown: the server may still be running it ` +
            `or may have finished it. The connection was closed and ${next}. Check the server before running it again: ${this.#mask(shorten(statement))}`,
          { outcomeUnknown: true, statement: this.#mask(shorten(statement)), url: this.url },
        )
      }
      const error = this.classify(e, 'query', statement)
      if (error.code === 'CONNECTION_LOST' || (e as Mysql2Error).fatal === true) lease.destroy()
      else lease.release()
      throw error
    } finally {
      if (timer !== undefined) clearTimeout(timer)
    }
  }

  async #scalar(statement: string): Promise<unknown> {
    const { rows } = await this.query(statement)
    const row = rows[0]
    return row === undefined ? undefined : Object.values(row)[0]
  }

  /** Whether the server is StarRocks (answers `current_version()`); remembers the version. */
  async isStarRocks(): Promise<boolean> {
    await this.version()
    return this.#isStarRocks === true
  }

  async version(): Promise<string> {
    if (this.#version !== undefined) return this.#version
    try {
      this.#version = String(await this.#scalar('SELECT current_version()'))
      this.#isStarRocks = true
    } catch (e) {
      if (!(e instanceof DbError) || e.code !== 'SQL_ERROR') throw e
      this.#version = String(await this.#scalar('SELECT version()'))
      this.#isStarRocks = false
    }
    return this.#version
  }

  async database(): Promise<string | undefined> {
    const db = await this.#scalar('SELECT DATABASE()')
    return db === null || db === undefined || db === '' ? undefined : String(db)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#source.end()
  }

  /** Refuse MySQL/MariaDB servers in NO_BACKSLASH_ESCAPES mode; tolerate servers without @@sql_mode. */
  async checkSqlMode(): Promise<void> {
    if (await this.isStarRocks()) return
    let mode: unknown
    try {
      mode = await this.#scalar('SELECT @@sql_mode')
    } catch (e) {
      if (e instanceof DbError && e.code === 'SQL_ERROR') return
      throw e
    }
    if (typeof mode === 'string' && /(^|,)NO_BACKSLASH_ESCAPES(,|$)/i.test(mode)) {
      throw new DbError(
        'UNSAFE_SQL_MODE',
        `The server at ${this.url} runs with sql_mode NO_BACKSLASH_ESCAPES, where backslash-escaped string literals do not mean ` +
          `what they say. Remove NO_BACKSLASH_ESCAPES from its sql_mode (SET GLOBAL sql_mode = ...) before running starrocks-mv against it.`,
        { url: this.url },
      )
    }
  }
}

class TimeoutSignal extends Error {}

const isPromisePool = (x: object): x is Pool => typeof (x as Pool).getConnection === 'function' && !('promise' in x && typeof (x as { promise?: unknown }).promise === 'function')

const describeTarget = (config: { user?: string; host?: string; port?: number; database?: string } | undefined): string => {
  const c = config ?? {}
  const auth = c.user === undefined || c.user === '' ? '' : `${encodeURIComponent(c.user)}:***@`
  return `mysql://${auth}${c.host ?? 'localhost'}${c.port === undefined ? '' : `:${c.port}`}${c.database === undefined || c.database === '' ? '' : `/${encodeURIComponent(c.database)}`}`
}

const tlsFor = (ssl: TlsOptions | undefined): PoolOptions['ssl'] | undefined => {
  if (ssl === undefined || ssl === false) return undefined
  if (ssl === true) return { rejectUnauthorized: true }
  return {
    rejectUnauthorized: ssl.rejectUnauthorized ?? true,
    ...(ssl.ca === undefined ? {} : { ca: ssl.ca }),
    ...(ssl.cert === undefined ? {} : { cert: ssl.cert }),
    ...(ssl.key === undefined ? {} : { key: ssl.key }),
  }
}

/**
 * Connect to a StarRocks (or any MySQL-protocol) server and check that the connection works.
 *
 * - A URL (`starrocks://user:password@host:9030/db?ssl=true&connectTimeout=10000&queryTimeout=60000`,
 *   or `mysql://...` with port 3306 by default) opens a private mysql2 pool of ONE connection: every
 *   statement runs on that session in order, and after a timeout or a lost connection the broken
 *   connection is destroyed and the next statement opens a new one (session state such as `USE` or
 *   `SET` does not survive that; the URL's database is selected again). `close()` ends the pool.
 * - A mysql2 pool (promise or callback API) is used as given: each statement checks out a
 *   connection and returns it, so statements may run on different sessions; broken connections are
 *   destroyed and the pool opens new ones. `close()` leaves the pool open: it is yours to end.
 * - A mysql2 connection (promise or callback API) is used as given; after a timeout or a lost
 *   connection it is destroyed and every later statement fails with `CONNECTION_LOST` (it cannot be
 *   replaced). `close()` leaves it to you.
 *
 * Statements go over the text protocol (`query`, never prepared statements), one per call. On
 * connect, the client asks for `current_version()`: a server that answers is StarRocks; any other
 * server must not run with `NO_BACKSLASH_ESCAPES` (see {@link ConnectOptions.checkSqlMode}).
 * Errors are {@link DbError}s whose messages never contain the password.
 *
 * @example
 * ```ts
 * const client = await connect(process.env.STARROCKS_URL ?? 'starrocks://root@127.0.0.1:9030/shop')
 * console.log(client.url, await client.version()) // starrocks://root@127.0.0.1:9030/shop 3.5.17
 * await client.close()
 * ```
 */
export const connect = async (target: string | Mysql2Target, options: ConnectOptions = {}): Promise<Client> => {
  let client: Mysql2Client
  if (typeof target === 'string') {
    const parsed = parseServerUrl(target)
    const database = options.database ?? parsed.database
    const ssl = tlsFor(options.ssl ?? parsed.ssl)
    // mysql2 is loaded on first connect: offline commands (generate, up --sql) never pay for it; it is
    // CommonJS, so require() spares the export scan an ESM import() of it costs
    const { createPool } = createRequire(import.meta.url)('mysql2/promise') as typeof import('mysql2/promise')
    const pool = createPool({
      host: parsed.host,
      port: parsed.port,
      user: parsed.user,
      password: parsed.password,
      ...(database === undefined ? {} : { database }),
      ...(ssl === undefined ? {} : { ssl }),
      connectTimeout: options.connectTimeoutMs ?? parsed.connectTimeoutMs ?? 10_000,
      connectionLimit: 1,
      maxIdle: 1,
      multipleStatements: false,
      dateStrings: true,
      supportBigNumbers: true,
    })
    // a broken idle connection is dropped by the pool; its 'error' must not crash the process
    pool.on('connection', (conn) => {
      const emitter = conn as unknown as { on?: (event: string, f: () => void) => void }
      if (typeof emitter.on === 'function') emitter.on('error', () => undefined)
    })
    const masked = maskUrl(database === undefined || database === parsed.database ? target : replaceDatabase(target, database))
    client = new Mysql2Client(masked, poolSource(pool, true), parsed.password, options.queryTimeoutMs ?? parsed.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS)
  } else if (target !== null && typeof target === 'object') {
    const promised = (typeof (target as { promise?: unknown }).promise === 'function'
      ? (target as CallbackPool | CallbackConnection).promise()
      : target) as Pool | Connection
    if (isPromisePool(promised)) {
      const config = (promised as unknown as { pool?: { config?: { connectionConfig?: Parameters<typeof describeTarget>[0] & { password?: string } } } }).pool?.config?.connectionConfig
      client = new Mysql2Client(describeTarget(config), poolSource(promised, false), config?.password, options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS)
    } else if (typeof (promised as Connection).query === 'function') {
      const config = (promised as Connection).config as (Parameters<typeof describeTarget>[0] & { password?: string }) | undefined
      const url = describeTarget(config)
      client = new Mysql2Client(url, connectionSource(promised as Connection, url), config?.password, options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS)
    } else {
      throw new TypeError('connect() takes a starrocks:// or mysql:// URL, or a mysql2 pool or connection.')
    }
  } else {
    throw new TypeError('connect() takes a starrocks:// or mysql:// URL, or a mysql2 pool or connection.')
  }
  try {
    await client.version()
    if (options.checkSqlMode !== false) await client.checkSqlMode()
  } catch (e) {
    await client.close().catch(() => undefined)
    throw e
  }
  return client
}

const replaceDatabase = (url: string, database: string): string => {
  const u = new URL(url)
  u.pathname = `/${encodeURIComponent(database)}`
  return u.toString()
}
