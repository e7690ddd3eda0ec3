import { alterTableTarget, schemaChangeTarget, waitForAlterJob, waitUntilNoAlterJob } from './alter-job.js'
import type { Client } from '../db/client.js'
import { isStarRocksMvError, StarRocksMvError } from '../errors.js'
import { DEFAULT_VERSION, parseVersion, QualifiedName } from '../model/index.js'
import type { Op } from '../ops/index.js'
import { quoteIdentifier, renderLiteral } from '../sql/quote.js'
import { CONNECTION_CODES, errorFacts, isNotFound } from './db-errors.js'
import {
  CURRENT_SHAPE,
  DEFAULT_HISTORY_TABLE,
  addProjectColumnStatement,
  createHistoryTableStatement,
  foldHistory,
  historyColumnsStatement,
  historyTableSql,
  insertEventSelectStatement,
  insertEventStatement,
  newEvent,
  parseEventRow,
  projectOf,
  selectEventStatement,
  selectEventsStatement,
  shapeOfColumns,
  sortEvents,
  type HistoryShape,
  type Direction,
  type HistoryEvent,
  type HistoryEventKind,
  type HistoryTable,
  type MigrationRecord,
  type ServerKind,
} from './history.js'
import { acquireLock, breakLock, createLockStatement, describeOwner, dropLockStatement, isStale, newLockOwner, readLock, releaseLock, type LockOwner, type ReleaseResult } from './lock.js'
import { listMigrationFiles, loadMigration, type Migration, type MigrationFile } from './migration-files.js'
import { createModuleLoader, type ModuleLoader } from './module-loader.js'
import {
  describePartial,
  findTarget,
  unsettledStatement,
  joinStatus,
  migrationStatements,
  renderOps,
  undoOps,
  type MigrationStatus,
  type PlannedStatement,
} from './plan.js'

/** Progress reported while the runner works (the CLI prints it; the library never does). */
export type MigratorEvent =
  | { readonly kind: 'lock-wait'; readonly holder: LockOwner }
  | { readonly kind: 'migration'; readonly id: string; readonly name: string; readonly direction: Direction; readonly statements: number; readonly resume: boolean }
  | { readonly kind: 'statement'; readonly id: string; readonly index: number; readonly total: number; readonly sql: string; readonly op?: Op }
  | { readonly kind: 'statement-done'; readonly id: string; readonly index: number; readonly ms: number }
  | { readonly kind: 'migration-done'; readonly id: string; readonly direction: Direction }
  | { readonly kind: 'warning'; readonly message: string }
  /** A schema-change job (ALTER TABLE ADD / DROP / MODIFY COLUMN) the runner waits for before the next statement. */
  | { readonly kind: 'alter-job'; readonly id: string; readonly index: number; readonly table: string; readonly state: string; readonly progress?: string }

/**
 * A point of a run where the runner stops briefly to call {@link MigratorOptions.checkpoint}:
 * - `before-lock`: about to create the history table and take the lock;
 * - `before-statement`: about to send statement `index` (0-based) of a migration;
 * - `after-statement`: statement `index` answered OK, its history row not yet written;
 * - `before-succeeded`: every statement done, the `succeeded` row not yet written.
 */
export type Checkpoint =
  | { readonly at: 'before-lock'; readonly command: string }
  | { readonly at: 'before-statement' | 'after-statement'; readonly id: string; readonly direction: Direction; readonly index: number; readonly total: number }
  | { readonly at: 'before-succeeded'; readonly id: string; readonly direction: Direction; readonly total: number }

/** Options of {@link Migrator}. */
export interface MigratorOptions {
  /** The server connection; not needed for {@link Migrator.sql}. */
  readonly client?: Client
  /**
   * A fresh connection after one was lost (an outcome-unknown statement destroys its connection),
   * used to record what happened and release the lock. Without it the same client is tried again.
   */
  readonly reconnect?: () => Promise<Client>
  /** The migrations folder. */
  readonly dir: string
  /** The history table (default `srmv_migrations`); its lock view is `<table>_lock`. */
  readonly table?: string
  /** The database of the history table (default the connection's). */
  readonly schema?: string
  /**
   * The project's key in the history table (default `''`, the unnamed project). Projects that share
   * one history table each see only the rows written under their own key.
   */
  readonly project?: string
  /** The StarRocks version to render for (default: the server's when connected, else 3.5). */
  readonly version?: string
  /** PROPERTIES of the history table on StarRocks. */
  readonly historyProperties?: Readonly<Record<string, string>>
  /** Apply pending migrations older than an applied one (default: refuse). */
  readonly allowUnordered?: boolean
  /** How migration files are loaded (default: jiti, with `starrocks-mv` resolved to this package). */
  readonly load?: ModuleLoader
  /** Wait this long for another runner's lock (default 0: fail at once, naming the holder). */
  readonly waitLockSeconds?: number
  /** Client timeout per statement, in milliseconds (default: the client's own, see `connect`). */
  readonly statementTimeoutMs?: number
  /** Client timeout for a refresh that waits (`WITH SYNC MODE`), in seconds (default 3600). */
  readonly refreshTimeoutSeconds?: number
  /** How long to wait for a schema-change job (ALTER TABLE ... COLUMN), in seconds (default 6 hours); polled every `alterPollMs` (default 1000). */
  readonly alterTimeoutSeconds?: number
  readonly alterPollMs?: number
  /** What the lock records as the holder's command (default the method name). */
  readonly command?: string
  /** Progress callback. */
  readonly onEvent?: (event: MigratorEvent) => void
  /**
   * Awaited at every {@link Checkpoint} of a run (default none). Fault-injection tests use it to
   * stop a run at an exact point (e.g. kill the process between a statement and its history row).
   */
  readonly checkpoint?: (point: Checkpoint) => void | Promise<void>
}

/** What {@link Migrator.status} reports. */
export interface StatusReport {
  readonly server: ServerKind
  readonly serverVersion: string
  readonly table: string
  readonly migrations: readonly MigrationStatus[]
  readonly lock?: LockOwner & { readonly stale: boolean }
  /** Sentences for everything that would stop `up` (partial, missing, changed, out of order, a stale lock). */
  readonly problems: readonly string[]
  /** Sentences about what does not stop `up` but happened (e.g. a migration rejected before anything ran, which `up` retries). */
  readonly notes: readonly string[]
  /** The version statements are rendered for (the server's, unless the `version` option says otherwise). */
  readonly renderVersion: string
}

/** What `up` / `down` did (or, with `dryRun`, would do). */
export interface RunReport {
  readonly direction: Direction
  readonly dryRun: boolean
  readonly migrations: readonly { readonly id: string; readonly name: string; readonly statements: readonly string[]; readonly resumedAt?: number }[]
  readonly warnings: readonly string[]
}

/** Offline SQL options. */
export interface SqlOptions {
  /** Up: the last migration already applied (exclusive; default none). Down: the migration to start from (default the latest). */
  readonly from?: string
  /** Up: the last to apply (default head). Down: the migration to stop at, left applied (default `base`: all). */
  readonly to?: string
  readonly direction?: Direction
  /** Include the history table, lock and history statements (as run against `server`). */
  readonly withHistory?: boolean
  readonly server?: ServerKind
}

