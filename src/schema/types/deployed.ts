import type { KnownPropertyName, PROPERTY_CATALOG } from '../../render/property-catalog.js'
import type { CreateOnlyPropertyName } from './properties.js'
import type { MaterializedView } from './mv-builder.js'
import type { BucketsText, ColumnsText, CommentText, DistributionText, InitialMvState, MvState, OrderByText, PartitionText } from './mv-state.js'

declare global {
  /**
   * The materialized views of the latest migration's snapshot, keyed by qualified name
   * (`db.name`, or `name` for an MV without a database). `srmv generate` and `srmv types` write it
   * to `migrations/deployed.d.ts` as a global augmentation, so it applies however the schema
   * module imports the package (by name, by a relative path, from ESM or CommonJS). Empty without
   * that file: then nothing is checked.
   */
  interface StarRocksMvDeployed {}
}

/**
 * One deployed MV as `migrations/deployed.d.ts` records it. `written` says how a schema module that
 * has not changed it writes it (the quick check: a builder state that fits is unchanged); the other attributes are text in the differ's terms, compared when the quick check fails:
 *
 * - `columns`, `partitionBy`, `orderBy`: `'none'`, or `'(a, b)'` with identifiers lower-cased;
 *   a column with a comment reads `a COMMENT 'text'`.
 * - `comment`: `'none'` or `"'text'"`.
 * - `distribution`: `'RANDOM'` or `'HASH(a, b)'`; `buckets`: `'auto'` or `'8'`.
 * - `properties`: the create-only properties as StarRocks stores them (alterable ones are left out:
 *   changing them is an ALTER).
 */
export interface DeployedMv {
  readonly name: string
  readonly schema?: string
  readonly written: DeployedWritten
  readonly sync: 'sync' | 'async'
  readonly columns: string
  readonly comment: string
  readonly partitionBy: string
  readonly distribution: string
  readonly buckets: string
  readonly orderBy: string
  readonly properties: { readonly [key: string]: string }
  /** `sha256:` of the query's canonical text: TypeScript cannot read a `sql` fragment's text, so the query is not checked at compile time. */
  readonly queryHash: string
  /**
   * Present (`true`) when the configured StarRocks version is 4.2 or newer and the MV is
   * asynchronous: a column list that only gains one column at the end, or loses one, may then be
   * `ALTER ... ADD COLUMN` / `DROP COLUMN`, so it is not reported here (`srmv generate` decides,
   * with the query in hand).
   */
  readonly columnsAlterable?: true
}

/**
 * How a schema module that left a deployed MV unchanged writes each attribute, as the builder
 * records it (see {@link MvState}); an optional attribute may be left out.
 */
export interface DeployedWritten {
  readonly sync?: unknown
  readonly columns?: unknown
  readonly comment?: unknown
  readonly partitionBy?: unknown
  readonly distribution?: unknown
  readonly buckets?: unknown
  readonly orderBy?: unknown
  /** The create-only properties: the deployed values that are not the default must be given, the defaults may be. */
  readonly properties?: unknown
}

/** The deployed MVs (empty unless `migrations/deployed.d.ts` is part of the program). */
export type DeployedMaterializedViews = StarRocksMvDeployed

type Deployed = StarRocksMvDeployed
type Catalog = typeof PROPERTY_CATALOG

/** Attribute `K` of a state: `Missing` when not set, `Twice` when set twice on one chain. */
type Read<S, K extends keyof MvState, Missing, Twice = unknown> = K extends keyof S ? ([S[K]] extends [never] ? Twice : S[K]) : Missing

/** The qualified key of a state, or `string` when its name or database is not a literal. */
type KeyText<N, D> = N extends string ? (string extends N ? string : [D] extends [never] ? N : D extends string ? (string extends D ? string : `${D}.${N}`) : string) : string

/** The deployed key the state is compared with: its own, else the one `.renamedFrom()` names. */
type DeployedKeyOf<S, K extends string> = K extends keyof Deployed
  ? K
  : Read<S, 'renamedFrom', never> extends infer O extends string
    ? O extends `${string}.${string}`
      ? O & keyof Deployed
      : KeyText<O, S['schema' & keyof S]> & keyof Deployed
    : never

/** True when the two texts cannot be equal (an unknown side never differs). */
type Differs<A, B> = [A & B] extends [never] ? true : false

/** The server's default of a create-only property, as text. */
type DefaultText<K> = K extends KnownPropertyName
  ? Catalog[K] extends { readonly default: infer D }
    ? D extends string ? D : string
    : 'none'
  : string

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S

