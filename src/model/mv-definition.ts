import { cloneData, freezeDeep } from './freeze.js'
import type { QualifiedName } from './qualified-name.js'

/** Interval units StarRocks accepts in `EVERY (INTERVAL n unit)`. The docs list SECOND..DAY; newer grammars accept the rest. */
export type IntervalUnit = 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR'

/** All interval units, in increasing size. */
export const INTERVAL_UNITS: readonly IntervalUnit[] = Object.freeze([
  'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR',
])

/** A refresh period: `EVERY (INTERVAL value unit)`. */
export interface Interval {
  readonly value: number
  readonly unit: IntervalUnit
}

/**
 * How an async MV refreshes.
 * - `async` with `every`: periodic (`ASYNC [START(..)] EVERY(..)`, printed `SCHEDULE ...` from 4.1).
 * - `async` without `every`: triggered by base-table loads (`ASYNC`, `ON_CHANGE` from 26.2).
 * - `manual`: only `REFRESH MATERIALIZED VIEW`.
 * `deferred` is the moment: `REFRESH DEFERRED ...` (no refresh at creation) versus IMMEDIATE (the default).
 */
export type RefreshSpec =
  | {
      readonly kind: 'async'
      readonly deferred: boolean
      /** `yyyy-MM-dd HH:mm:ss`, in the server's time zone. */
      readonly start?: string
      readonly every?: Interval
    }
  | { readonly kind: 'manual'; readonly deferred: boolean }

/** One entry of the MV's column list: a name and an optional comment (no types: StarRocks infers them). */
export interface MvColumn {
  readonly name: string
  readonly comment?: string
}

/** The index kinds StarRocks takes in `INDEX name (cols) USING <kind>`. */
export type IndexKind = 'BITMAP' | 'GIN' | 'NGRAMBF' | 'VECTOR'

/** All index kinds. */
export const INDEX_KINDS: readonly IndexKind[] = Object.freeze(['BITMAP', 'GIN', 'NGRAMBF', 'VECTOR'])

/**
 * An index declared in an MV's column list, after the columns:
 * `INDEX name (cols) [USING kind [("k" = "v", ...)]] [COMMENT 'text']`.
 */
export interface MvIndex {
  readonly name: string
  readonly columns: readonly string[]
  readonly using?: IndexKind
  /** The index's own properties (e.g. `gram_num` for NGRAMBF, `index_type` for VECTOR), values as strings. */
  readonly properties?: Readonly<Record<string, string>>
  readonly comment?: string
}

/** `DISTRIBUTED BY HASH(cols) [BUCKETS n]` or `DISTRIBUTED BY RANDOM [BUCKETS n]`. */
export type Distribution =
  | { readonly kind: 'hash'; readonly columns: readonly string[]; readonly buckets?: number }
  | { readonly kind: 'random'; readonly buckets?: number }

/** The rebuild strategies for changes StarRocks cannot ALTER. */
export type RebuildStrategy = 'drop-create' | 'swap'

/**
 * A materialized view as plain, frozen, JSON-serialisable data: the single source of truth that the
 * builder produces, the renderer prints, the parser reads back and the differ compares.
 *
 * SQL-bearing fields (`partitionBy` entries, `query`) hold SQL text exactly as it is sent to the server.
 */
export interface MvDefinition {
  readonly kind: 'MvDefinition'
  readonly name: string
  /** The database; absent means the connection's current database. */
  readonly schema?: string
  /** A synchronous MV (a rollup of one table): no refresh, no distribution. */
  readonly sync: boolean
  readonly columns?: readonly MvColumn[]
  /** Indexes declared after the columns of the column list (3.1+; they need a column list). */
  readonly indexes?: readonly MvIndex[]
  readonly comment?: string
  /** PARTITION BY: one entry per expression (a quoted column or an expression such as `date_trunc('day', \`dt\`)`). */
  readonly partitionBy?: readonly string[]
  readonly distribution?: Distribution
  /** ORDER BY (the sort key): column names. */
  readonly orderBy?: readonly string[]
  readonly refresh?: RefreshSpec
  /** PROPERTIES, every value a string exactly as StarRocks stores it. */
  readonly properties: Readonly<Record<string, string>>
  /** The defining query (SQL text). */
  readonly query: string
  /**
   * Tables and MVs the query reads, as recorded: typed references in the `sql` tag, or parsed from
   * DDL. A query given as a string records none (recorded dependencies are part of migration
   * checksums); planning reads the query text as well (`mvDependencies`).
   */
  readonly dependencies: readonly QualifiedName[]
  /** Properties the user declared alterable through the escape hatch (beyond the catalog's). */
  readonly alterableProperties?: readonly string[]
  /** Intent: this MV was previously named so (a rename hint for the differ). Not part of the deployed state. */
  readonly renamedFrom?: string
  /** Intent: immutable changes to this MV are acknowledged and rebuilt with this strategy. Not part of the deployed state. */
  readonly rebuild?: RebuildStrategy
}