/** {@link Migrator.sqlPlan}: the statements of `sql()`, grouped by migration. */
export interface SqlPlan {
  /** The StarRocks version the statements were rendered for. */
  readonly version: string
  readonly direction: Direction
  /** With `withHistory`: the history table and the lock. */
  readonly before: readonly string[]
  readonly migrations: readonly { readonly id: string; readonly name: string; readonly direction: Direction; readonly statements: readonly string[] }[]
  /** With `withHistory`: the lock's release. */
  readonly after: readonly string[]
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** The longest project key (the width of the history table's `project` column). */
const MAX_PROJECT = 255

const checkProject = (project: unknown): string => {
  if (typeof project !== 'string' || project.length > MAX_PROJECT || /[\u0000-\u001f\u007f]/.test(project) || project !== project.trim()) {
    throw new StarRocksMvError(
      'INVALID_OPTIONS',
      `The project key must be a string of at most ${MAX_PROJECT} characters without control characters or surrounding spaces, got ${JSON.stringify(project)}.`,
    )
  }
  return project
}

/** A client error's message without the statement it quotes (` in: <statement>`), where the caller shows the statement itself. */
const withoutStatement = (e: unknown, message: string): string => {
  const statement = (e as { details?: { statement?: unknown } } | null)?.details?.statement
  const tail = typeof statement === 'string' ? ` in: ${statement}` : undefined
  return tail !== undefined && message.endsWith(tail) ? message.slice(0, -tail.length) : message
}

/**
 * Applies migration files to a server, keeping an append-only history and holding a lock while it
 * writes. The same runner backs the `srmv` CLI.
 *
 * @example
 * ```ts
 * const client = await connect(process.env.STARROCKS_URL!)
 * const migrator = new Migrator({ client, dir: './migrations' })
 * await migrator.up()
 * console.log((await migrator.status()).migrations)
 * console.log((await migrator.sql()).join(';\n')) // offline: what up would send
 * ```
 */
export class Migrator {
  readonly #options: MigratorOptions
  #client: Client | undefined
  readonly #table: HistoryTable
  readonly #load: ModuleLoader
  #server: { kind: ServerKind; version: string } | undefined
  /** This project's events. */
  #events: HistoryEvent[] = []
  /** The largest seq in the table (every project's rows): the next row takes one more. */
  #maxSeq = 0
  #shape: HistoryShape | undefined
  readonly #project: string

  constructor(options: MigratorOptions) {
    if (typeof options?.dir !== 'string' || options.dir === '') {
      throw new StarRocksMvError('INVALID_OPTIONS', 'new Migrator({ dir }) needs the migrations folder.')
    }
    this.#options = options
    this.#client = options.client
    this.#table = Object.freeze({ name: options.table ?? DEFAULT_HISTORY_TABLE, ...(options.schema === undefined ? {} : { schema: options.schema }) })
    this.#load = options.load ?? defaultLoader()
    if (options.version !== undefined) parseVersion(options.version)
    const r = options.refreshTimeoutSeconds
    if (r !== undefined && !(typeof r === 'number' && Number.isFinite(r) && r > 0)) {
      throw new StarRocksMvError('INVALID_OPTIONS', `refreshTimeoutSeconds must be a positive number of seconds, got ${String(r)}: a refresh cannot be waited for in no time.`)
    }
    const t = options.statementTimeoutMs
    if (t !== undefined && !(typeof t === 'number' && Number.isFinite(t) && t > 0)) {
      throw new StarRocksMvError('INVALID_OPTIONS', `statementTimeoutMs must be a positive number of milliseconds, got ${String(t)}.`)
    }
    this.#project = checkProject(options.project ?? '')
  }

  /** The project key this runner reads and writes (`''`: the unnamed project). */
  get project(): string {
    return this.#project
  }

  /** The history table as SQL. */
  get table(): string {
    return historyTableSql(this.#table)
  }

  /** The migration files, sorted by id (not loaded). */
  files(): MigrationFile[] {
    return listMigrationFiles(this.#options.dir)
  }

  /** Load every migration file (their ops and checksums), or the files given. */
  async migrations(files: readonly MigrationFile[] = this.files()): Promise<Migration[]> {
    const out: Migration[] = []
    for (const f of files) out.push(await loadMigration(f, this.#load))
    return out
  }

  // ---------------------------------------------------------------- offline

  /**
   * The statements `up` (or `down`) would send, byte for byte, without a server. With
   * `withHistory`, also the history table, lock and history statements (history rows get their
   * sequence number from the table itself, so the script can be run by hand).
   */
  async sql(options: SqlOptions = {}): Promise<string[]> {
    const plan = await this.sqlPlan(options)
    return [...plan.before, ...plan.migrations.flatMap((m) => m.statements), ...plan.after]
  }

  /**
   * What {@link Migrator.sql} returns, grouped by migration, with the version it was rendered for:
   * the `--sql` output prints a comment header per migration from it.
   */
  async sqlPlan(options: SqlOptions = {}): Promise<SqlPlan> {
    const direction = options.direction ?? 'up'
    const version = this.#options.version ?? DEFAULT_VERSION
    const files = this.files()
    const all = await this.migrations()
    let chosen: Migration[]
    if (direction === 'up') {
      const fromIdx = options.from === undefined || options.from === 'base' ? -1 : files.indexOf(findTarget(files, options.from, 'sql --from'))
      const toIdx = options.to === undefined || options.to === 'head' ? files.length - 1 : files.indexOf(findTarget(files, options.to, 'sql --to'))
      chosen = all.slice(fromIdx + 1, toIdx + 1)
    } else {
      const fromIdx = options.from === undefined || options.from === 'head' ? files.length - 1 : files.indexOf(findTarget(files, options.from, 'sql --from'))
      const toIdx = options.to === undefined || options.to === 'base' ? -1 : files.indexOf(findTarget(files, options.to, 'sql --to'))
      chosen = all.slice(toIdx + 1, fromIdx + 1).reverse()
    }
    if (!options.withHistory) {
      return {
        version,
        direction,
        before: [],
        migrations: chosen.map((m) => ({ id: m.id, name: m.name, direction, statements: migrationStatements(m, direction, version).map((s) => s.sql) })),
        after: [],
      }
    }
    const server = options.server ?? 'starrocks'
    const owner = newLockOwner('sql')
    // A script for the unnamed project also runs against a history table of an older srmv (no project column).
    const shape: HistoryShape = { project: this.#project !== '' }
    const insert = (fields: Omit<HistoryEvent, 'eventId' | 'createdAt' | 'seq' | 'runId' | 'owner'>): string =>
      insertEventSelectStatement(this.#table, newEvent({ ...fields, seq: 0, runId: owner.runId, owner: owner.owner, ...this.#projectField() }), shape)
    const migrations = chosen.map((m) => {
      const statements = migrationStatements(m, direction, version)
      const out: string[] = [insert({ migrationId: m.id, event: 'started', direction, checksum: m.checksum, detail: JSON.stringify({ statements: statements.length }) })]
      statements.forEach((s, index) => {
        out.push(s.sql)
        out.push(insert({ migrationId: m.id, event: 'statement', direction, statementIndex: index, statementHash: s.hash }))
      })
      out.push(insert({ migrationId: m.id, event: 'succeeded', direction, checksum: m.checksum }))
      return { id: m.id, name: m.name, direction, statements: out }
    })
    return {
      version,
      direction,
      before: [createHistoryTableStatement(this.#table, server, this.#options.historyProperties), createLockStatement(this.#table, owner)],
      migrations,
      after: [dropLockStatement(this.#table)],
    }
  }

  #projectField(): { project?: string } {
    return this.#project === '' ? {} : { project: this.#project }
  }

  // ---------------------------------------------------------------- server basics

  #requireClient(): Client {
    if (this.#client === undefined) {
      throw new StarRocksMvError('NO_CONNECTION', 'This needs a server: pass { client } to new Migrator(...), or set STARROCKS_URL (or url in srmv.config.ts).')
    }
    return this.#client
  }

  async #query(statement: string, timeoutMs?: number): Promise<readonly Record<string, unknown>[]> {
    const t = timeoutMs ?? this.#options.statementTimeoutMs
    const { rows } = await this.#requireClient().query(statement, t === undefined ? undefined : { timeoutMs: t })
    return rows
  }

  /**
   * StarRocks answers ALTER TABLE ... ADD / DROP / MODIFY COLUMN at once and runs the change as a job,
   * refusing the next schema change of the table until it ends: wait for it, reporting progress. A
   * cancelled job fails the statement.
   */
  async #waitForSchemaChange(id: string, index: number, sql: string): Promise<void> {
    const table = schemaChangeTarget(sql)
    if (table === undefined || (await this.server()).kind !== 'starrocks') return
    try {
      await waitForAlterJob(this.#requireClient(), table, {
        pollMs: this.#options.alterPollMs ?? 1000,
        timeoutMs: (this.#options.alterTimeoutSeconds ?? 6 * 3600) * 1000,
        onProgress: (job) =>
          this.#options.onEvent?.({ kind: 'alter-job', id, index, table: QualifiedName.key(table), state: job.state, ...(job.progress === undefined ? {} : { progress: job.progress }) }),
      })
    } catch (e) {
      // The statement was accepted: unless its job was cancelled, a failed wait leaves its outcome unknown.
      if (isStarRocksMvError(e, 'ALTER_JOB_CANCELLED') || errorFacts(e).outcomeUnknown) throw e
      throw Object.assign(
        new StarRocksMvError('OUTCOME_UNKNOWN', `The schema change of ${QualifiedName.key(table)} was accepted, but waiting for its job failed (${errorFacts(e).message}); the job may still finish.`, { table: QualifiedName.key(table) }, { cause: e }),
        { outcomeUnknown: true },
      )
    }
  }

  /** Before the first ALTER TABLE of a run: wait for a schema-change job an earlier run left running on that table. */
  async #settleEarlierJob(sql: string, settled: Set<string>): Promise<void> {
    const table = alterTableTarget(sql)
    if (table === undefined || settled.has(QualifiedName.key(table)) || (await this.server()).kind !== 'starrocks') return
    settled.add(QualifiedName.key(table))
    try {
      await waitUntilNoAlterJob(this.#requireClient(), table, {
        pollMs: this.#options.alterPollMs ?? 1000,
        timeoutMs: (this.#options.alterTimeoutSeconds ?? 6 * 3600) * 1000,
      })
    } catch (e) {
      // Nothing was sent yet: whatever broke the wait, the statement is known not to have run.
      throw new StarRocksMvError(
        isStarRocksMvError(e) ? e.code : 'ALTER_JOB_TIMEOUT',
        `Before this statement was sent, waiting for an earlier schema change of ${QualifiedName.key(table)} failed: ${errorFacts(e).message}`,
        { table: QualifiedName.key(table) },
        { cause: e },
      )
    }
  }

  /** Detect StarRocks versus MySQL/MariaDB (and refuse NO_BACKSLASH_ESCAPES there). */
  async server(): Promise<{ kind: ServerKind; version: string }> {
    if (this.#server !== undefined) return this.#server
    try {
      const rows = await this.#query('SELECT current_version()')
      const v = rows[0] === undefined ? undefined : Object.values(rows[0])[0]
      this.#server = { kind: 'starrocks', version: String(v ?? DEFAULT_VERSION) }
    } catch (e) {
      const f = errorFacts(e)
      if (f.outcomeUnknown || (f.code !== undefined && CONNECTION_CODES.has(f.code))) throw e
      const rows = await this.#query('SELECT VERSION(), @@sql_mode')
      const values = rows[0] === undefined ? [] : Object.values(rows[0])
      if (String(values[1] ?? '').toUpperCase().includes('NO_BACKSLASH_ESCAPES')) {
        throw new StarRocksMvError(
          'UNSAFE_SQL_MODE',
          'The server runs with sql_mode NO_BACKSLASH_ESCAPES, under which backslash-escaped literals are unsafe. Remove it from @@sql_mode for this user before running srmv.',
        )
      }
      this.#server = { kind: 'mysql', version: String(values[0] ?? '') }
    }
    return this.#server
  }

  async #version(): Promise<string> {
    if (this.#options.version !== undefined) return this.#options.version
    const s = await this.server()
    if (s.kind !== 'starrocks') return DEFAULT_VERSION
    try {
      parseVersion(s.version)
      return s.version
    } catch {
      return DEFAULT_VERSION
    }
  }

  async #ensureTable(): Promise<void> {
    const s = await this.server()
    await this.#inHistoryDb(() => this.#query(createHistoryTableStatement(this.#table, s.kind, this.#options.historyProperties)))
  }

  /** A sentence when `historySchema` names a database the server does not have (`up` would stop). */
  async #missingHistoryDb(): Promise<string | undefined> {
    const schema = this.#table.schema
    if (schema === undefined) return undefined
    const rows = await this.#query(
      `SELECT ${quoteIdentifier('SCHEMA_NAME')} FROM ${quoteIdentifier('information_schema')}.${quoteIdentifier('schemata')} WHERE ${quoteIdentifier('SCHEMA_NAME')} = ${renderLiteral(schema)}`,
    )
    if (rows.length > 0) return undefined
    return `${missingHistoryDbText(schema)} \`srmv up\` would stop until then.`
  }

  /**
   * Run a history or lock statement; when the history's database (`historySchema`) does not exist,
   * say so and where it is configured, instead of the client's generic advice.
   */
  async #inHistoryDb<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (e) {
      const schema = this.#table.schema
      if (schema === undefined || errorFacts(e).code !== 'UNKNOWN_DATABASE') throw e
      throw new StarRocksMvError(
        'UNKNOWN_DATABASE',
        missingHistoryDbText(schema),
        { schema },
        { cause: e },
      )
    }
  }

  /** The history table's shape (read once): older tables have no project column. */
  async #readShape(): Promise<HistoryShape> {
    if (this.#shape !== undefined) return this.#shape
    const schema = this.#table.schema ?? (await this.#requireClient().database())
    if (schema === undefined) return CURRENT_SHAPE
    const rows = await this.#query(historyColumnsStatement(this.#table, schema))
    const names = rows.map((r) => String(r.COLUMN_NAME ?? r.column_name ?? Object.values(r)[0] ?? ''))
    // no columns: the table does not exist yet, and this version creates it whole
    const shape = names.length === 0 ? CURRENT_SHAPE : shapeOfColumns(names)
    if (names.length > 0) this.#shape = shape
    return shape
  }

  /**
   * With the lock held: give a history table of an older srmv the project column when a named
   * project is about to write (the unnamed project's rows need none: its tables stay as they are).
   */
  async #ensureShape(): Promise<void> {
    this.#shape = undefined
    if ((await this.#readShape()).project || this.#project === '') return
    await this.#query(addProjectColumnStatement(this.#table))
    // StarRocks may apply the schema change in the background: wait until the column is there.
    for (let attempt = 0; ; attempt++) {
      this.#shape = undefined
      if ((await this.#readShape()).project) return
      if (attempt >= 240) {
        throw new StarRocksMvError(
          'HISTORY_WRITE_FAILED',
          `The history table ${this.table} was given a project column (ALTER TABLE ... ADD COLUMN), but the column did not appear within 60 seconds. Check \`SHOW ALTER TABLE COLUMN\` on the server, then run again.`,
        )
      }
      await sleep(250)
    }
  }

  /** Every history event of this project, in order (empty when the table does not exist yet). */
  async history(): Promise<HistoryEvent[]> {
    try {
      const shape = await this.#readShape()
      const rows = await this.#inHistoryDb(() => this.#query(selectEventsStatement(this.#table, shape)))
      const all = rows.map(parseEventRow)
      this.#maxSeq = all.reduce((max, e) => Math.max(max, e.seq), 0)
      this.#events = sortEvents(all.filter((e) => projectOf(e) === this.#project))
    } catch (e) {
      if (!isNotFound(e) || errorFacts(e).outcomeUnknown) throw e
      this.#events = []
      this.#maxSeq = 0
    }
    return this.#events
  }

  /**
   * Append one event and read it back by its unique id (a StarRocks INSERT may answer before its row
   * is visible). Only that row is read: a run's cost stays linear in its statements. A failure says
   * whether the row was written, was not, or may have been ({@link AppendFailure}).
   */
  async #append(
    fields: Omit<HistoryEvent, 'eventId' | 'createdAt' | 'seq' | 'runId' | 'owner' | 'project'>,
    owner: LockOwner,
  ): Promise<HistoryEvent> {
    const shape = this.#shape ?? CURRENT_SHAPE
    // `unlocked` rows belong to no migration, and `unlock` takes no lock to add the column: an older
    // table records them without a project
    const project = shape.project || fields.event !== 'unlocked' ? this.#projectField() : {}
    const event = newEvent({ ...fields, seq: this.#maxSeq + 1, runId: owner.runId, owner: owner.owner, ...project })
    let lost: unknown
    try {
      await this.#query(insertEventStatement(this.#table, event, shape))
    } catch (e) {
      // A lost reply: the row may have landed. Its event id is unique, so read it back before giving up.
      if (!errorFacts(e).outcomeUnknown) throw new AppendFailure(event, 'not-written', 'the server refused it', e)
      lost = e
      try {
        if (this.#options.reconnect !== undefined) this.#client = await this.#options.reconnect()
      } catch (again) {
        throw new AppendFailure(event, 'unknown', 'the reply was lost, and no new connection could be opened to read it back', again)
      }
    }
    for (let attempt = 0; ; attempt++) {
      let found: boolean
      try {
        found = (await this.#query(selectEventStatement(this.#table, event.eventId, shape))).length > 0
      } catch (e) {
        throw lost === undefined
          ? new AppendFailure(event, 'written', 'the server accepted it, but reading it back failed', e)
          : new AppendFailure(event, 'unknown', 'the reply was lost, and reading it back failed', e)
      }
      if (found) {
        this.#maxSeq = Math.max(this.#maxSeq, event.seq)
        this.#events.push(event)
        return event
      }
      if (lost !== undefined && attempt >= 8) throw new AppendFailure(event, 'unknown', 'the reply was lost, and the row was not found when read back', lost)
      if (attempt >= 40) throw new AppendFailure(event, 'written', 'the server accepted it, but it is not visible after 10 seconds', undefined)
      await sleep(250)
    }
  }

  async #withLock<T>(command: string, fn: (owner: LockOwner) => Promise<T>): Promise<T> {
    await this.#options.checkpoint?.({ at: 'before-lock', command: this.#options.command ?? command })
    await this.#ensureTable()
    const owner = newLockOwner(this.#options.command ?? command)
    await acquireLock(this.#requireClient(), this.#table, owner, {
      ...(this.#options.waitLockSeconds === undefined ? {} : { waitSeconds: this.#options.waitLockSeconds }),
      onWait: (holder) => this.#options.onEvent?.({ kind: 'lock-wait', holder }),
    })
    let result: T
    try {
      await this.#ensureShape()
      result = await fn(owner)
    } catch (e) {
      await this.#releaseQuietly(owner)
      throw e
    }
    const released = await this.#release(owner)
    if (!released.released) {
      this.#options.onEvent?.({
        kind: 'warning',
        message: `The lock was broken while this run held it${released.holder === undefined ? '' : ` (now held by ${released.holder.owner})`}; check \`srmv history\`.`,
      })
    }
    return result
  }

  /** Release the lock; a lost connection is retried once on a fresh one. */
  async #release(owner: LockOwner): Promise<ReleaseResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await releaseLock(this.#requireClient(), this.#table, owner)
      } catch (e) {
        const f = errorFacts(e)
        const lost = f.outcomeUnknown || (f.code !== undefined && CONNECTION_CODES.has(f.code))
        if (!lost || attempt >= 1) {
          throw new StarRocksMvError(
            'LOCK_NOT_RELEASED',
            `The run finished, but its lock could not be released (${f.message}). Run \`srmv status\` to see what was recorded; once no srmv is running, break the lock with \`srmv unlock --force\`.`,
            {},
            { cause: e },
          )
        }
        if (this.#options.reconnect !== undefined) this.#client = await this.#options.reconnect()
      }
    }
  }

  /** Release the lock after a failure; the failure is what the caller reports, so a failed release only leaves the lock (status shows it). */
  async #releaseQuietly(owner: LockOwner): Promise<void> {
    try {
      await this.#release(owner)
    } catch {
      // the lock stays; `srmv status` reports it, `srmv unlock --force` breaks it
    }
  }

  // ---------------------------------------------------------------- reports

  async #state(
    loaded?: { readonly files: MigrationFile[]; readonly migrations: Migration[] },
  ): Promise<{ files: MigrationFile[]; migrations: Migration[]; records: Map<string, MigrationRecord>; statuses: MigrationStatus[] }> {
    const files = loaded?.files ?? this.files()
    const migrations = loaded?.migrations ?? (await this.migrations(files))
    const records = foldHistory(this.#events)
    const statuses = joinStatus(files, new Map(migrations.map((m) => [m.id, m.checksum])), records)
    return { files, migrations, records, statuses }
  }

  #problems(statuses: readonly MigrationStatus[], migrations: readonly Migration[], version: string): string[] {
    const problems: string[] = []
    const appliedIds = statuses.filter((s) => (s.state === 'applied' || s.state === 'partial' || s.state === 'missing') && !isRetryable(s)).map((s) => s.id)
    const maxApplied = appliedIds.sort().at(-1)
    for (const s of statuses) {
      if (s.state === 'missing') {
        problems.push(describeMissing(s))
      } else if (isRetryable(s)) {
        continue
      } else if (s.checksumChanged) {
        problems.push(
          `${s.name} was changed after it was applied (its up() now does something else). Revert the edit and put the change in a new migration (\`srmv generate\`), or accept it with \`srmv resolve ${s.id} --applied\`.`,
        )
      } else if (s.state === 'partial' && s.record?.state === 'partial') {
        const m = migrations.find((x) => x.id === s.id)
        const total = m === undefined ? undefined : recordStatements(m, s.record, version).length
        problems.push(describePartial(s.name, s.record, total, s.id))
      } else if (s.state === 'pending' && maxApplied !== undefined && s.id < maxApplied && !this.#options.allowUnordered) {
        problems.push(
          `${s.name} is pending but the later ${maxApplied} is already applied. Apply it out of order with --allow-unordered, or give it a new id after ${maxApplied}.`,
        )
      }
    }
    return problems
  }

  /** Where every migration stands, the lock, and what would stop a run. */
  async status(): Promise<StatusReport> {
    const server = await this.server()
    const version = await this.#version()
    await this.history()
    const { statuses, migrations } = await this.#state()
    const lock = await this.#inHistoryDb(() => readLock(this.#requireClient(), this.#table))
    const stale = lock !== undefined && isStale(lock)
    const problems = this.#problems(statuses, migrations, version)
    const missingDb = this.#events.length === 0 ? await this.#missingHistoryDb() : undefined
    if (missingDb !== undefined) problems.push(missingDb)
    if (lock !== undefined && stale) {
      problems.push(
        `The lock is held by ${describeOwner(lock)}, so \`srmv up\` would stop. No srmv of that process is running: break the lock with \`srmv unlock --force\`, then run \`srmv status\` again.`,
      )
    }
    const notes = statuses.filter(isRetryable).map((s) => {
      const r = s.record as PartialRecord
      const k = (r.failure?.index ?? 0) + 1
      return `${s.name}: its last ${r.direction} was rejected at statement ${k} before anything ran (${r.failure?.message ?? ''}); \`srmv ${r.direction}\` tries it again.`
    })
    return {
      server: server.kind,
      serverVersion: server.version,
      table: this.table,
      migrations: statuses,
      ...(lock === undefined ? {} : { lock: { ...lock, stale } }),
      problems,
      notes,
      renderVersion: version,
    }
  }

  // ---------------------------------------------------------------- up / down

  /**
   * Apply pending migrations in id order, up to `to` (inclusive; default all). Stops at a partial
   * migration unless `resume`; `dryRun` checks everything and writes nothing.
   */
  async up(options: { readonly to?: string; readonly resume?: boolean; readonly dryRun?: boolean } = {}): Promise<RunReport> {
    return this.#run('up', options)
  }

  /**
   * Undo applied migrations, latest first: `steps` of them (default 1), or all after `to` (which
   * stays applied; `base` undoes all). A partial up is undone as far as it ran.
   */
  async down(options: { readonly to?: string; readonly steps?: number; readonly resume?: boolean; readonly dryRun?: boolean } = {}): Promise<RunReport> {
    return this.#run('down', options)
  }

  async #run(
    direction: Direction,
    options: { readonly to?: string; readonly steps?: number; readonly resume?: boolean; readonly dryRun?: boolean },
  ): Promise<RunReport> {
    // The migration files are loaded before the server is asked anything and before the lock is
    // taken: a file that fails, or whose top-level await never settles, leaves no lock behind.
    const files = this.files()
    const loaded = await this.migrations(files)
    await this.server()
    const version = await this.#version()
    const dryRun = options.dryRun === true
    const body = async (owner: LockOwner | undefined): Promise<RunReport> => {
      await this.history()
      const state = await this.#state({ files, migrations: loaded })
      const work = this.#plan(direction, options, state, version)
      const warnings: string[] = []
      const report: RunReport['migrations'][number][] = []
      for (const w of work) {
        report.push({ id: w.migration.id, name: w.migration.name, statements: w.statements.map((s) => s.sql), ...(w.resumeAt === undefined ? {} : { resumedAt: w.resumeAt }) })
        if (owner === undefined) continue
        await this.#apply(w, owner)
      }
      return { direction, dryRun, migrations: report, warnings }
    }
    if (dryRun) {
      return body(undefined)
    }
    return this.#withLock(direction, body)
  }

  #plan(
    direction: Direction,
    options: { readonly to?: string; readonly steps?: number; readonly resume?: boolean },
    state: { files: MigrationFile[]; migrations: Migration[]; records: Map<string, MigrationRecord>; statuses: MigrationStatus[] },
    version: string,
  ): Work[] {
    const { files, migrations } = state
    // A migration rejected before anything of it ran blocks nothing: a plain run tries it again
    // (up: it is pending; a down that never started undoing leaves the migration applied).
    const statuses = options.resume
      ? state.statuses
      : state.statuses.map((s): MigrationStatus => {
          if (!isRetryable(s)) return s
          const r = s.record as PartialRecord
          if (r.direction === 'up' && direction === 'up') return { ...s, state: 'pending' }
          if (r.direction === 'down') return { ...s, state: 'applied' }
          return s
        })
    const byId = new Map(migrations.map((m) => [m.id, m]))
    // Missing and changed migrations always stop the run.
    const blocking = statuses.filter((s) => s.state === 'missing' || s.checksumChanged)
    const partials = statuses.filter((s) => s.state === 'partial')
    const problems = this.#problems(statuses, migrations, version)
    if (blocking.length > 0) {
      const first = blocking[0] as MigrationStatus
      throw new StarRocksMvError(first.state === 'missing' ? 'MISSING_MIGRATION' : 'CHECKSUM_MISMATCH', problems.join('\n'), { id: first.id })
    }
    const partial = partials[0]
    const partialRecord = partial?.record?.state === 'partial' ? partial.record : undefined
    const work: Work[] = []
    if (partial !== undefined && partialRecord !== undefined) {
      const m = byId.get(partial.id) as Migration
      const isUndo = direction === 'down' && partialRecord.direction === 'up'
      if (!isUndo && (!options.resume || partialRecord.direction !== direction)) {
        const total = recordStatements(m, partialRecord, version).length
        throw new StarRocksMvError('PARTIAL_MIGRATION', describePartial(m.name, partialRecord, total, m.id), { id: m.id })
      }
      const unknown = unsettledStatement(partialRecord, recordStatements(m, partialRecord, version).length)
      if (unknown !== undefined) {
        throw new StarRocksMvError(
          'UNSETTLED_STATEMENT',
          `${m.name}: cannot ${isUndo ? 'undo' : 'resume'} it yet: whether statement ${unknown + 1} ran is unknown, and srmv never guesses. ` +
            `Check the server: if it ran, run \`srmv resolve ${m.id} --ran --statement ${unknown + 1}\`; if it did not, \`srmv resolve ${m.id} --not-run --statement ${unknown + 1}\`; then run \`srmv ${direction}${isUndo ? '' : ' --resume'}\` again. ` +
            `Or settle the whole migration with \`srmv resolve ${m.id} --applied\` / \`--rolled-back\`.`,
          { id: m.id, index: unknown },
        )
      }
      if (isUndo) {
        const ran = new Set(partialRecord.completed.map((c) => c.index))
        const ops = undoOps(m, ran, version)
        work.push({ migration: m, direction: 'down', statements: renderOps(ops, version), ops, undo: [...ran] })
      } else {
        const statements = resumeStatements(m, partialRecord, version)
        work.push({ migration: m, direction, statements, resumeAt: partialRecord.completed.length, completed: new Set(partialRecord.completed.map((c) => c.index)) })
      }
    } else if (options.resume) {
      throw new StarRocksMvError('NOTHING_TO_RESUME', `There is no partial migration to resume. Run \`srmv ${direction}\` without --resume.`)
    }
    if (partials.length > 1) {
      throw new StarRocksMvError('PARTIAL_MIGRATION', problems.join('\n'))
    }
    const settled = new Set(work.map((w) => w.migration.id))
    if (direction === 'up') {
      const toIdx = options.to === undefined || options.to === 'head' ? files.length - 1 : files.indexOf(findTarget(files, options.to, 'up'))
      const pending = statuses.filter((s) => s.state === 'pending' && !settled.has(s.id))
      const maxApplied = statuses.filter((s) => s.state === 'applied').map((s) => s.id).sort().at(-1)
      for (const s of pending) {
        const idx = files.findIndex((f) => f.id === s.id)
        if (idx > toIdx) continue
        if (maxApplied !== undefined && s.id < maxApplied && !this.#options.allowUnordered) {
          throw new StarRocksMvError(
            'OUT_OF_ORDER',
            `${s.name} is pending but the later ${maxApplied} is already applied. Apply it out of order with --allow-unordered, or give it a new id after ${maxApplied}.`,
            { id: s.id },
          )
        }
        const m = byId.get(s.id) as Migration
        work.push({ migration: m, direction: 'up', statements: migrationStatements(m, 'up', version), ops: m.upOps })
      }
    } else {
      const applied = statuses.filter((s) => s.state === 'applied' && !settled.has(s.id)).reverse()
      let chosen: MigrationStatus[]
      if (options.to !== undefined && options.to !== 'base') {
        const target = findTarget(files, options.to, 'down')
        chosen = applied.filter((s) => s.id > target.id)
      } else if (options.to === 'base') {
        chosen = applied
      } else {
        const steps = options.steps ?? (work.length > 0 ? 0 : 1)
        if (!Number.isInteger(steps) || steps < 0) throw new StarRocksMvError('INVALID_STEPS', `--steps must be a whole number, got ${steps}.`)
        chosen = applied.slice(0, steps)
      }
      for (const s of chosen) {
        const m = byId.get(s.id) as Migration
        work.push({ migration: m, direction: 'down', statements: migrationStatements(m, 'down', version), ...(m.downOps === undefined ? {} : { ops: m.downOps }) })
      }
    }
    return work
  }

  async #apply(w: Work, owner: LockOwner): Promise<void> {
    const { migration: m, direction } = w
    const total = w.statements.length
    this.#options.onEvent?.({ kind: 'migration', id: m.id, name: m.name, direction, statements: total, resume: w.resumeAt !== undefined })
    /** The statement (0-based) the run sends after `index`, if any. */
    const nextAfter = (index: number): number | undefined => {
      for (let i = index + 1; i < total; i++) if (!w.completed?.has(i)) return i
      return undefined
    }
    const record = async (fields: Omit<HistoryEvent, 'eventId' | 'createdAt' | 'seq' | 'runId' | 'owner' | 'project'>): Promise<void> => {
      try {
        await this.#append(fields, owner)
      } catch (e) {
        const next = fields.event === 'statement' ? nextAfter(fields.statementIndex ?? 0) : nextAfter(-1)
        throw historyWriteError(m, direction, fields, total, next, e)
      }
    }
    if (w.resumeAt !== undefined) {
      await record({ migrationId: m.id, event: 'resumed', direction, checksum: m.checksum, detail: JSON.stringify({ from: w.resumeAt }) })
    } else {
      await record(
        {
          migrationId: m.id,
          event: 'started',
          direction,
          checksum: m.checksum,
          detail: JSON.stringify({ statements: total, ...(w.undo === undefined ? {} : { undo: w.undo }) }),
        },
      )
    }
    // Tables whose leftover schema-change jobs were already waited for in this run.
    const settled = new Set<string>()
    for (let index = 0; index < total; index++) {
      if (w.completed?.has(index)) continue
      const s = w.statements[index] as PlannedStatement
      const op = w.ops?.[s.op]
      this.#options.onEvent?.({ kind: 'statement', id: m.id, index, total, sql: s.sql, ...(op === undefined ? {} : { op }) })
      const started = Date.now()
      const isWait = /\bWITH\s+SYNC\s+MODE\s*$/i.test(s.sql)
      await this.#options.checkpoint?.({ at: 'before-statement', id: m.id, direction, index, total })
      try {
        await this.#settleEarlierJob(s.sql, settled)
        await this.#query(s.sql, isWait ? (this.#options.refreshTimeoutSeconds ?? 3600) * 1000 : undefined)
        await this.#waitForSchemaChange(m.id, index, s.sql)
      } catch (e) {
        await this.#recordFailure(m, direction, index, s, e, owner)
      }
      await this.#options.checkpoint?.({ at: 'after-statement', id: m.id, direction, index, total })
      await record({ migrationId: m.id, event: 'statement', direction, statementIndex: index, statementHash: s.hash })
      this.#options.onEvent?.({ kind: 'statement-done', id: m.id, index, ms: Date.now() - started })
    }
    await this.#options.checkpoint?.({ at: 'before-succeeded', id: m.id, direction, total })
    await record({ migrationId: m.id, event: 'succeeded', direction, checksum: m.checksum })
    this.#options.onEvent?.({ kind: 'migration-done', id: m.id, direction })
  }

