import type { QualifiedName, TableAlterChange } from '../../model/index.js'
import type { TABLE_PROPERTY_CATALOG } from '../../render/table-property-catalog.js'
import type { ColumnInput, ListPartitionInput, RangePartitionInput, TableIndexInput } from './table-options.js'
import type { Refusal } from './refusal.js'

type WayOut = 'create the table under a new name, copy the data (INSERT INTO ... SELECT), SWAP WITH the old one and drop it; or drop and re-create it (the data is lost).'

/** `alterTable(...).primaryKey` and the other key models: the key is immutable. */
export type AlterTableKeyMessage = `The key model and key columns of a table cannot be altered: ${WayOut}`
/** `alterTable(...).partitionBy`: the partition scheme is immutable. */
export type AlterTablePartitionMessage = `The partition scheme of a table cannot be altered: ${WayOut}`
/** A create-only table property in `alterTable(...).set({...})`. */
export type CreateOnlyTablePropertyMessage<K extends string> = `The table property "${K}" can only be set when the table is created: ${WayOut}`

type Catalog = typeof TABLE_PROPERTY_CATALOG
type Alterable = { [K in keyof Catalog]: Catalog[K] extends { readonly alterable: true } ? K : never }[keyof Catalog]
type CreateOnly = Exclude<keyof Catalog, Alterable>
type Value<K extends keyof Catalog> = Catalog[K] extends { readonly type: 'number' } ? number : Catalog[K] extends { readonly type: 'boolean' } ? boolean : Catalog[K] extends { readonly values: readonly (infer V extends string)[] } ? V | Lowercase<V> : string

/** What `alterTable(...).set({...})` takes: the alterable table properties, typed; create-only ones are compile errors that say why. */
export type AlterableTableProperties = { readonly [K in Alterable]?: Value<K> } & { readonly [K in CreateOnly]?: CreateOnlyTablePropertyMessage<K> } & {
  readonly [K in `dynamic_partition.${string}`]?: string | number | boolean
}

/**
 * The legal ALTER TABLE changes of a table whose columns are `C`: ADD / DROP / MODIFY COLUMN (typed
 * against the declared columns), SET alterable properties, COMMENT, RENAME, ORDER BY and DISTRIBUTED BY
 * (3.2+). The key model and the partition scheme are compile errors that say why and the way out.
 */
export interface TableAlter<C extends string> {
  readonly target: QualifiedName
  readonly changes: readonly TableAlterChange[]
  /** ADD COLUMN, after `after` (default: after the last column) or FIRST. */
  addColumn<N extends string>(name: N extends C ? `The table already has a column named ${N}: change it with .modifyColumn()` : N, column: ColumnInput, position?: { readonly after: C | N } | { readonly first: true }): TableAlter<C | N>
  dropColumn(name: C): TableAlter<C>
  modifyColumn(name: C, column: ColumnInput): TableAlter<C>
  set(properties: AlterableTableProperties): TableAlter<C>
  comment(text: string): TableAlter<C>
  rename(newName: string): TableAlter<C>
  orderBy(...columns: readonly C[]): TableAlter<C>
  readonly distributedBy: {
    hash(columns: C | readonly C[], options?: { readonly buckets?: number }): TableAlter<C>
    random(options?: { readonly buckets?: number }): TableAlter<C>
  }
  /** ADD PARTITION of a RANGE (`{ name, lessThan }` or `{ name, lower, upper }`) or LIST (`{ name, values }`) table. */
  addPartition(partition: RangePartitionInput | ListPartitionInput): TableAlter<C>
  /** DROP PARTITION: the partition's data goes with it. */
  dropPartition(name: string): TableAlter<C>
  /** ADD INDEX (a schema-change job): BITMAP by default, NGRAMBF (3.2+), GIN (3.1+). */
  addIndex(index: TableIndexInput<C>): TableAlter<C>
  /** DROP INDEX (a schema-change job). */
  dropIndex(name: string): TableAlter<C>
  /** @deprecated The key model and key columns of a table cannot be altered: rebuild the table (a copy and SWAP WITH, or drop and create). */
  readonly primaryKey: Refusal<AlterTableKeyMessage>
  /** @deprecated The key model and key columns of a table cannot be altered: rebuild the table. */
  readonly duplicateKey: Refusal<AlterTableKeyMessage>
  /** @deprecated The key model and key columns of a table cannot be altered: rebuild the table. */
  readonly aggregateKey: Refusal<AlterTableKeyMessage>
  /** @deprecated The key model and key columns of a table cannot be altered: rebuild the table. */
  readonly uniqueKey: Refusal<AlterTableKeyMessage>
  /** @deprecated The partition scheme of a table cannot be altered: rebuild the table. */
  readonly partitionBy: Refusal<AlterTablePartitionMessage>
  /** The statements, one ALTER TABLE for the column changes and one per other change. */
  toStatements(options?: { readonly version?: string }): string[]
}
