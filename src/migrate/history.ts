import { randomUUID } from 'node:crypto'
import { StarRocksMvError } from '../errors.js'
import { formatDate, quoteDoubleString, quoteIdentifier, quoteQualified, renderLiteral } from '../sql/quote.js'

/** The server family: StarRocks, or a MySQL-protocol database (MySQL, MariaDB) used for tests and history. */
export type ServerKind = 'starrocks' | 'mysql'

/** The default history table name. */
export const DEFAULT_HISTORY_TABLE = 'srmv_migrations'

/** Where the history lives. */
export interface HistoryTable {
  readonly schema?: string
  readonly name: string
}

/** The SQL name of a history table (or its lock view). */
export const historyTableSql = (t: HistoryTable): string => (t.schema === undefined ? quoteIdentifier(t.name) : quoteQualified(t.schema, t.name))

/** The kinds of history events. */
export type HistoryEventKind =
  /** Before the first statement of a migration in one direction. */
  | 'started'
  /** Continuing a partial migration (`--resume`). */
  | 'resumed'
  /** A statement completed (index within the direction's statements, hash of its text). */
  | 'statement'
  /** The server rejected a statement: it did not run. */
  | 'failed'
  /** A statement's outcome is unknown (timeout or lost connection): it may or may not have run. */
  | 'unknown'
  /** After the last statement. */
  | 'succeeded'
  /**
   * An operator settled a partial migration (`resolve <id> --applied | --rolled-back`), or, with a
   * statement index, its one statement of unknown outcome (`--ran` / `--not-run`, in `detail`).
   */
  | 'resolved'
  /** Marked applied (up) or not applied (down) without running anything (`stamp`). */
  | 'stamped'
  /** The lock was broken by `unlock --force` (detail: whose it was). */
  | 'unlocked'

/** The directions of a migration. */
export type Direction = 'up' | 'down'

/** One row of the history table. */
export interface HistoryEvent {
  /** Order of events: one more than the largest seen when written (runners hold the lock). */
  readonly seq: number
  /** A random UUID: unique even if two writers ever chose the same seq. */
  readonly eventId: string
  readonly migrationId: string
  readonly event: HistoryEventKind
  readonly direction: Direction
  readonly statementIndex?: number
  readonly statementHash?: string
  readonly checksum?: string
  readonly runId: string
  readonly owner: string
  /** UTC `yyyy-MM-dd HH:mm:ss`. */
  readonly createdAt: string
  readonly detail?: string
  /**
   * The project that wrote the row (`project` in srmv.config.ts): projects that share one history
   * table see only their own rows. Absent (NULL in the table, or no such column in a table made by an
   * older srmv) is the unnamed project `''`.
   */
  readonly project?: string
}

/**
 * The shape of an existing history table: whether it has the `project` column (tables created by
 * older versions of srmv do not; `srmv up` adds it when a named project first writes).
 */
export interface HistoryShape {
  readonly project: boolean
}

/** The shape of a table this version creates. */
export const CURRENT_SHAPE: HistoryShape = Object.freeze({ project: true })

const EVENT_KINDS: readonly HistoryEventKind[] = ['started', 'resumed', 'statement', 'failed', 'unknown', 'succeeded', 'resolved', 'stamped', 'unlocked']

/** The columns, in order. */
const COLUMNS = [
  'seq',
  'event_id',
  'migration_id',
  'event',
  'direction',
  'statement_index',
  'statement_hash',
  'checksum',
  'run_id',
  'owner',
  'created_at',
  'detail',
] as const

/** The project column, after the others (added by `ALTER TABLE ... ADD COLUMN` to older tables). */
const PROJECT_COLUMN = 'project'

const columnsOf = (shape: HistoryShape): readonly string[] => (shape.project ? [...COLUMNS, PROJECT_COLUMN] : COLUMNS)

/**
 * `CREATE TABLE IF NOT EXISTS` for the history. StarRocks: a DUPLICATE KEY table (append-only; no
 * Primary Key upserts), one bucket, `properties` as given (e.g. `replication_num` `1` on one-node
 * clusters). MySQL/MariaDB: an InnoDB table keyed by the event id.
 */