  async #recordFailure(m: Migration, direction: Direction, index: number, s: PlannedStatement, e: unknown, owner: LockOwner): Promise<never> {
    const facts = errorFacts(e)
    const k = index + 1
    const where = `${m.name} (${direction}), statement ${k}: ${s.sql.length > 200 ? `${s.sql.slice(0, 200)}...` : s.sql}`
    const unknown = facts.outcomeUnknown
    let recorded = true
    try {
      if (unknown && this.#options.reconnect !== undefined) this.#client = await this.#options.reconnect()
      await this.#append(
        { migrationId: m.id, event: unknown ? 'unknown' : 'failed', direction, statementIndex: index, statementHash: s.hash, detail: facts.message },
        owner,
      )
    } catch {
      recorded = false
    }
    const note = recorded ? '' : ' (this could not be recorded in the history, which may show the run as interrupted at this statement)'
    if (unknown) {
      throw new StarRocksMvError(
        'OUTCOME_UNKNOWN',
        `${where}\nThe outcome is unknown (${facts.message}): the statement may or may not have run, and it was not sent again${note}. ` +
          `Check the server: if it ran, run \`srmv resolve ${m.id} --ran --statement ${k}\`; if it did not, \`srmv resolve ${m.id} --not-run --statement ${k}\`; then \`srmv ${direction} --resume\`${direction === 'up' ? ' (or `srmv down` to undo only what ran)' : ''}. ` +
          `Or settle the whole migration with \`srmv resolve ${m.id} --applied\` / \`--rolled-back\`.`,
        { id: m.id, index, direction },
        { cause: e },
      )
    }
    const unrecorded = recorded
      ? ''
      : ` It did not run: if \`srmv status\` shows statement ${k}'s outcome as unknown, record that with \`srmv resolve ${m.id} --not-run --statement ${k}\`.`
    throw new StarRocksMvError(
      'MIGRATION_FAILED',
      `${where}\nThe server rejected it: ${withoutStatement(e, facts.message)}${note}.${unrecorded} Fix the migration or the server, then run \`srmv ${direction} --resume\`, or settle it with \`srmv resolve ${m.id} --applied\` / \`--rolled-back\`.`,
      { id: m.id, index, direction, ...(facts.errno === undefined ? {} : { errno: facts.errno }) },
      { cause: e },
    )
  }

  // ---------------------------------------------------------------- settling

  /** Mark migrations up to `target` applied (and later applied ones not applied) without running anything. `base` marks all not applied. */
  async stamp(target: string): Promise<{ readonly stamped: readonly { readonly id: string; readonly direction: Direction }[] }> {
    await this.server()
    return this.#withLock('stamp', async (owner) => {
      await this.history()
      const { files, statuses } = await this.#state()
      const targetId = target === 'base' ? '' : target === 'head' ? (files.at(-1)?.id ?? '') : findTarget(files, target, 'stamp').id
      const stamped: { id: string; direction: Direction }[] = []
      for (const s of statuses) {
        if (s.state === 'missing') continue
        const wantApplied = s.id <= targetId
        const isApplied = s.state === 'applied'
        if (wantApplied === isApplied && s.state !== 'partial') continue
        const direction: Direction = wantApplied ? 'up' : 'down'
        const m = wantApplied ? (await this.migrations()).find((x) => x.id === s.id) : undefined
        await this.#append({ migrationId: s.id, event: 'stamped', direction, ...(m === undefined ? {} : { checksum: m.checksum }), detail: `stamp ${target}` }, owner)
        stamped.push({ id: s.id, direction })
      }
      return { stamped }
    })
  }

  /** Settle a partial (or changed, or missing) migration: record it as applied or rolled back, running nothing. */
  async resolve(target: string, outcome: 'applied' | 'rolled-back'): Promise<{ readonly id: string; readonly outcome: 'applied' | 'rolled-back' }> {
    await this.server()
    return this.#withLock('resolve', async (owner) => {
      await this.history()
      const { files, statuses, migrations } = await this.#state()
      const known = statuses.find((s) => s.id === target || s.name === target)
      const id = known?.id ?? findTarget(files, target, 'resolve').id
      const m = migrations.find((x) => x.id === id)
      if (outcome === 'applied' && m === undefined) {
        throw new StarRocksMvError('UNKNOWN_TARGET', `resolve: ${id} has no file, so it cannot be marked applied. Restore the file, or use --rolled-back.`, { id })
      }
      await this.#append(
        { migrationId: id, event: 'resolved', direction: outcome === 'applied' ? 'up' : 'down', ...(m === undefined ? {} : { checksum: m.checksum }), detail: outcome },
        owner,
      )
      return { id, outcome }
    })
  }

  /**
   * Settle the one statement of a partial migration whose outcome is unknown (a lost connection, a
   * timeout, a killed run), after checking the server by hand: `ran` records it as completed
   * (`--resume` continues after it, `down` undoes it), `not-run` records that it did not run
   * (`--resume` sends it again). Nothing is sent to the server but the history row.
   */
  async resolveStatement(
    target: string,
    outcome: 'ran' | 'not-run',
    options: {
      /**
       * The statement (1-based) the caller means: refused (`NOTHING_TO_RESOLVE`) when the history
       * leaves a different one unsettled, so advice that names a statement can never settle another.
       */
      readonly statement?: number
    } = {},
  ): Promise<{ readonly id: string; readonly index: number; readonly outcome: 'ran' | 'not-run' }> {
    await this.server()
    const version = await this.#version()
    return this.#withLock('resolve', async (owner) => {
      await this.history()
      const { files, statuses, migrations } = await this.#state()
      const known = statuses.find((s) => s.id === target || s.name === target)
      const id = known?.id ?? findTarget(files, target, 'resolve').id
      const status = statuses.find((s) => s.id === id)
      const m = migrations.find((x) => x.id === id)
      const record = status?.record?.state === 'partial' ? status.record : undefined
      if (record === undefined || m === undefined) {
        throw new StarRocksMvError(
          'NOTHING_TO_RESOLVE',
          `resolve: ${status?.name ?? id} is ${status?.state ?? 'unknown'}, not a partial migration with a file, so no statement is unsettled. --ran / --not-run settle one statement of a partial migration; see \`srmv status\`.`,
          { id },
        )
      }
      const statements = recordStatements(m, record, version)
      const index = unsettledStatement(record, statements.length)
      if (index === undefined) {
        const why =
          record.failure !== undefined
            ? `statement ${record.failure.index + 1} was rejected by the server, so it did not run`
            : 'every statement is recorded as completed'
        throw new StarRocksMvError(
          'NOTHING_TO_RESOLVE',
          `resolve: no statement of ${m.name} has an unknown outcome (${why}). Run \`srmv ${record.direction} --resume\`, or settle the whole migration with --applied / --rolled-back.`,
          { id },
        )
      }
      if (options.statement !== undefined && options.statement !== index + 1) {
        throw new StarRocksMvError(
          'NOTHING_TO_RESOLVE',
          `resolve: statement ${options.statement} of ${m.name} is not the one whose outcome is unknown: that is statement ${index + 1}. Nothing was recorded. See \`srmv status\`.`,
          { id, index },
        )
      }
      const s = statements[index] as PlannedStatement
      await this.#append({ migrationId: id, event: 'resolved', direction: record.direction, statementIndex: index, statementHash: s.hash, detail: outcome }, owner)
      return { id, index, outcome }
    })
  }

  /** Who holds the lock; with `force`, break it (recorded in the history) and return whose it was. */
  async unlock(options: { readonly force?: boolean } = {}): Promise<{ readonly holder?: LockOwner & { readonly stale: boolean }; readonly broken: boolean }> {
    await this.server()
    const client = this.#requireClient()
    const holder = await readLock(client, this.#table)
    if (holder === undefined) return { broken: false }
    const described = { ...holder, stale: isStale(holder) }
    if (!options.force) return { holder: described, broken: false }
    const was = await breakLock(client, this.#table)
    if (was !== undefined) {
      try {
        await this.history()
        const me = newLockOwner('unlock')
        await this.#append({ migrationId: '', event: 'unlocked', direction: 'up', detail: JSON.stringify(was) }, me)
      } catch (e) {
        if (!isNotFound(e)) throw e
      }
    }
    return { holder: described, broken: was !== undefined }
  }
}

/**
 * A history row that could not be confirmed, and whether it was written: `not-written` (the server
 * refused the INSERT), `written` (the server accepted it, but it could not be read back) or `unknown`
 * (the INSERT's reply was lost and the row could not be found or read).
 */
class AppendFailure extends StarRocksMvError {
  readonly fate: 'written' | 'not-written' | 'unknown'
  /** What happened, without the cause: e.g. `the server accepted it, but reading it back failed`. */
  readonly what: string
  readonly reason: string
  constructor(event: HistoryEvent, fate: 'written' | 'not-written' | 'unknown', what: string, cause: unknown) {
    const facts = cause === undefined ? undefined : errorFacts(cause)
    const connection = facts !== undefined && (facts.outcomeUnknown || (facts.code !== undefined && CONNECTION_CODES.has(facts.code)))
    const reason = facts === undefined ? what : `${what}: ${facts.message}`
    super(
      fate === 'written' ? 'HISTORY_NOT_VISIBLE' : fate === 'unknown' || connection ? 'OUTCOME_UNKNOWN' : 'HISTORY_WRITE_FAILED',
      `The history row ${event.event} of ${event.migrationId || 'the lock'} could not be confirmed (${reason}). Run \`srmv status\` to see what the history holds.`,
      { eventId: event.eventId, fate },
      cause === undefined ? undefined : { cause },
    )
    this.fate = fate
    this.what = what
    this.reason = reason
  }
}

/**
 * A history row of a run could not be confirmed: say what had already happened on the server, what
 * was never sent, and the exact way out. Every `resolve` it advises names its statement
 * (`--statement k`), so it refuses rather than record the wrong one.
 */
const historyWriteError = (
  m: Migration,
  direction: Direction,
  fields: Pick<HistoryEvent, 'event' | 'statementIndex'>,
  total: number,
  next: number | undefined,
  e: unknown,
): StarRocksMvError => {
  const failure = e instanceof AppendFailure ? e : undefined
  const facts = errorFacts(e)
  const fate = failure?.fate ?? (facts.outcomeUnknown ? 'unknown' : 'not-written')
  const why = failure?.reason ?? `${facts.outcomeUnknown ? 'the reply was lost' : 'the server refused it'}: ${facts.message}`
  const row = fate === 'written' ? 'was written' : fate === 'not-written' ? 'could not be written' : 'may or may not have been written'
  const resume = `\`srmv ${direction} --resume\``
  const nextSent = next === undefined ? undefined : next + 1
  let text: string
  if (fields.event === 'statement') {
    const k = (fields.statementIndex ?? 0) + 1
    const notSent = nextSent === undefined ? '' : ` Statement ${nextSent} was not sent.`
    const ran = `\`srmv resolve ${m.id} --ran --statement ${k}\``
    const head = `${m.name} (${direction}), statement ${k} of ${total}: it ran (the server answered OK), but its history row ${row} (${why}).${notSent}`
    if (fate === 'not-written') {
      text = `${head} Record that statement ${k} ran with ${ran}, then run ${resume}.`
    } else {
      const ifNext =
        nextSent === undefined
          ? `if it says every statement ran, ${resume} records the success (nothing is sent again)`
          : `if it names statement ${nextSent} as the one whose outcome is unknown, that one was never sent: \`srmv resolve ${m.id} --not-run --statement ${nextSent}\``
      text = `${head} Run \`srmv status\`: ${ifNext}; if it names statement ${k}, statement ${k} ran: ${ran}. Then run ${resume}.`
    }
  } else if (fields.event === 'succeeded') {
    text =
      `${m.name} (${direction}): all ${total} statement${total === 1 ? '' : 's'} ran, but the history row recording success ${row} (${why}). ` +
      `If \`srmv status\` shows it partial, run ${resume} to record it (nothing is sent again).`
  } else if (fields.event === 'resumed') {
    text =
      `${m.name} (${direction}): no statement was sent: the history row that resumes the run ${row} (${why}). ` +
      (nextSent === undefined
        ? `Run ${resume} again.`
        : `If \`srmv status\` names statement ${nextSent} as the one whose outcome is unknown, it was never sent: record that with \`srmv resolve ${m.id} --not-run --statement ${nextSent}\`. Then run ${resume} again.`)
  } else {
    text =
      `${m.name} (${direction}): no statement was sent: the history row that starts the run ${row} (${why}). ` +
      (nextSent === undefined || fate === 'not-written'
        ? `Run \`srmv ${direction}\` again${fate === 'not-written' ? '' : ` (or ${resume} if \`srmv status\` shows it partial)`}.`
        : `If \`srmv status\` shows it partial, record that its statement ${nextSent} was never sent: \`srmv resolve ${m.id} --not-run --statement ${nextSent}\`. Then run \`srmv ${direction}\` again.`)
  }
  const code = fate === 'written' ? 'HISTORY_NOT_VISIBLE' : failure?.code ?? (facts.outcomeUnknown || (facts.code !== undefined && CONNECTION_CODES.has(facts.code)) ? 'OUTCOME_UNKNOWN' : 'HISTORY_WRITE_FAILED')
  return new StarRocksMvError(code, text, { id: m.id, direction, ...(fields.statementIndex === undefined ? {} : { index: fields.statementIndex }) }, { cause: e })
}

interface Work {
  readonly migration: Migration
  readonly direction: Direction
  readonly statements: readonly PlannedStatement[]
  /** The ops the statements come from (by `PlannedStatement.op`). */
  readonly ops?: readonly Op[]
  /** Resuming: how many statements were already recorded. */
  readonly resumeAt?: number
  readonly completed?: ReadonlySet<number>
  /** Undoing a partial up: the up statements that had run. */
  readonly undo?: readonly number[]
}

/** The statements a partial attempt runs: its direction's, or, undoing a partial up, the inverse of what had run. */
const recordStatements = (m: Migration, record: Extract<MigrationRecord, { state: 'partial' }>, version: string): PlannedStatement[] => {
  const startedUndo = undoOfStarted(record)
  if (record.direction === 'down' && startedUndo !== undefined) return renderOps(undoOps(m, new Set(startedUndo), version), version)
  return migrationStatements(m, record.direction, version)
}

const resumeStatements = (m: Migration, record: Extract<MigrationRecord, { state: 'partial' }>, version: string): PlannedStatement[] => {
  const statements = recordStatements(m, record, version)
  for (const c of record.completed) {
    const now = statements[c.index]
    if (now === undefined || now.hash !== c.hash) {
      throw new StarRocksMvError(
        'RESUME_MISMATCH',
        `${m.name}: cannot resume: statement ${c.index + 1} was recorded as completed, but the migration now renders ${now === undefined ? 'fewer statements' : 'a different statement there'}. Restore the migration as it was, or settle it with \`srmv resolve ${m.id} --applied\` / \`--rolled-back\`.`,
        { id: m.id, index: c.index },
      )
    }
  }
  return statements
}

const missingHistoryDbText = (schema: string): string =>
  `The history table's database ${JSON.stringify(schema)} (historySchema in the config) does not exist on the server. Create it (CREATE DATABASE ${quoteIdentifier(schema)}), or set historySchema to an existing database (leave it out to keep the history in the URL's database).`

type PartialRecord = Extract<MigrationRecord, { state: 'partial' }>

/**
 * A partial migration whose attempt ran nothing and whose outcome is known (its first statement
 * was rejected, or an operator settled it as not run): a plain run tries it again. A down that was
 * undoing a partial up is not: the up's statements that ran are still there.
 */
const isRetryable = (s: MigrationStatus): boolean => {
  const r = s.record
  return (
    s.state === 'partial' &&
    r?.state === 'partial' &&
    r.completed.length === 0 &&
    r.failure !== undefined &&
    !r.failure.outcomeUnknown &&
    r.halted !== true &&
    (r.direction === 'up' || r.undo === undefined)
  )
}

/** A migration the history records but whose file is gone: what it left on the server, and the way out. */
const describeMissing = (s: MigrationStatus): string => {
  const r = s.record
  if (r?.state !== 'partial') {
    return `${s.id} is recorded as applied but its file is gone from the migrations folder. Restore the file (from version control), or if it was undone by hand, run \`srmv resolve ${s.id} --rolled-back\`.`
  }
  const done = r.completed.map((c) => c.index + 1)
  const unknown = unsettledStatement(r)
  const ran =
    done.length === 0
      ? 'no statement of it is recorded as completed'
      : `statement${done.length === 1 ? '' : 's'} ${done.join(', ')} ran`
  const unsure = unknown === undefined ? '' : `, and whether statement ${unknown + 1} ran is unknown`
  const nothingRan = done.length === 0 && unknown === undefined
  return (
    `${s.id} is partial, not applied: its ${r.direction} started ${r.startedAt} by ${r.owner} did not finish (${ran}${unsure}), and its file is gone from the migrations folder. ` +
    (nothingRan
      ? `Nothing of it ran: restore the file, or record that with \`srmv resolve ${s.id} --rolled-back\`.`
      : `Restore the file (from version control): \`srmv status\` then shows how to finish it (\`--resume\`) or undo what ran (\`srmv down\`). Record it as rolled back only after undoing by hand what ran.`)
  )
}

const undoOfStarted = (record: Extract<MigrationRecord, { state: 'partial' }>): readonly number[] | undefined => record.undo

const defaultLoader = (): ModuleLoader => {
  let loader: ModuleLoader | undefined
  return async (file) => {
    if (loader === undefined) {
      const packageModule: unknown = await import('../index.js')
      loader = createModuleLoader({ packageModule })
    }
    return loader(file)
  }
}

export type { HistoryEventKind }
