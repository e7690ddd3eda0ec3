import type { IndexKind, MvDefinition, QualifiedName, RebuildStrategy } from '../../model/index.js'
import type { RenderCreateOptions } from '../../render/index.js'
import type { Column, Sql, SqlReferenceable } from '../../sql/index.js'
import type { IntervalInput } from './interval.js'
import type {
  ColumnsAttr,
  CommentAttr,
  HashAttr,
  InitialMvState,
  MvState,
  OrderByAttr,
  PartitionByAttr,
  PropertiesAttr,
  RandomAttr,
  RebuildAttr,
  RenamedFromAttr,
  SchemaAttr,
  SyncAttr,
} from './mv-state.js'
import type { KnownPropertyName } from '../../render/property-catalog.js'
import type { MvProperties, PropertyEscapeHatch, SessionPropertyName } from './properties.js'
import type { Refusal } from './refusal.js'
import type { StartTime } from './start-time.js'

/** A column of the MV, by name or as a typed table column (its name is used). */
export type ColumnRef = string | Column

/** An entry of the column list: a name, a typed table column (its name is used), or a name with a comment. */
export type MvColumnInput = string | Column | { readonly name: string; readonly comment?: string }

/**
 * A column entry without the fields users bring from table DDL (`type`, `nullable`, ...): the cheap
 * first signature of `.columns()` takes these, so a valid list costs no per-entry check; an entry
 * with such a field falls through to the checked signature, whose error says what to remove.
 */
type PlainColumnInput =
  | string
  | Column
  | {
      readonly name: string
      readonly comment?: string
      readonly type?: never
      readonly dataType?: never
      readonly nullable?: never
      readonly default?: never
    }

/** The message of a column-list entry with fields other than `name` and `comment`. */
export type ColumnFieldMessage<K extends string> =
  `.columns() takes names, typed columns or { name, comment }: "${K}" is not part of an MV's column list (StarRocks takes the types from the query). Remove it.`

/** Each entry of `C` as itself, or, when it has fields besides `name` and `comment`, as its refusal. */
export type CheckedColumns<C extends readonly unknown[]> = {
  readonly [I in keyof C]: C[I] extends string | Column
    ? C[I]
    : [Exclude<keyof C[I], 'name' | 'comment'>] extends [never]
      ? C[I]
      : Refusal<ColumnFieldMessage<Exclude<keyof C[I], 'name' | 'comment'> & string>>
}

/** Options of `.index()`: the kind (`USING`), its properties, a comment. */
export interface IndexOptions {
  readonly using?: IndexKind
  /** The index's properties, e.g. `{ gram_num: 4 }` for NGRAMBF. */
  readonly properties?: Readonly<Record<string, string | number | boolean>>
  readonly comment?: string
}