export const createHistoryTableStatement = (table: HistoryTable, kind: ServerKind, properties: Readonly<Record<string, string>> = {}): string => {
  const text = kind === 'starrocks' ? 'VARCHAR(65533)' : 'TEXT'
  const cols = [
    `${quoteIdentifier('seq')} BIGINT NOT NULL`,
    `${quoteIdentifier('event_id')} VARCHAR(64) NOT NULL`,
    `${quoteIdentifier('migration_id')} VARCHAR(255) NOT NULL`,
    `${quoteIdentifier('event')} VARCHAR(32) NOT NULL`,
    `${quoteIdentifier('direction')} VARCHAR(8) NOT NULL`,
    `${quoteIdentifier('statement_index')} INT NULL`,
    `${quoteIdentifier('statement_hash')} VARCHAR(64) NULL`,
    `${quoteIdentifier('checksum')} VARCHAR(64) NULL`,
    `${quoteIdentifier('run_id')} VARCHAR(64) NOT NULL`,
    `${quoteIdentifier('owner')} VARCHAR(1024) NOT NULL`,
    `${quoteIdentifier('created_at')} DATETIME NOT NULL`,
    `${quoteIdentifier('detail')} ${text} NULL`,
    `${quoteIdentifier(PROJECT_COLUMN)} VARCHAR(255) NULL`,
  ]
  if (kind === 'mysql') {
    return `CREATE TABLE IF NOT EXISTS ${historyTableSql(table)} (\n  ${[...cols, `PRIMARY KEY (${quoteIdentifier('event_id')})`].join(',\n  ')}\n)`
  }
  const props = Object.entries(properties)
  return (
    `CREATE TABLE IF NOT EXISTS ${historyTableSql(table)} (\n  ${cols.join(',\n  ')}\n)\n` +
    `DUPLICATE KEY(${quoteIdentifier('seq')}, ${quoteIdentifier('event_id')})\n` +
    `DISTRIBUTED BY HASH(${quoteIdentifier('event_id')}) BUCKETS 1` +
    (props.length === 0 ? '' : `\nPROPERTIES (${props.map(([k, v]) => `${quoteDoubleString(k)} = ${quoteDoubleString(v)}`).join(', ')})`)
  )
}

/**
 * `ALTER TABLE ... ADD COLUMN` of the project column, for a history table created by an older srmv.
 * Nullable, last: existing rows read as the unnamed project, and older srmv versions, which name the
 * columns they write, keep working.
 */
export const addProjectColumnStatement = (table: HistoryTable): string =>
  `ALTER TABLE ${historyTableSql(table)} ADD COLUMN ${quoteIdentifier(PROJECT_COLUMN)} VARCHAR(255) NULL`

/** The columns of a history table, from `information_schema.columns` (to learn its {@link HistoryShape}). */
export const historyColumnsStatement = (table: HistoryTable, schema: string): string =>
  `SELECT ${quoteIdentifier('COLUMN_NAME')} FROM ${quoteIdentifier('information_schema')}.${quoteIdentifier('columns')} ` +
  `WHERE ${quoteIdentifier('TABLE_SCHEMA')} = ${renderLiteral(schema)} AND ${quoteIdentifier('TABLE_NAME')} = ${renderLiteral(table.name)}`

/** The shape of a history table from the column names {@link historyColumnsStatement} returned. */
export const shapeOfColumns = (names: readonly string[]): HistoryShape => Object.freeze({ project: names.some((n) => n.toLowerCase() === PROJECT_COLUMN) })

const eventValues = (e: HistoryEvent, shape: HistoryShape): string[] =>
  [
    e.seq,
    e.eventId,
    e.migrationId,
    e.event,
    e.direction,
    e.statementIndex ?? null,
    e.statementHash ?? null,
    e.checksum ?? null,
    e.runId,
    e.owner,
    e.createdAt,
    e.detail ?? null,
    ...(shape.project ? [e.project === undefined || e.project === '' ? null : e.project] : []),
  ].map((v) => renderLiteral(v))

/**
 * `INSERT` of one event, every value inlined through the literal renderer. A table without the
 * project column (`shape`) can only hold rows of the unnamed project.
 */
export const insertEventStatement = (table: HistoryTable, e: HistoryEvent, shape: HistoryShape = CURRENT_SHAPE): string => {
  checkShape(e, shape)
  return `INSERT INTO ${historyTableSql(table)} (${columnsOf(shape).map(quoteIdentifier).join(', ')}) VALUES (${eventValues(e, shape).join(', ')})`
}

const checkShape = (e: HistoryEvent, shape: HistoryShape): void => {
  if (!shape.project && e.project !== undefined && e.project !== '') {
    throw new StarRocksMvError('INVALID_OPTIONS', `The history table has no project column, so it cannot record rows of project "${e.project}".`)
  }
}

/**
 * `INSERT ... SELECT` of one event whose seq is taken from the table itself (one more than the
 * largest): the form used in scripts that are run by hand (`srmv up --sql --with-history`).
 */
