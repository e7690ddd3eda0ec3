import type { MvDefinition, QualifiedName, RebuildStrategy } from '../../model/index.js'
import type { RenderCreateOptions } from '../../render/index.js'
import type { Column, Sql, SqlReferenceable } from '../../sql/index.js'
import type { IntervalInput } from './interval.js'
import type { BucketsText, ColumnsText, CommentText, HashText, MvState, NameText, OrderByText, PartitionText, PutState } from './mv-state.js'
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

/** The builder that follows a call: complete (a {@link MaterializedView}) or not, with the new state. */
export type NextMv<Complete extends boolean, S extends MvState> = Complete extends true ? MaterializedView<S> : MvBuilder<S>

/** `.distributedBy.hash(...)` / `.distributedBy.random(...)`. */
export interface DistributedByChain<S extends MvState = MvState, Complete extends boolean = boolean> {
  /** `DISTRIBUTED BY HASH(cols) [BUCKETS n]`. */
  hash<const C extends ColumnRef | readonly ColumnRef[], const O extends DistributionOptions = {}>(
    columns: C,
    options?: O,
  ): NextMv<Complete, PutDistribution<S, HashText<C>, BucketsText<O>>>
  /** `DISTRIBUTED BY RANDOM [BUCKETS n]` (3.1+). */
  random<const O extends DistributionOptions = {}>(options?: O): NextMv<Complete, PutDistribution<S, 'RANDOM', BucketsText<O>>>
}

type PutDistribution<S extends MvState, D extends string, B extends string> = PutState<PutState<S, 'distribution', D>, 'buckets', B>

/** Properties given to a later `.properties()` call replace earlier values of the same keys. */
export type MergeProperties<A, B> = {} extends A ? B : Omit<A, keyof B> & B

/** The message of a property the catalog does not know, given to `.properties({...})`. */
export type UnknownPropertyMessage<K extends string> =
  `${K} is not a known property: give it through the escape hatch, .properties({}, { unknown: { ${K}: '...' } }) (add alterable: ['${K}'] if ALTER ... SET can change it).`

/** The properties `.properties()` takes, with each key the catalog does not know typed as its refusal. */
export type KnownProperties<P> = { readonly [K in keyof P]: K extends keyof MvProperties ? P[K] : UnknownPropertyMessage<K & string> }

/** The message of an MV without a query where a complete MV is needed. */
export type IncompleteMvMessage =
  'This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView.'

/**
 * The methods every MV builder has; each returns a new frozen builder. `S` records the immutable
 * attributes written as literals (see {@link MvState}), which `defineSchema` compares with the
 * deployed MVs; `Complete` is whether `.as(...)` was called.
 */
export interface MvChain<S extends MvState = MvState, Complete extends boolean = boolean> extends SqlReferenceable {
  /** The MV's name and database. */
  readonly qualifiedName: QualifiedName
  /** The database (StarRocks schema) of the MV. */
  schema<const D extends string>(database: D): NextMv<Complete, PutState<S, 'schema', NameText<D>>>
  /** The column list: names, or `{ name, comment }` (3.0+). Replaces an earlier list. */
  columns<const C extends readonly MvColumnInput[]>(...columns: C): NextMv<Complete, PutState<S, 'columns', ColumnsText<C>>>
  /** `COMMENT 'text'`. */
  comment<const C extends string>(text: C): NextMv<Complete, PutState<S, 'comment', CommentText<C>>>
  /**
   * `PARTITION BY`: a column name, a typed column, or an expression fragment such as
   * ``sql`date_trunc('day', ${sql.id('order_date')})` ``. Several entries (3.5+) render `PARTITION BY (a, b)`.
   */
  partitionBy<const E extends readonly [ColumnRef | Sql, ...(ColumnRef | Sql)[]]>(...expressions: E): NextMv<Complete, PutState<S, 'partitionBy', PartitionText<E>>>
  /** `DISTRIBUTED BY ...`. */
  readonly distributedBy: DistributedByChain<S, Complete>
  /** `ORDER BY (cols)`: the sort key (3.0+). */
  orderBy<const C extends readonly [ColumnRef, ...ColumnRef[]]>(...columns: C): NextMv<Complete, PutState<S, 'orderBy', OrderByText<C>>>
  /** `REFRESH ...` (alterable: not part of the state). */
  readonly refresh: RefreshChain<NextMv<Complete, S>>
  /**
   * `PROPERTIES (...)`, merged into earlier ones. Values are typed from the property catalog;
   * `session.*` keys take strings, numbers or booleans; unknown keys only through `escape`.
   */
  properties<const P extends MvProperties>(
    properties: KnownProperties<P>,
    escape?: PropertyEscapeHatch,
  ): NextMv<Complete, PutState<S, 'properties', MergeProperties<S['properties'], P>>>
  /** A synchronous MV (rollup of one table): no REFRESH, no DISTRIBUTED BY, no PARTITION BY, no ORDER BY, no column list. */
  sync(): NextMv<Complete, PutState<S, 'sync', 'sync'>>
  /** Intent for the differ: this MV was previously named `oldName` (rename it rather than drop + create). */
  renamedFrom<const O extends string>(oldName: O): NextMv<Complete, PutState<S, 'renamedFrom', NameText<O>>>
  /**
   * Intent for the differ: rebuild this MV with `strategy` when an immutable attribute changes.
   * It also acknowledges, for `defineSchema`, a change to an immutable attribute of a deployed MV.
   */
  rebuild<const R extends RebuildStrategy>(strategy: R): NextMv<Complete, PutState<S, 'rebuild', R>>
  /** The defining query: a `sql` fragment (its table and MV references become dependencies) or plain text. */
  as(query: Sql | string): MaterializedView<S>
}

/** An MV builder without a query: not yet a {@link MaterializedView}. */
export interface MvBuilder<S extends MvState = MvState> extends MvChain<S, false> {
  /** @deprecated This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView. */
  readonly definition: Refusal<IncompleteMvMessage>
  /** @deprecated This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView. */
  readonly toSQL: Refusal<IncompleteMvMessage>
}

/** A complete MV (a builder with `.as(...)`): renders its CREATE statement and holds its definition. */
export interface MaterializedView<S extends MvState = MvState> extends MvChain<S, true> {
  /** The MV as plain frozen data (validated). */
  readonly definition: MvDefinition
  /** The CREATE MATERIALIZED VIEW statement for a version (default 3.5). */
  toSQL(options?: RenderCreateOptions): string
}