/** A property value as text, as the differ compares it (`string` when not a literal). */
type ValueText<V, K> = [V] extends [never]
  ? string
  : V extends undefined
    ? DefaultText<K>
    : V extends string | number | boolean
      ? string extends V ? string : number extends V ? string : Trim<`${V}`>
      : string

/** The value text of create-only property `K` in the properties `P`: its default when absent. */
type UserProperty<P, K> = K extends keyof P ? ValueText<Exclude<P[K], undefined>, K> : DefaultText<K>
type DeployedProperty<D, K> = K extends keyof D ? D[K] : DefaultText<K>
type PropertyKeys<P, D> = (keyof D | (keyof P & CreateOnlyPropertyName)) & string

type ChangedProperties<P, D> = {
  [K in PropertyKeys<P, D>]: Differs<UserProperty<P, K>, DeployedProperty<D, K>> extends true ? K : never
}[PropertyKeys<P, D>]

/** The ways out, in every message. */
export type DeployedWaysOut = "Add .rebuild('swap') or .rebuild('drop-create'), or give it a new name without .renamedFrom() (a new MV; the old is dropped)."

/**
 * The compile error of an MV whose immutable attribute differs from the deployed one. The fixed part
 * comes first and the values last: TypeScript cuts a type's text after about 320 characters.
 */
export type DeployedChangeMessage<Mv extends string, Attribute extends string, From, To> =
  `${Mv}: ${Attribute} changed, and StarRocks cannot ALTER it. ${DeployedWaysOut} Deployed: ${From & string}; new: ${To & string}.`

type WithBuckets<D, B> = B extends 'auto' ? D : `${D & string} BUCKETS ${B & string}`

/** Attribute texts of a state, as {@link DeployedMv} has them. */
type SyncOf<S> = Read<S, 'sync', 'async', string>
type ColumnsOf<S> = Read<S, 'columns', 'none', string> extends infer C ? (C extends readonly unknown[] ? ColumnsText<C> : C) : never
type CommentOf<S> = CommentText<Read<S, 'comment', '', string>>
type PartitionOf<S> = Read<S, 'partitionBy', 'none', string> extends infer E ? (E extends readonly unknown[] ? PartitionText<E> : E) : never
type DistributionOf<S> = DistributionText<Read<S, 'distribution', readonly ['random'], string>>
type BucketsOf<S> = BucketsText<Read<S, 'buckets', undefined, string>>
type OrderByOf<S> = Read<S, 'orderBy', 'none', string> extends infer C ? (C extends readonly unknown[] ? OrderByText<C> : C) : never
type PropertiesOf<S> = Read<S, 'properties', {}, never>

/** `'(a, b)'` as `['a', 'b']`. */
type SplitEntries<T extends string> = T extends `${infer H}, ${infer R}` ? [H, ...SplitEntries<R>] : [T]
type ColumnEntries<T> = T extends `(${infer I})` ? SplitEntries<I> : never

/** `New` is `Old` with one entry removed. */
type OneRemoved<Old extends readonly string[], New extends readonly string[]> = Old extends readonly [infer H, ...infer T extends string[]]
  ? [T] extends [New]
    ? [New] extends [T]
      ? true
      : New extends readonly [H, ...infer NT extends string[]] ? OneRemoved<T, NT> : false
    : New extends readonly [H, ...infer NT extends string[]] ? OneRemoved<T, NT> : false
  : false

/** A column list change StarRocks 4.2+ may ALTER: one column appended, or one removed. */
type ColumnsAlterable<New, D extends DeployedMv> = D['columnsAlterable'] extends true
  ? ColumnEntries<New> extends infer N extends string[]
    ? ColumnEntries<D['columns']> extends infer O extends string[]
      ? N extends readonly [...O, string]
        ? true
        : OneRemoved<O, N>
      : false
    : false
  : false

/** The column list differs, and not in a way the configured version can ALTER. */
type ColumnsChanged<S, D extends DeployedMv> = Differs<ColumnsOf<S>, D['columns']> extends true
  ? ColumnsAlterable<ColumnsOf<S>, D> extends true ? false : true
  : false