export const insertEventSelectStatement = (table: HistoryTable, e: HistoryEvent, shape: HistoryShape = CURRENT_SHAPE): string => {
  checkShape(e, shape)
  return (
    `INSERT INTO ${historyTableSql(table)} (${columnsOf(shape).map(quoteIdentifier).join(', ')}) ` +
    `SELECT COALESCE(MAX(${quoteIdentifier('seq')}), 0) + 1, ${eventValues(e, shape).slice(1).join(', ')} FROM ${historyTableSql(table)}`
  )
}

/** `SELECT` of every event, of every project (sorted by the reader: servers differ in what they sort). */
export const selectEventsStatement = (table: HistoryTable, shape: HistoryShape = CURRENT_SHAPE): string =>
  `SELECT ${columnsOf(shape).map(quoteIdentifier).join(', ')} FROM ${historyTableSql(table)}`

/** `SELECT` of the one event with this id: how a writer reads back the row it just wrote. */
export const selectEventStatement = (table: HistoryTable, eventId: string, shape: HistoryShape = CURRENT_SHAPE): string =>
  `${selectEventsStatement(table, shape)} WHERE ${quoteIdentifier('event_id')} = ${renderLiteral(eventId)}`

const str = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : v instanceof Date ? formatDate(new Date(Math.floor(v.getTime() / 1000) * 1000)) : Buffer.isBuffer(v) ? v.toString('utf8') : String(v)

/** Read one row of the history table; throws `CORRUPT_HISTORY` for a row this version cannot read. */
export const parseEventRow = (row: Readonly<Record<string, unknown>>): HistoryEvent => {
  const get = (c: string): unknown => row[c] ?? row[c.toUpperCase()]
  const event = str(get('event'))
  const direction = str(get('direction'))
  const seq = Number(get('seq'))
  if (!EVENT_KINDS.includes(event as HistoryEventKind) || (direction !== 'up' && direction !== 'down') || !Number.isSafeInteger(seq)) {
    throw new StarRocksMvError(
      'CORRUPT_HISTORY',
      `The history table has a row this version of srmv cannot read (event ${JSON.stringify(event)}, direction ${JSON.stringify(direction)}, seq ${JSON.stringify(get('seq'))}). Was it written by a newer srmv, or edited by hand?`,
    )
  }
  const index = get('statement_index')
  const optional = <K extends string>(key: K, value: string | number | undefined): { [P in K]?: string | number } =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: string | number }
  return Object.freeze({
    seq,
    eventId: str(get('event_id')) ?? '',
    migrationId: str(get('migration_id')) ?? '',
    event: event as HistoryEventKind,
    direction,
    ...(optional('statementIndex', index === null || index === undefined ? undefined : Number(index)) as { statementIndex?: number }),
    ...(optional('statementHash', str(get('statement_hash'))) as { statementHash?: string }),
    ...(optional('checksum', str(get('checksum'))) as { checksum?: string }),
    runId: str(get('run_id')) ?? '',
    owner: str(get('owner')) ?? '',
    createdAt: str(get('created_at')) ?? '',
    ...(optional('detail', str(get('detail'))) as { detail?: string }),
    ...(optional('project', str(get(PROJECT_COLUMN)) || undefined) as { project?: string }),
  })
}

/** The project a row belongs to (`''`: the unnamed project, also every row of a table without the column). */
export const projectOf = (e: HistoryEvent): string => e.project ?? ''

/** Sort events into the order they were written. */
export const sortEvents = (events: readonly HistoryEvent[]): HistoryEvent[] =>
  [...events].sort((a, b) => a.seq - b.seq || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))

/** Make a new event (seq chosen by the writer). */
export const newEvent = (fields: Omit<HistoryEvent, 'eventId' | 'createdAt'> & { readonly createdAt?: Date }): HistoryEvent => {
  const { createdAt, ...rest } = fields
  return Object.freeze({ ...rest, eventId: randomUUID(), createdAt: formatDate(new Date(Math.floor((createdAt ?? new Date()).getTime() / 1000) * 1000)) })
}

/** One completed statement of a partial migration. */
export interface CompletedStatement {
  readonly index: number
  readonly hash: string
}

