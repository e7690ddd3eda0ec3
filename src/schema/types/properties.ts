import type { KnownPropertyName, PROPERTY_CATALOG } from '../../render/property-catalog.js'

type Catalog = typeof PROPERTY_CATALOG

/**
 * A whole number as StarRocks prints it (`'1'`, `'-1'`): what `SHOW CREATE` shows and what the
 * Python dialect passes, accepted for every number property and meaning the same as the number.
 */
export type NumberText = `${bigint}`

/** A flag as StarRocks prints it (`'true'`, `'false'`), accepted for every boolean property. */
export type BooleanText = 'true' | 'false'

/** The builder's value type of a catalog entry: number, boolean, a string union for enumerations, or string. */
type ValueOf<S> = S extends { readonly type: 'number' }
  ? number | NumberText
  : S extends { readonly type: 'boolean' }
    ? boolean | BooleanText
    : S extends { readonly type: 'enum'; readonly values: readonly (infer V)[] }
      ? V
      : string

/** `session.<variable>` property names: always allowed, always alterable. */
export type SessionPropertyName = `session.${string}`

/** The values a `session.*` property takes. */
export type SessionPropertyValue = string | number | boolean

/** The builder's value type of the known property `K`. */
export type PropertyValue<K extends KnownPropertyName> = ValueOf<Catalog[K]>

/** Names of catalog properties that `ALTER ... SET` can change. */
export type AlterablePropertyName = {
  [K in KnownPropertyName]: Catalog[K]['alterable'] extends true ? K : never
}[KnownPropertyName]

/** Names of catalog properties that only CREATE can set. */
export type CreateOnlyPropertyName = Exclude<KnownPropertyName, AlterablePropertyName>

/**
 * The properties `.properties({...})` takes: every catalog property with its value type, and
 * `session.*` keys. Unknown keys go through the escape hatch ({@link PropertyEscapeHatch}).
 */
export type MvProperties = { readonly [K in KnownPropertyName]?: ValueOf<Catalog[K]> } & {
  readonly [K: SessionPropertyName]: SessionPropertyValue
}

/** The compile-time message for a create-only property given to `alter(...).set()`. */
export type CreateOnlyPropertyMessage<K extends string> =
  `${K} is a create-only property: ALTER MATERIALIZED VIEW ... SET cannot change it. Rebuild the MV (drop + create, or build a new MV and SWAP WITH it).`

/**
 * The properties `alter(...).set({...})` takes: alterable catalog properties and `session.*` keys.
 * A create-only property is typed as its refusal message, so giving it a value is a compile error
 * that names it.
 */
export type AlterableProperties = { readonly [K in AlterablePropertyName]?: ValueOf<Catalog[K]> } & {
  readonly [K in CreateOnlyPropertyName]?: CreateOnlyPropertyMessage<K>
} & { readonly [K: SessionPropertyName]: SessionPropertyValue }

/**
 * The explicit escape hatch for properties the catalog does not know (newer StarRocks releases add
 * them): `unknown` gives their values (rendered as strings, unchecked), `alterable` declares which
 * properties `alter(...).set()` and the differ may change with `ALTER ... SET` (otherwise an unknown
 * property is create-only).
 *
 * @example
 * ```ts
 * mv('m').properties({ replication_num: 1 }, { unknown: { my_new_prop: 'x' }, alterable: ['my_new_prop'] })
 * ```
 */
export interface PropertyEscapeHatch {
  readonly unknown?: Readonly<Record<string, SessionPropertyValue>>
  readonly alterable?: readonly string[]
}

/**
 * The escape hatch of `alter(...).set()`: values for properties the catalog does not know. For an
 * alter built from an MV, each must be declared alterable by that MV (`alterable` of
 * {@link PropertyEscapeHatch}).
 */
export interface AlterPropertyEscapeHatch {
  readonly unknown?: Readonly<Record<string, SessionPropertyValue>>
}