/** The message of the first immutable attribute in which `S` differs from `D` (`never` when none). */
type Conflict<S, D extends DeployedMv, Mv extends string> =
  Differs<SyncOf<S>, D['sync']> extends true
    ? DeployedChangeMessage<Mv, 'the kind (sync or async)', D['sync'], SyncOf<S>>
    : ColumnsChanged<S, D> extends true
      ? DeployedChangeMessage<Mv, 'the column list', D['columns'], ColumnsOf<S>>
      : Differs<CommentOf<S>, D['comment']> extends true
        ? DeployedChangeMessage<Mv, 'COMMENT', D['comment'], CommentOf<S>>
        : Differs<PartitionOf<S>, D['partitionBy']> extends true
          ? DeployedChangeMessage<Mv, 'PARTITION BY', D['partitionBy'], PartitionOf<S>>
          : D['sync'] extends 'sync'
            ? OrderAndProperties<S, D, Mv>
            : Differs<DistributionOf<S>, D['distribution']> extends true
              ? DeployedChangeMessage<Mv, 'DISTRIBUTED BY', WithBuckets<D['distribution'], D['buckets']>, WithBuckets<DistributionOf<S>, BucketsOf<S>>>
              : Differs<BucketsOf<S>, D['buckets']> extends true
                ? DeployedChangeMessage<Mv, 'BUCKETS', D['buckets'], BucketsOf<S>>
                : OrderAndProperties<S, D, Mv>

type OrderAndProperties<S, D extends DeployedMv, Mv extends string> =
  Differs<OrderByOf<S>, D['orderBy']> extends true
    ? DeployedChangeMessage<Mv, 'ORDER BY', D['orderBy'], OrderByOf<S>>
    : [PropertiesOf<S>] extends [never]
      ? never
      : ChangedProperties<PropertiesOf<S>, D['properties']> extends infer K extends string
        ? [K] extends [never]
          ? never
          : K extends string
            ? DeployedChangeMessage<Mv, `the create-only property ${K}`, DeployedProperty<D['properties'], K>, UserProperty<PropertiesOf<S>, K>>
            : never
        : never

/**
 * The message of the first immutable attribute in which the MV with state `S` differs from the
 * deployed MV of the same name (or of its `.renamedFrom()` name), else `never`. An MV marked
 * `.rebuild(...)`, a new MV, and attributes the type checker cannot see are never reported. The
 * quick check against the deployed `written` shape comes first: an unchanged MV costs one lookup
 * by its key (`db.name`, or `name`) and one comparison.
 */
export type DeployedConflict<S extends InitialMvState<string>> = EntryConflict<S>

/** The quick check: the state fits how an unchanged MV is written. */
type Unchanged<S, D> = [S] extends [D['written' & keyof D]] ? true : false

/** A new name with `.renamedFrom(old)`: compared with the deployed MV of the old name. */
type Renamed<S, K extends string> = 'renamedFrom' extends keyof S
  ? DeployedKeyOf<S, K> extends infer DK extends keyof Deployed
    ? [DK] extends [never]
      ? never
      : Deployed[DK] extends infer D extends DeployedMv
        ? Unchanged<S, D> extends true
          ? never
          : Conflict<S, D, `${K} (renamed from ${DK & string})`>
        : never
    : never
  : never

/**
 * The conflict of one entry of a schema: an MV's, else `never` (a table or view has no state).
 * Distributed over a union of MVs, each compared with its own deployed MV. The state is inferred
 * from the MV's type, so that for an entry whose type is a type parameter (`defineSchema` called
 * from a helper generic in its MVs) nothing can be inferred and nothing is refused: MVs passed
 * through such a helper are compared by `srmv generate`, not at compile time.
 */
type ConflictOf<V> = V extends MaterializedView<infer S, infer _K> ? EntryConflict<S> : never

/**
 * {@link DeployedConflict} of any state, by its key (`db.name`, or `name` without a database), built
 * without `infer`: an `infer` gives a conditional type a combined mapper, through which the type
 * checker would walk the whole state again.
 */
type EntryConflict<S> = KeyedConflict<S, QualifiedKey<S['schema' & keyof S], S['name' & keyof S]>>

/** `db.name`, or `name` when there is no database. */
type QualifiedKey<D, N> = [D] extends [never] ? N : `${D & string}.${N & string}`

/** {@link EntryConflict} once the key `K` is known. */
type KeyedConflict<S, K> = K extends keyof Deployed
  ? S extends Deployed[K]['written']
    ? never
    : 'rebuild' extends keyof S
      ? never
      : Deployed[K] extends infer D extends DeployedMv
        ? Conflict<S, D, K & string>
        : never
  : 'rebuild' extends keyof S
    ? never
    : Renamed<S, K & string>

/**
 * The argument `defineSchema` checks: `T` itself, unless an MV in it conflicts with the deployed
 * declaration; then every conflicting entry is typed as its {@link DeployedChangeMessage}, so
 * passing it is a compile error at that entry that reads the message. Without a declaration
 * nothing is computed.
 */
export type DeployedChecked<T> = [keyof StarRocksMvDeployed] extends [never]
  ? T
  : [ConflictOf<T[keyof T]>] extends [never]
    ? T
    : { readonly [K in keyof T]: [ConflictOf<T[K]>] extends [never] ? T[K] : ConflictOf<T[K]> }