/** Where one migration stands according to the history. */
export type MigrationRecord =
  | { readonly state: 'applied'; readonly checksum?: string; readonly at: string; readonly via: 'succeeded' | 'resolved' | 'stamped' }
  | { readonly state: 'reverted'; readonly at: string; readonly via: 'succeeded' | 'resolved' | 'stamped' }
  | {
      readonly state: 'partial'
      readonly direction: Direction
      readonly checksum?: string
      readonly startedAt: string
      readonly owner: string
      /** Undoing a partial up: the up statements that had run (the down statements are their inverse). */
      readonly undo?: readonly number[]
      /** Statements that completed since the attempt started (across resumes), by index. */
      readonly completed: readonly CompletedStatement[]
      /** An operator settled the statement of unknown outcome as run: nothing of this attempt is in flight. */
      readonly halted?: boolean
      /** The last failure of the attempt, if the run stopped at a statement. */
      readonly failure?: { readonly index: number; readonly hash?: string; readonly message: string; readonly outcomeUnknown: boolean }
    }

type Partial_ = Extract<MigrationRecord, { state: 'partial' }>

/** The record of a migration that an event settled: applied by an up, reverted by a down. */
const settled = (e: HistoryEvent & { readonly event: 'succeeded' | 'resolved' | 'stamped' }): MigrationRecord =>
  e.direction === 'up'
    ? { state: 'applied', ...(e.checksum === undefined ? {} : { checksum: e.checksum }), at: e.createdAt, via: e.event }
    : { state: 'reverted', at: e.createdAt, via: e.event }

/**
 * Fold the events into one record per migration id (events in seq order). A `started` begins an
 * attempt; `statement`, `failed`, `unknown` and `resumed` belong to it; `succeeded`, `resolved` and
 * `stamped` settle it (direction up: applied; down: reverted).
 */
export const foldHistory = (events: readonly HistoryEvent[]): Map<string, MigrationRecord> => {
  const records = new Map<string, MigrationRecord>()
  for (const e of sortEvents(events)) {
    if (e.event === 'unlocked') continue
    const current = records.get(e.migrationId)
    const partial = current?.state === 'partial' && current.direction === e.direction ? current : undefined
    switch (e.event) {
      case 'started': {
        const undo = undoOf(e.detail)
        records.set(e.migrationId, {
          state: 'partial',
          direction: e.direction,
          ...(e.checksum === undefined ? {} : { checksum: e.checksum }),
          startedAt: e.createdAt,
          owner: e.owner,
          ...(undo === undefined ? {} : { undo }),
          completed: [],
        })
        break
      }
      case 'resumed':
        if (partial !== undefined) {
          const { failure: _f, halted: _h, ...rest } = partial
          records.set(e.migrationId, { ...rest, owner: e.owner })
        }
        break
      case 'statement':
        if (partial !== undefined && e.statementIndex !== undefined) {
          const completed = [...partial.completed.filter((c) => c.index !== e.statementIndex), { index: e.statementIndex, hash: e.statementHash ?? '' }]
          completed.sort((a, b) => a.index - b.index)
          const { failure: _f, halted: _h, ...rest } = partial
          records.set(e.migrationId, { ...rest, completed } satisfies Partial_)
        }
        break
      case 'resolved':
        if (e.statementIndex !== undefined) {
          // one statement settled by an operator: it ran (completed, nothing in flight) or it did not
          if (partial === undefined) break
          const { failure: _f, halted: _h, ...rest } = partial
          if (e.detail === 'ran') {
            const completed = [...partial.completed.filter((c) => c.index !== e.statementIndex), { index: e.statementIndex, hash: e.statementHash ?? '' }]
            completed.sort((a, b) => a.index - b.index)
            records.set(e.migrationId, { ...rest, completed, halted: true } satisfies Partial_)
          } else {
            records.set(e.migrationId, {
              ...rest,
              failure: { index: e.statementIndex, ...(e.statementHash === undefined ? {} : { hash: e.statementHash }), message: 'settled by an operator: it did not run', outcomeUnknown: false },
            } satisfies Partial_)
          }
          break
        }
        records.set(e.migrationId, settled({ ...e, event: e.event }))
        break
      case 'failed':
      case 'unknown':
        if (partial !== undefined) {
          records.set(e.migrationId, {
            ...partial,
            failure: {
              index: e.statementIndex ?? -1,
              ...(e.statementHash === undefined ? {} : { hash: e.statementHash }),
              message: e.detail ?? '',
              outcomeUnknown: e.event === 'unknown',
            },
          })
        }
        break
      case 'succeeded':
      case 'stamped':
        records.set(e.migrationId, settled({ ...e, event: e.event }))
        break
    }
  }
  return records
}

const undoOf = (detail: string | undefined): number[] | undefined => {
  if (detail === undefined) return undefined
  try {
    const parsed = JSON.parse(detail) as { undo?: unknown }
    return Array.isArray(parsed.undo) && parsed.undo.every((n) => Number.isInteger(n)) ? (parsed.undo as number[]) : undefined
  } catch {
    return undefined
  }
}