type Fields = Omit<MvDefinition, 'kind'>
type Input = Omit<Fields, 'sync' | 'properties' | 'dependencies'> &
  Partial<Pick<Fields, 'sync' | 'properties' | 'dependencies'>>

/** The fields {@link MvDefinition.create} sets by name. */
const KNOWN_FIELDS = new Set<string>(['kind', 'sync', 'properties', 'dependencies', 'name', 'schema', 'columns', 'indexes', 'comment', 'partitionBy', 'distribution', 'orderBy', 'refresh', 'query', 'alterableProperties', 'renamedFrom', 'rebuild'])

/** The only way to make an {@link MvDefinition}: fills defaults, drops `undefined` fields, freezes deeply. */
export const MvDefinition = {
  create(fields: Input): MvDefinition {
    // Each known field is set by name, in a fixed order: V8 copies an object with a spread or a
    // store per key through a slow generic path (microseconds per object), which plans of
    // thousands of MVs paid several times over. Frozen parts are shared, as cloneData shares them.
    const f = fields as Partial<Record<keyof Fields, unknown>>
    const out: Record<string, unknown> = {
      kind: 'MvDefinition',
      sync: f.sync === undefined ? false : f.sync,
      properties: f.properties === undefined ? {} : cloneData(f.properties),
      dependencies: f.dependencies === undefined ? [] : cloneData(f.dependencies),
    }
    if (f.name !== undefined) out.name = f.name
    if (f.schema !== undefined) out.schema = f.schema
    if (f.columns !== undefined) out.columns = cloneData(f.columns)
    if (f.indexes !== undefined) out.indexes = cloneData(f.indexes)
    if (f.comment !== undefined) out.comment = f.comment
    if (f.partitionBy !== undefined) out.partitionBy = cloneData(f.partitionBy)
    if (f.distribution !== undefined) out.distribution = cloneData(f.distribution)
    if (f.orderBy !== undefined) out.orderBy = cloneData(f.orderBy)
    if (f.refresh !== undefined) out.refresh = cloneData(f.refresh)
    if (f.query !== undefined) out.query = f.query
    if (f.alterableProperties !== undefined) out.alterableProperties = cloneData(f.alterableProperties)
    if (f.renamedFrom !== undefined) out.renamedFrom = f.renamedFrom
    if (f.rebuild !== undefined) out.rebuild = f.rebuild
    // anything else a caller passed (plain JavaScript) is kept, as before
    for (const k of Object.keys(f)) {
      if (!KNOWN_FIELDS.has(k)) {
        const v = (f as Record<string, unknown>)[k]
        if (v !== undefined) Object.defineProperty(out, k, { value: cloneData(v), enumerable: true, writable: true, configurable: true })
      }
    }
    return freezeDeep(out) as unknown as MvDefinition
  },
  /** A copy with some fields replaced; a field set to `undefined` is removed. */
  with(def: MvDefinition, change: { readonly [K in keyof Fields]?: Fields[K] | undefined }): MvDefinition {
    const { kind: _kind, ...rest } = { ...def, ...change }
    return MvDefinition.create(rest as Input)
  },
  /** Rebuild a definition from parsed JSON (e.g. a snapshot file), validating its shape loosely. */
  fromJSON(json: unknown): MvDefinition {
    if (json === null || typeof json !== 'object' || (json as { kind?: unknown }).kind !== 'MvDefinition') {
      throw new TypeError('Not an MvDefinition: expected an object with kind "MvDefinition".')
    }
    const fields = json as MvDefinition
    if (typeof fields.name !== 'string' || typeof fields.query !== 'string') {
      throw new TypeError('Not an MvDefinition: "name" and "query" must be strings.')
    }
    // create sets kind itself and copies every other field (no spread: a generic copy is slow)
    return MvDefinition.create(fields)
  },
}

/** Where an MV stands on a live server (from `information_schema.materialized_views`). */
export interface MvStatus {
  readonly active: boolean
  readonly inactiveReason?: string
  readonly lastRefreshState?: string
  readonly lastRefreshError?: string
  readonly rows?: number
  readonly taskName?: string
  /** When the most recent refresh started and finished (`yyyy-MM-dd HH:mm:ss`, the server's time zone). */
  readonly lastRefreshStartTime?: string
  readonly lastRefreshFinishedTime?: string
  /**
   * Start of the most recent complete successful refresh (`LAST_FRESHNESS_CONFIRMED_AT`), on servers
   * that report it: the MV reflects its base tables as of this moment.
   */
  readonly lastFreshnessConfirmedAt?: string
}
