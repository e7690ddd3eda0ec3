import type { Expr } from './expression.js'
import type { Query } from './select-query.js'
import type { Row, Value } from './evaluate.js'
import type { Features, ServerVersion } from './server-version.js'

/** A column of a plain table. */
export interface ColumnDef {
  readonly name: string
  readonly type: string
  readonly nullable: boolean
  readonly defaultValue?: Value | { readonly now: true }
  readonly comment: string
  readonly autoIncrement: boolean
  /** The aggregate type of a value column of an AGGREGATE KEY table (upper case). */
  readonly aggregate?: string
  /** The default as SHOW CREATE TABLE prints it after `DEFAULT` (`"0"`, `CURRENT_TIMESTAMP`). */
  readonly defaultText?: string
}

/** One declared partition of a RANGE or LIST table, with its printed `VALUES ...` text. */
export interface PartitionDef {
  readonly name: string
  readonly values: string
  /** RANGE: the printed lower and upper bounds (`"2024-01-01"`, `MAXVALUE`). */
  readonly lower?: readonly string[]
  readonly upper?: readonly string[]
  /** LIST: the printed value tuples. */
  readonly tuples?: readonly (readonly string[])[]
}

/** How a table is partitioned. */
export type TablePartition =
  | { readonly kind: 'expression'; readonly exprs: readonly Expr[] }
  | { readonly kind: 'range' | 'list'; readonly columns: readonly string[]; readonly partitions: readonly PartitionDef[] }

/** An index declared in the column list. */
export interface IndexDef {
  readonly name: string
  readonly columns: readonly string[]
  readonly using: string
  readonly properties: ReadonlyMap<string, string>
  readonly comment: string
}

/** How rows are spread over buckets. */
export type Distribution =
  | { readonly kind: 'hash'; readonly columns: readonly string[]; readonly buckets?: number }
  | { readonly kind: 'random'; readonly buckets?: number }

/** A plain (OLAP) table. */
export interface TableObject {
  readonly kind: 'table'
  readonly id: number
  db: string
  name: string
  columns: ColumnDef[]
  readonly keysType: 'DUP_KEYS' | 'PRI_KEYS' | 'UNQ_KEYS' | 'AGG_KEYS'
  readonly keys: readonly string[]
  readonly partitionKey: readonly string[]
  partition?: TablePartition
  /** Whether the statement named the key (otherwise StarRocks chose a DUPLICATE KEY). */
  readonly keysGiven: boolean
  distribution?: Distribution
  orderBy: readonly string[]
  indexes: IndexDef[]
  properties: Map<string, string>
  comment: string
  readonly createTime: string
  rows: Row[]
  nextAutoIncrement: number
  /** When the last write (load, INSERT, UPDATE, DELETE, TRUNCATE) became visible: `partitions_meta.VISIBLE_VERSION_TIME`. */
  visibleVersionTime: string
}

/** A logical view. */
export interface ViewObject {
  readonly kind: 'view'
  readonly id: number
  db: string
  name: string
  readonly columns: readonly { readonly name: string; readonly type: string; readonly comment?: string }[]
  readonly query: Query
  readonly definition: string
  readonly createText: string
  readonly comment: string
  readonly security?: string
  readonly createTime: string
}

/** When and how an async MV refreshes. */
export interface RefreshScheme {
  readonly moment: 'IMMEDIATE' | 'DEFERRED'
  /** `ASYNC` untimed (load-triggered), `PERIODIC` (START/EVERY), `MANUAL`. */
  readonly kind: 'ASYNC' | 'PERIODIC' | 'MANUAL'
  readonly start?: string
  readonly every?: { readonly n: number; readonly unit: string }
}

/** One refresh of an MV, as `information_schema.task_runs` shows it. */
export interface TaskRun {
  readonly queryId: string
  readonly taskName: string
  readonly db: string
  mvName: string
  readonly createTime: string
  finishTime: string | null
  state: 'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED'
  errorCode: number
  errorMessage: string
  readonly force: boolean
  readonly partitionStart: string
  readonly partitionEnd: string
  readonly definition: string
  /** Resolves when the run has finished (for `WITH SYNC MODE`). */
  done: Promise<void>
  cancel?: () => void
}

/** `INDEX name (cols) [USING kind [(props)]] [COMMENT '...']` of an MV's column list. */
export interface MvIndexDef {
  readonly name: string
  readonly columns: readonly string[]
  readonly using?: string
  readonly properties: readonly (readonly [string, string])[]
  readonly comment: string
}

/** A materialized view, sync or async. */
export interface MvObject {
  readonly kind: 'mv'
  readonly id: number
  db: string
  name: string
  readonly sync: boolean
  columns: readonly { readonly name: string; readonly comment?: string; readonly type: string }[]
  /** Indexes declared in the column list after the columns. */
  readonly indexes: readonly MvIndexDef[]
  readonly comment?: string
  readonly partitionExprs: readonly Expr[]
  readonly distribution: Distribution
  readonly distributionGiven: boolean
  readonly orderBy: readonly string[]
  refresh: RefreshScheme
  /** Properties given at creation, in the order given. */
  readonly createProperties: ReadonlyMap<string, string>
  /** Properties set later with ALTER ... SET, in the order set. */
  readonly alteredProperties: Map<string, string>
  query: Query
  /** The query as written (after `AS`). */
  queryText: string
  /** The query as StarRocks before 4.0.6 stores it. */
  rewrittenQuery: string
  /** The whole statement as written (a sync MV prints it back). */
  readonly createText: string
  baseTables: { db: string; name: string }[]
  active: boolean
  inactiveReason: string
  rows: Row[]
  readonly createTime: string
  readonly taskName: string
  lastRun?: TaskRun
}

/** Any object that lives in a database's table namespace. */
export type Relation = TableObject | ViewObject | MvObject

/** How the next refresh task runs, set by fault injection. */
export interface RefreshBehaviour {
  readonly kind: 'refresh-failure' | 'refresh-delay'
  readonly message?: string
  readonly ms?: number
}

/** The emulator's state: databases and their relations, task runs, and the server's settings. */
export interface Catalog {
  readonly version: ServerVersion
  readonly features: Features
  readonly defaultReplicationNum: number
  readonly databases: Map<string, Map<string, Relation>>
  readonly taskRuns: TaskRun[]
  /** Timers of delayed refreshes, cleared on reset and close. */
  readonly timers: Set<ReturnType<typeof setTimeout>>
  nextId: number
}

/** A fresh catalog. */
export const createCatalog = (version: ServerVersion, features: Features, defaultReplicationNum: number): Catalog => ({
  version, features, defaultReplicationNum, databases: new Map(), taskRuns: [], timers: new Set(), nextId: 10001,
})

/** `yyyy-MM-dd HH:mm:ss` in local time, as StarRocks shows times. */
export const timestamp = (d: Date = new Date()): string => {
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/** The columns a relation exposes to queries. */
export const relationColumns = (r: Relation): readonly { readonly name: string; readonly type: string }[] =>
  r.kind === 'table' ? r.columns.map((c) => ({ name: c.name, type: c.type })) : r.columns
