import type { MvDefinition, QualifiedName, RebuildStrategy } from '../../model/index.js'
import type { RenderCreateOptions } from '../../render/index.js'
import type { Column, Sql, SqlReferenceable } from '../../sql/index.js'
import type { IntervalInput } from './interval.js'
import type { MvProperties, PropertyEscapeHatch } from './properties.js'
import type { Refusal } from './refusal.js'
import type { StartTime } from './start-time.js'

/** A column of the MV, by name or as a typed table column (its name is used). */
export type ColumnRef = string | Column

/** An entry of the column list: a name, or a name with a comment. */
export type MvColumnInput = string | { readonly name: string; readonly comment?: string }

/** `BUCKETS n` of a distribution. */
export interface DistributionOptions {
  /** Whole number greater than 0; omitted means StarRocks chooses. */
  readonly buckets?: number
}

/** Options of `.refresh.async(...)`. */
export interface AsyncRefreshOptions {
  /** First refresh time (needs `every`). */
  readonly start?: StartTime
  /** Refresh period; without it the MV refreshes when its base tables load data. */
  readonly every?: IntervalInput
  /** `REFRESH DEFERRED`: no refresh at creation (3.0+). */
  readonly deferred?: boolean
}

/** Options of `.refresh.manual(...)`. */
export interface ManualRefreshOptions {
  /** `REFRESH DEFERRED MANUAL`: no refresh at creation (3.0+). */
  readonly deferred?: boolean
}

/** `.refresh.async(...)` / `.refresh.manual(...)`. */
export interface RefreshChain<Self> {
  /** `REFRESH [DEFERRED] ASYNC [START(..)] [EVERY(INTERVAL ..)]` (keywords per target version). */
  async(options?: AsyncRefreshOptions): Self
  /** `REFRESH [DEFERRED] MANUAL`. */
  manual(options?: ManualRefreshOptions): Self
}

/** `.distributedBy.hash(...)` / `.distributedBy.random(...)`. */
export interface DistributedByChain<Self> {
  /** `DISTRIBUTED BY HASH(cols) [BUCKETS n]`. */
  hash(columns: ColumnRef | readonly ColumnRef[], options?: DistributionOptions): Self
  /** `DISTRIBUTED BY RANDOM [BUCKETS n]` (3.1+). */
  random(options?: DistributionOptions): Self
}

/** The message of an MV without a query where a complete MV is needed. */
export type IncompleteMvMessage =
  'This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView.'

/** The methods every MV builder has; each returns a new frozen builder (`Self`). */
export interface MvChain<Self> extends SqlReferenceable {
  /** The MV's name and database. */
  readonly qualifiedName: QualifiedName
  /** The database (StarRocks schema) of the MV. */
  schema(database: string): Self
  /** The column list: names, or `{ name, comment }` (3.0+). Replaces an earlier list. */
  columns(...columns: readonly MvColumnInput[]): Self
  /** `COMMENT 'text'`. */
  comment(text: string): Self
  /**
   * `PARTITION BY`: a column name, a typed column, or an expression fragment such as
   * ``sql`date_trunc('day', ${sql.id('order_date')})` ``. Several entries (3.5+) render `PARTITION BY (a, b)`.
   */
  partitionBy(...expressions: readonly [ColumnRef | Sql, ...(ColumnRef | Sql)[]]): Self
  /** `DISTRIBUTED BY ...`. */
  readonly distributedBy: DistributedByChain<Self>
  /** `ORDER BY (cols)`: the sort key (3.0+). */
  orderBy(...columns: readonly [ColumnRef, ...ColumnRef[]]): Self
  /** `REFRESH ...`. */
  readonly refresh: RefreshChain<Self>
  /**
   * `PROPERTIES (...)`, merged into earlier ones. Values are typed from the property catalog;
   * `session.*` keys take strings, numbers or booleans; unknown keys only through `escape`.
   */
  properties(properties: MvProperties, escape?: PropertyEscapeHatch): Self
  /** A synchronous MV (rollup of one table): no REFRESH, no DISTRIBUTED BY, no PARTITION BY, no ORDER BY, no column list. */
  sync(): Self
  /** Intent for the differ: this MV was previously named `oldName` (rename it rather than drop + create). */
  renamedFrom(oldName: string): Self
  /** Intent for the differ: rebuild this MV with `strategy` when an immutable attribute changes. */
  rebuild(strategy: RebuildStrategy): Self
  /** The defining query: a `sql` fragment (its table and MV references become dependencies) or plain text. */
  as(query: Sql | string): MaterializedView
}

/** An MV builder without a query: not yet a {@link MaterializedView}. */
export interface MvBuilder extends MvChain<MvBuilder> {
  /** @deprecated This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView. */
  readonly definition: Refusal<IncompleteMvMessage>
  /** @deprecated This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView. */
  readonly toSQL: Refusal<IncompleteMvMessage>
}

/** A complete MV (a builder with `.as(...)`): renders its CREATE statement and holds its definition. */
export interface MaterializedView extends MvChain<MaterializedView> {
  /** The MV as plain frozen data (validated). */
  readonly definition: MvDefinition
  /** The CREATE MATERIALIZED VIEW statement for a version (default 3.5). */
  toSQL(options?: RenderCreateOptions): string
}