/** `BUCKETS n` of a distribution. */
export interface DistributionOptions<B extends number | undefined = number | undefined> {
  /** Whole number greater than 0; omitted means StarRocks chooses. */
  readonly buckets?: B
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

/** `.distributedBy.hash(...)` / `.distributedBy.random(...)` of an MV builder without a query. */
export interface DistributedByChain<S = MvState> extends DistributedBySteps {
  /** Type-only: the state of the builder the chain belongs to; not present at run time. */
  readonly [mvState]: S
}
/** The steps of {@link DistributedByChain}, declared once (see {@link MvBuilderSteps}). */
export interface DistributedBySteps {
  /** `DISTRIBUTED BY HASH(cols) [BUCKETS n]`. */
  hash<Ch extends StateCarrier, const C extends ColumnRef | readonly ColumnRef[], const B extends number | undefined = undefined>(
    this: Ch,
    columns: C,
    options?: DistributionOptions<B>,
  ): Ch extends unknown ? MvBuilder<StateOf<Ch> & HashAttr<C, B>, 'async'> : never
  /** `DISTRIBUTED BY RANDOM [BUCKETS n]` (3.1+). */
  random<Ch extends StateCarrier, const B extends number | undefined = undefined>(this: Ch, options?: DistributionOptions<B>): Ch extends unknown ? MvBuilder<StateOf<Ch> & RandomAttr<B>, 'async'> : never
}
/** `.distributedBy.hash(...)` / `.distributedBy.random(...)` of a complete MV. */
export interface CompleteDistributedByChain<S = MvState> extends CompleteDistributedBySteps {
  /** Type-only: the state of the MV the chain belongs to; not present at run time. */
  readonly [mvState]: S
}
/** The steps of {@link CompleteDistributedByChain}, declared once (see {@link MvBuilderSteps}). */
export interface CompleteDistributedBySteps {
  /** `DISTRIBUTED BY HASH(cols) [BUCKETS n]`. */
  hash<Ch extends StateCarrier, const C extends ColumnRef | readonly ColumnRef[], const B extends number | undefined = undefined>(
    this: Ch,
    columns: C,
    options?: DistributionOptions<B>,
  ): Ch extends unknown ? MaterializedView<StateOf<Ch> & HashAttr<C, B>, 'async'> : never
  /** `DISTRIBUTED BY RANDOM [BUCKETS n]` (3.1+). */
  random<Ch extends StateCarrier, const B extends number | undefined = undefined>(this: Ch, options?: DistributionOptions<B>): Ch extends unknown ? MaterializedView<StateOf<Ch> & RandomAttr<B>, 'async'> : never
}

/** The message of a property the catalog does not know, given to `.properties({...})`. */
export type UnknownPropertyMessage<K extends string> =
  `${K} is not a known property: give it through the escape hatch, .properties({}, { unknown: { ${K}: '...' } }) (add alterable: ['${K}'] if ALTER ... SET can change it).`

/** Each key of `P` that is neither a catalog nor a `session.*` property, typed as its refusal (`unknown` when there is none: one check instead of one per key). */
export type KnownProperties<P> = [keyof P] extends [KnownPropertyName | SessionPropertyName]
  ? unknown
  : { readonly [K in Exclude<keyof P, KnownPropertyName | SessionPropertyName>]: Refusal<UnknownPropertyMessage<K & string>> }

/** Whether a builder makes an asynchronous MV (the default) or, after `.sync()`, a synchronous one. */
export type MvKind = 'async' | 'sync'

/** The message of `.refresh` after `.sync()`. */
export type SyncRefreshMessage =
  'A synchronous MV (.sync()) has no REFRESH: StarRocks updates it with every load of its base table. Remove .sync() for an asynchronous MV with a refresh scheme.'

/** The message of `.distributedBy` after `.sync()`. */
export type SyncDistributionMessage =
  'A synchronous MV (.sync()) has no DISTRIBUTED BY: it is stored with its base table. Remove .sync() for an asynchronous MV with its own distribution.'

/**
 * `.refresh` of a synchronous MV: each call is a compile error whose text says why (the methods
 * need a `this` that is the refusal). Shaped like {@link RefreshChain}, so a synchronous MV still
 * goes wherever an MV goes.
 */
export interface SyncRefreshChain<Self> {
  /** @deprecated A synchronous MV (.sync()) has no REFRESH: StarRocks updates it with every load of its base table. Remove .sync() for an asynchronous MV with a refresh scheme. */
  async(this: Refusal<SyncRefreshMessage>, options?: AsyncRefreshOptions): Self
  /** @deprecated A synchronous MV (.sync()) has no REFRESH: StarRocks updates it with every load of its base table. Remove .sync() for an asynchronous MV with a refresh scheme. */
  manual(this: Refusal<SyncRefreshMessage>, options?: ManualRefreshOptions): Self
}

/** `.distributedBy` of a synchronous MV: each call is a compile error whose text says why. */
export interface SyncDistributedByChain<Self> {
  /** @deprecated A synchronous MV (.sync()) has no DISTRIBUTED BY: it is stored with its base table. Remove .sync() for an asynchronous MV with its own distribution. */
  hash(this: Refusal<SyncDistributionMessage>, columns: ColumnRef | readonly ColumnRef[], options?: DistributionOptions): Self
  /** @deprecated A synchronous MV (.sync()) has no DISTRIBUTED BY: it is stored with its base table. Remove .sync() for an asynchronous MV with its own distribution. */
  random(this: Refusal<SyncDistributionMessage>, options?: DistributionOptions): Self
}

/** The message of an MV without a query where a complete MV is needed. */
export type IncompleteMvMessage =
  'This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView.'

/*
 * The builder's state and kind, as type-only members keyed by symbols that exist only in the
 * declarations (the builder objects have no such properties at run time). The methods that record
 * an attribute are declared once, in the non-generic step interfaces below, and read the state of
 * the builder they are called on through `this`: TypeScript then instantiates a step's signature
 * once, with its own arguments and that builder, instead of first with the builder's state and then
 * again with the arguments, which keeps the type-check cost of a long chain low (see
 * bench/README.md, "What the type-check costs").
 */
declare const mvState: unique symbol
declare const mvKind: unique symbol

/** Anything that carries an MV's state as a type-only member: a builder, or its `.distributedBy` chain. */
export interface StateCarrier {
  /** Type-only: the state (see {@link MvState}); not present at run time. */
  readonly [mvState]: unknown
}

/** What a step method needs of the builder it is called on: its state and its kind (type-only). */
export interface MvStateCarrier extends StateCarrier {
  /** Type-only: `'async'` or `'sync'`; not present at run time. */
  readonly [mvKind]: MvKind
}

/** The state carried by `B` (type-only). */
export type StateOf<B extends StateCarrier> = B[typeof mvState]

/** The kind of the builder `B` (type-only). */
export type KindOf<B extends MvStateCarrier> = B[typeof mvKind]

/**
 * The steps of an MV builder without a query that record an immutable attribute. Each returns
 * `B extends unknown ? MvBuilder<StateOf<B> & Attribute, KindOf<B>> : never` for the builder `B`
 * it is called on: distributed over `B`, so a step called on a union of builders returns the union
 * of their next builders, and called on a type parameter (a helper generic in its builder) it
 * reads as the next builder of `B`'s constraint, as the members of a generic type do. (Written out
 * in each signature: a type alias for it costs the type checker about 20 instantiations more per MV.)
 */
export interface MvBuilderSteps {
  /** The database (StarRocks schema) of the MV. */
  schema<B extends MvStateCarrier, const D extends string>(this: B, database: D): B extends unknown ? MvBuilder<StateOf<B> & SchemaAttr<D>, KindOf<B>> : never
  /** The column list: names, or `{ name, comment }` (3.0+). Replaces an earlier list. */
  columns<B extends MvStateCarrier, const C extends readonly PlainColumnInput[]>(this: B, ...columns: C): B extends unknown ? MvBuilder<StateOf<B> & ColumnsAttr<C>, KindOf<B>> : never
  columns<B extends MvStateCarrier, const C extends readonly MvColumnInput[]>(this: B, ...columns: C & NoInfer<CheckedColumns<C>>): B extends unknown ? MvBuilder<StateOf<B> & ColumnsAttr<C>, KindOf<B>> : never
  /** `COMMENT 'text'`. */
  comment<B extends MvStateCarrier, const C extends string>(this: B, text: C): B extends unknown ? MvBuilder<StateOf<B> & CommentAttr<C>, KindOf<B>> : never
  /**
   * `PARTITION BY`: a column name, a typed column, or an expression fragment such as
   * ``sql`date_trunc('day', ${sql.id('order_date')})` ``. Several entries (3.5+) render `PARTITION BY (a, b)`.
   */
  partitionBy<B extends MvStateCarrier, const E extends readonly [ColumnRef | Sql, ...(ColumnRef | Sql)[]]>(this: B, ...expressions: E): B extends unknown ? MvBuilder<StateOf<B> & PartitionByAttr<E>, KindOf<B>> : never
  /** `ORDER BY (cols)`: the sort key (3.0+). */
  orderBy<B extends MvStateCarrier, const C extends readonly [ColumnRef, ...ColumnRef[]]>(this: B, ...columns: C): B extends unknown ? MvBuilder<StateOf<B> & OrderByAttr<C>, KindOf<B>> : never
  /**
   * `PROPERTIES (...)`, merged into earlier ones. Values are typed from the property catalog;
   * `session.*` keys take strings, numbers or booleans; unknown keys only through `escape`.
   */
  properties<B extends MvStateCarrier, const P extends MvProperties>(this: B, properties: P & NoInfer<KnownProperties<P>>, escape?: PropertyEscapeHatch): B extends unknown ? MvBuilder<StateOf<B> & PropertiesAttr<P>, KindOf<B>> : never
  /** Intent for the differ: this MV was previously named `oldName` (rename it rather than drop + create). */
  renamedFrom<B extends MvStateCarrier, const O extends string>(this: B, oldName: O): B extends unknown ? MvBuilder<StateOf<B> & RenamedFromAttr<O>, KindOf<B>> : never
  /**
   * Intent for the differ: rebuild this MV with `strategy` when an immutable attribute changes
   * (`'swap'`: no downtime, StarRocks 3.1+; `'drop-create'`: the data is dropped and refreshed
   * again). It also acknowledges, for `defineSchema`, a change to a deployed MV.
   */
  rebuild<B extends MvStateCarrier, const R extends RebuildStrategy>(this: B, strategy: R): B extends unknown ? MvBuilder<StateOf<B> & RebuildAttr<R>, KindOf<B>> : never
}

/** The steps of a complete MV that record an immutable attribute (each returns a complete MV). */
export interface MaterializedViewSteps {
  /** The database (StarRocks schema) of the MV. */
  schema<B extends MvStateCarrier, const D extends string>(this: B, database: D): B extends unknown ? MaterializedView<StateOf<B> & SchemaAttr<D>, KindOf<B>> : never
  /** The column list: names, or `{ name, comment }` (3.0+). Replaces an earlier list. */
  columns<B extends MvStateCarrier, const C extends readonly PlainColumnInput[]>(this: B, ...columns: C): B extends unknown ? MaterializedView<StateOf<B> & ColumnsAttr<C>, KindOf<B>> : never
  columns<B extends MvStateCarrier, const C extends readonly MvColumnInput[]>(this: B, ...columns: C & NoInfer<CheckedColumns<C>>): B extends unknown ? MaterializedView<StateOf<B> & ColumnsAttr<C>, KindOf<B>> : never
  /** `COMMENT 'text'`. */
  comment<B extends MvStateCarrier, const C extends string>(this: B, text: C): B extends unknown ? MaterializedView<StateOf<B> & CommentAttr<C>, KindOf<B>> : never
  /** `PARTITION BY`: a column name, a typed column, or an expression fragment. */
  partitionBy<B extends MvStateCarrier, const E extends readonly [ColumnRef | Sql, ...(ColumnRef | Sql)[]]>(this: B, ...expressions: E): B extends unknown ? MaterializedView<StateOf<B> & PartitionByAttr<E>, KindOf<B>> : never
  /** `ORDER BY (cols)`: the sort key (3.0+). */
  orderBy<B extends MvStateCarrier, const C extends readonly [ColumnRef, ...ColumnRef[]]>(this: B, ...columns: C): B extends unknown ? MaterializedView<StateOf<B> & OrderByAttr<C>, KindOf<B>> : never
  /** `PROPERTIES (...)`, merged into earlier ones. */
  properties<B extends MvStateCarrier, const P extends MvProperties>(this: B, properties: P & NoInfer<KnownProperties<P>>, escape?: PropertyEscapeHatch): B extends unknown ? MaterializedView<StateOf<B> & PropertiesAttr<P>, KindOf<B>> : never
  /** Intent for the differ: this MV was previously named `oldName`. */
  renamedFrom<B extends MvStateCarrier, const O extends string>(this: B, oldName: O): B extends unknown ? MaterializedView<StateOf<B> & RenamedFromAttr<O>, KindOf<B>> : never
  /** Intent for the differ: rebuild this MV with `strategy` when an immutable attribute changes; acknowledges a change to a deployed MV for `defineSchema`. */
  rebuild<B extends MvStateCarrier, const R extends RebuildStrategy>(this: B, strategy: R): B extends unknown ? MaterializedView<StateOf<B> & RebuildAttr<R>, KindOf<B>> : never
}

/**
 * An MV builder without a query: not yet a {@link MaterializedView}. Every method returns a new
 * frozen builder. `S` records the literal arguments of the immutable attributes (see
 * {@link MvState}), which `defineSchema` compares with the deployed MVs; the steps that record them
 * come from {@link MvBuilderSteps}.
 */
export interface MvBuilder<S = MvState, K extends MvKind = MvKind> extends SqlReferenceable, MvBuilderSteps {
  /** Type-only: the state (see {@link MvState}); not present at run time. */
  readonly [mvState]: S
  /** Type-only: the kind; not present at run time. */
  readonly [mvKind]: K
  /** The MV's name and database. */
  readonly qualifiedName: QualifiedName
  /**
   * `INDEX name (cols) [USING kind [(properties)]] [COMMENT '...']` in the column list, after the
   * columns (3.1+; needs `.columns(...)`). Replaces an earlier index of the same name. A change is a rebuild.
   */
  index(name: string, columns: ColumnRef | readonly ColumnRef[], options?: IndexOptions): MvBuilder<S, K>
  /** `DISTRIBUTED BY ...` (after `.sync()`, a compile error: a synchronous MV has none). */
  readonly distributedBy: [K] extends ['sync'] ? SyncDistributedByChain<MvBuilder<S, K>> : DistributedByChain<S>
  /** `REFRESH ...` (alterable: not recorded; after `.sync()`, a compile error: a synchronous MV has none). */
  readonly refresh: [K] extends ['sync'] ? SyncRefreshChain<MvBuilder<S, K>> : RefreshChain<MvBuilder<S, K>>
  /** A synchronous MV (rollup of one table): no REFRESH, no DISTRIBUTED BY, no PARTITION BY, no ORDER BY, no column list. */
  sync(): MvBuilder<S & SyncAttr, 'sync'>
  /** The defining query: a `sql` fragment (its table and MV references become dependencies) or plain text. */
  as(query: Sql | string): MaterializedView<S, K>
  /** @deprecated This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView. */
  readonly definition: Refusal<IncompleteMvMessage>
  /** @deprecated This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView. */
  readonly toSQL: Refusal<IncompleteMvMessage>
}

/** A complete MV (a builder with `.as(...)`): renders its CREATE statement and holds its definition; the steps that record an attribute come from {@link MaterializedViewSteps}. */
export interface MaterializedView<S = MvState, K extends MvKind = MvKind> extends SqlReferenceable, MaterializedViewSteps {
  /** Type-only: the state (see {@link MvState}); not present at run time. */
  readonly [mvState]: S
  /** Type-only: the kind; not present at run time. */
  readonly [mvKind]: K
  /** The MV's name and database. */
  readonly qualifiedName: QualifiedName
  /** An index in the column list, after the columns (3.1+; needs `.columns(...)`). */
  index(name: string, columns: ColumnRef | readonly ColumnRef[], options?: IndexOptions): MaterializedView<S, K>
  /** `DISTRIBUTED BY ...` (after `.sync()`, a compile error). */
  readonly distributedBy: [K] extends ['sync'] ? SyncDistributedByChain<MaterializedView<S, K>> : CompleteDistributedByChain<S>
  /** `REFRESH ...` (alterable: not recorded; after `.sync()`, a compile error). */
  readonly refresh: [K] extends ['sync'] ? SyncRefreshChain<MaterializedView<S, K>> : RefreshChain<MaterializedView<S, K>>
  /** A synchronous MV (rollup of one table). */
  sync(): MaterializedView<S & SyncAttr, 'sync'>
  /** A new query (replaces the earlier one). */
  as(query: Sql | string): MaterializedView<S, K>
  /** The MV as plain frozen data (validated). */
  readonly definition: MvDefinition
  /** The CREATE MATERIALIZED VIEW statement for a version (default 3.5). */
  toSQL(options?: RenderCreateOptions): string
}

/** Any MV builder, complete or not. */
export type MvChain<S = MvState> = MvBuilder<S> | MaterializedView<S>

/** The builder `mv(name)` returns. */
export type NewMvBuilder<Name extends string> = MvBuilder<InitialMvState<Name>, 'async'>
