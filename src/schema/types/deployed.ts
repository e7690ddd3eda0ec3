import type { KnownPropertyName, PROPERTY_CATALOG } from '../../render/property-catalog.js'
import type { MaterializedView } from './mv-builder.js'
import type { MvState } from './mv-state.js'
import type { CreateOnlyPropertyName } from './properties.js'

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
 * One deployed MV as `migrations/deployed.d.ts` records it: its immutable attributes as text (see
 * {@link MvState} for the forms), its create-only properties as StarRocks stores them, and a hash
 * of its query.
 */
export interface DeployedMv {
  readonly name: string
  readonly schema?: string
  readonly sync: 'sync' | 'async'
  readonly columns: string
  readonly comment: string
  readonly partitionBy: string
  readonly distribution: string
  readonly buckets: string
  readonly orderBy: string
  /** Create-only properties (alterable ones are not recorded: changing them is an ALTER). */
  readonly properties: { readonly [key: string]: string }
  /** `sha256:` of the query's canonical text: TypeScript cannot read a `sql` fragment's text, so the query is not checked at compile time. */
  readonly queryHash: string
}

/** The deployed MVs (empty unless `migrations/deployed.d.ts` is part of the program). */
export type DeployedMaterializedViews = StarRocksMvDeployed

type Deployed = StarRocksMvDeployed
type Catalog = typeof PROPERTY_CATALOG

/** The qualified key of a state, or `string` when its name or database is not a literal. */
type KeyOf<S extends MvState> = string extends S['name']
  ? string
  : S['schema'] extends undefined
    ? S['name']
    : S['schema'] extends string
      ? string extends S['schema'] ? string : `${S['schema']}.${S['name']}`
      : string

/** The deployed key the state is compared with: its own, else the one `.renamedFrom()` names. */
type DeployedKeyOf<S extends MvState, K extends string> = K extends keyof Deployed
  ? K
  : S['renamedFrom'] extends string
    ? S['renamedFrom'] extends `${string}.${string}`
      ? S['renamedFrom'] extends keyof Deployed ? S['renamedFrom'] : never
      : (S['schema'] extends string ? `${S['schema']}.${S['renamedFrom']}` : S['renamedFrom']) extends infer O extends keyof Deployed
        ? O
        : never
    : never

/** True when the two texts cannot be equal (one side unknown never differs). */
type Differs<A, B> = [A & B] extends [never] ? true : false

/** The server's default of a create-only property, as text. */
type DefaultText<K> = K extends KnownPropertyName
  ? Catalog[K] extends { readonly default: infer D }
    ? D extends string ? D : string
    : 'none'
  : string

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S

/** A property value as text (`string` when not a literal). */
type ValueText<V, K> = [V] extends [never]
  ? string
  : V extends undefined
    ? DefaultText<K>
    : V extends string | number | boolean
      ? string extends V ? string : number extends V ? string : Trim<`${V}`>
      : string

type UserProperty<P, K> = K extends keyof P ? ValueText<P[K], K> : DefaultText<K>
type DeployedProperty<D, K> = K extends keyof D ? D[K] : DefaultText<K>

type ChangedProperties<P, D> = {
  [K in (keyof D | (keyof P & CreateOnlyPropertyName)) & string]: Differs<UserProperty<P, K>, DeployedProperty<D, K>> extends true ? K : never
}[(keyof D | (keyof P & CreateOnlyPropertyName)) & string]

/** The ways out, in every message. */
export type DeployedWaysOut = "Add .rebuild('swap') or .rebuild('drop-create'), or give it a new name without .renamedFrom() (a new MV; the old is dropped)."

/**
 * The compile error of an MV whose immutable attribute differs from the deployed one. The fixed part
 * comes first and the values last: TypeScript cuts a type's text after about 320 characters.
 */
export type DeployedChangeMessage<Mv extends string, Attribute extends string, From extends string, To extends string> =
  `${Mv}: ${Attribute} changed, and StarRocks cannot ALTER it. ${DeployedWaysOut} Deployed: ${From}; new: ${To}.`

type DistributionText<D, B> = B extends 'auto' ? D : `${D & string} BUCKETS ${B & string}`

type Conflict<S extends MvState, D extends DeployedMv, Mv extends string> =
  Differs<S['sync'], D['sync']> extends true
    ? DeployedChangeMessage<Mv, 'the kind (sync or async)', D['sync'], S['sync']>
    : Differs<S['columns'], D['columns']> extends true
      ? DeployedChangeMessage<Mv, 'the column list', D['columns'], S['columns']>
      : Differs<S['comment'], D['comment']> extends true
        ? DeployedChangeMessage<Mv, 'COMMENT', D['comment'], S['comment']>
        : Differs<S['partitionBy'], D['partitionBy']> extends true
          ? DeployedChangeMessage<Mv, 'PARTITION BY', D['partitionBy'], S['partitionBy']>
          : D['sync'] extends 'sync'
            ? OrderAndProperties<S, D, Mv>
            : Differs<S['distribution'], D['distribution']> extends true
              ? DeployedChangeMessage<Mv, 'DISTRIBUTED BY', DistributionText<D['distribution'], D['buckets']>, DistributionText<S['distribution'], S['buckets']>>
              : Differs<S['buckets'], D['buckets']> extends true
                ? DeployedChangeMessage<Mv, 'BUCKETS', D['buckets'], S['buckets']>
                : OrderAndProperties<S, D, Mv>

type OrderAndProperties<S extends MvState, D extends DeployedMv, Mv extends string> =
  Differs<S['orderBy'], D['orderBy']> extends true
    ? DeployedChangeMessage<Mv, 'ORDER BY', D['orderBy'], S['orderBy']>
    : ChangedProperties<S['properties'], D['properties']> extends infer K extends string
      ? [K] extends [never]
        ? never
        : K extends string
          ? DeployedChangeMessage<Mv, `the create-only property ${K}`, DeployedProperty<D['properties'], K>, UserProperty<S['properties'], K>>
          : never
      : never

/**
 * The message of the first immutable attribute in which the MV with state `S` differs from the
 * deployed MV of the same name (or of its `.renamedFrom()` name), else `never`. An MV marked
 * `.rebuild(...)`, a new MV, and attributes the type checker cannot see are never reported.
 */
export type DeployedConflict<S extends MvState> = S['rebuild'] extends string
  ? never
  : KeyOf<S> extends infer K extends string
    ? DeployedKeyOf<S, K> extends infer DK extends keyof Deployed
      ? [DK] extends [never]
        ? never
        : Deployed[DK] extends infer D extends DeployedMv
          ? Conflict<S, D, DK extends K ? K : `${K} (renamed from ${DK & string})`>
          : never
      : never
    : never

/**
 * The argument `defineSchema` checks: every complete MV whose state conflicts with the deployed
 * declaration is typed as its {@link DeployedChangeMessage}, so passing it is a compile error at
 * that entry that reads the message. Everything else passes as is.
 */
export type DeployedChecked<T> = {
  readonly [K in keyof T]: T[K] extends MaterializedView<infer S> ? ([DeployedConflict<S>] extends [never] ? T[K] : DeployedConflict<S>) : T[K]
}
