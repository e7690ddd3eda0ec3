import { StarRocksMvError } from '../errors.js'
import type { MvDefinition, TableDefinition } from '../model/index.js'
import { isManagedTable, isView, type DeployedChecked, type View, type tableDefinition } from '../schema/index.js'

const SCHEMA_BRAND: unique symbol = Symbol.for('starrocks-mv.schemaDefinition')

/** Something with a complete MV definition (a `MaterializedView`: a builder that has `.as(...)`). */
export interface HasMvDefinition {
  readonly definition: MvDefinition
}

/** A managed table: `table(name, columns, { ...DDL options })`. */
export interface HasTableDefinition {
  readonly [tableDefinition]: TableDefinition
}

/** What {@link defineSchema} takes: complete MVs, managed tables and views. */
export type SchemaMember = HasMvDefinition | HasTableDefinition | View

/**
 * The typed form of a schema module: a named set of complete MVs (and the managed tables and views
 * listed with them). Made by {@link defineSchema}.
 */
export interface SchemaDefinition<T extends Readonly<Record<string, SchemaMember>> = Readonly<Record<string, HasMvDefinition>>> {
  readonly [SCHEMA_BRAND]: true
  /** The MVs by name. */
  readonly mvs: MvEntries<T>
  /** Every entry by name: the MVs, and the managed tables and views listed with them. */
  readonly members: Readonly<Record<string, SchemaMember>>
}

/** The MV entries of a {@link defineSchema} argument. */
export type MvEntries<T> = { readonly [K in keyof T as T[K] extends HasMvDefinition ? K : never]: T[K] }

/** A managed table or a view; an MV builder whose `definition` throws (no `.as()`, an invalid clause) is neither. */
export const isTableOrView = (v: unknown): boolean => {
  try {
    return isManagedTable(v) || isView(v)
  } catch {
    return false
  }
}

/**
 * Declare the MVs of a schema module: `export default defineSchema({ dailySales, topUsers })`.
 * Every value must be a complete MV (a builder with `.as(...)`), a managed table (`table(...)` with
 * DDL options) or a view (`view(...).as(...)`); two entries with the same qualified name are an
 * error when the module is loaded. Entries listed here need no export of their own.
 *
 * With `migrations/deployed.d.ts` (written by `srmv generate` and `srmv types`) in the program,
 * the type checker also compares each MV with the deployed one of the same name (or of its
 * `.renamedFrom()` name): a change to the column list, COMMENT, PARTITION BY, DISTRIBUTED BY,
 * BUCKETS, ORDER BY, sync or a create-only property is a compile error at that entry naming the MV,
 * the attribute, the deployed and the new value, and the ways out. `.rebuild('swap')` or
 * `.rebuild('drop-create')` acknowledges the change. Only what is written as literals is compared:
 * a value the type checker cannot see (a `sql` fragment in PARTITION BY, a `string` variable) and
 * the query itself are left to `srmv generate`, which compares everything.
 *
 * @example
 * ```ts
 * import { defineSchema, mv, sql } from 'starrocks-mv'
 * const daily = mv('daily_sales').schema('shop').refresh.manual().as(sql`SELECT 1 AS one`)
 * export default defineSchema({ daily })
 * ```
 */
export const defineSchema = <const T extends Readonly<Record<string, SchemaMember>>>(mvs: DeployedChecked<T>): SchemaDefinition<T> => {
  const given: unknown = mvs
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    const what = given === null ? 'null' : Array.isArray(given) ? 'an array' : typeof given
    throw new StarRocksMvError('INVALID_SCHEMA', `defineSchema() takes an object of materialized views, managed tables and views, e.g. defineSchema({ orders, dailySales }); got ${what}.`, {})
  }
  const members = Object.freeze({ ...(mvs as Readonly<Record<string, SchemaMember>>) })
  // tables and views leave `mvs`; anything else stays, so that loading names what is wrong with it
  const onlyMvs = Object.freeze(Object.fromEntries(Object.entries(members).filter(([, v]) => !isTableOrView(v)))) as MvEntries<T>
  return Object.freeze({ [SCHEMA_BRAND]: true as const, mvs: onlyMvs, members })
}

/** True when `value` was made by {@link defineSchema} (in this or another copy of the package). */
export const isSchemaDefinition = (value: unknown): value is SchemaDefinition =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SCHEMA_BRAND] === true
