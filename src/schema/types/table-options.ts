import type { AggregateType, IndexType } from '../../model/index.js'
import type { KnownTablePropertyName, TABLE_PROPERTY_CATALOG } from '../../render/table-property-catalog.js'
import type { Sql, TableLocation } from '../../sql/index.js'

type Scalar =
  | 'BOOLEAN' | 'TINYINT' | 'SMALLINT' | 'INT' | 'INTEGER' | 'BIGINT' | 'LARGEINT' | 'FLOAT' | 'DOUBLE'
  | 'DECIMAL' | `DECIMAL(${number})` | `DECIMAL(${number}, ${number})` | `DECIMAL(${number},${number})`
  | 'DATE' | 'DATETIME' | `CHAR(${number})` | `VARCHAR(${number})` | 'STRING' | 'BINARY' | `VARBINARY(${number})`
  | 'JSON' | 'BITMAP' | 'HLL' | 'PERCENTILE'
type Nested = `ARRAY<${string}>` | `MAP<${string}>` | `STRUCT<${string}>`

/**
 * A StarRocks column type as a managed table declares it: `'BIGINT'`, `'DECIMAL(10, 2)'`,
 * `'VARCHAR(255)'`, `'DATETIME'`, `'ARRAY<INT>'`, `'MAP<VARCHAR(10), BIGINT>'`, `'STRUCT<a INT, b STRING>'`,
 * `'JSON'` (upper or lower case).
 */
export type StarRocksType = Scalar | Nested | Lowercase<Scalar | Nested>

/** A column default: a constant, `{ currentTimestamp: true }`, or an expression as a `sql` fragment (`sql\`uuid()\``). */
export type ColumnDefaultInput = string | number | boolean | { readonly currentTimestamp: true } | Sql

/** One column of a managed table with its attributes; a bare type string is a nullable column. */
export interface ColumnSpec<T extends StarRocksType = StarRocksType> {
  readonly type: T
  /** `NOT NULL` (default: NULL allowed; primary key columns must be NOT NULL). */
  readonly notNull?: boolean
  readonly default?: ColumnDefaultInput
  readonly comment?: string
  /** `AUTO_INCREMENT` (BIGINT columns, 3.0+). */
  readonly autoIncrement?: boolean
  /** The aggregate type of a value column of an AGGREGATE KEY table. */
  readonly aggregate?: AggregateType
}

/** A column of a managed table: a type string, or a {@link ColumnSpec}. */
export type ColumnInput = StarRocksType | ColumnSpec

/** The type string of each column of a managed table's column map (what the typed references carry). */
export type ColumnTypes<C extends Record<string, ColumnInput>> = {
  readonly [K in keyof C]: C[K] extends ColumnSpec<infer T> ? T : C[K] extends string ? C[K] : never
}

/** Partitions of a RANGE-partitioned table: `lessThan` (upper bound) or `lower`/`upper` (a half-open range). */
export type RangePartitionInput =
  | { readonly name: string; readonly lessThan: string | number | readonly (string | number)[] }
  | { readonly name: string; readonly lower: string | number | readonly (string | number)[]; readonly upper: string | number | readonly (string | number)[] }

/** A partition of a LIST-partitioned table: its values (one per partition column, or tuples for several columns). */
export interface ListPartitionInput {
  readonly name: string
  readonly values: readonly (string | number | readonly (string | number)[])[]
}

/** The units `date_trunc` takes. */
export type DateTruncUnit = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second'

/**
 * PARTITION BY of a managed table:
 * - `{ dateTrunc: 'day', column }` → `date_trunc('day', col)`; `{ timeSlice: '1 hour', column }` → `time_slice(col, INTERVAL 1 hour)`;
 * - `{ columns: [...] }` → column expression partitioning `(c1, c2)`; a `sql` fragment for any other expression;
 * - `{ expressions: [...] }` → several expressions, each a column or a `sql` fragment: `(c1, date_trunc('day', c2))`;
 * - `{ range: [cols], partitions: [...] }` and `{ list: [cols], partitions: [...] }`.
 */
export type TablePartitionInput<C extends string> =
  | { readonly dateTrunc: DateTruncUnit; readonly column: C }
  | { readonly timeSlice: `${number} ${'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year'}`; readonly column: C }
  | { readonly columns: readonly C[] }
  | { readonly expressions: readonly (C | Sql)[] }
  | Sql
  | { readonly range: readonly C[]; readonly partitions: readonly RangePartitionInput[] }
  | { readonly list: readonly C[]; readonly partitions: readonly ListPartitionInput[] }

/** DISTRIBUTED BY of a managed table. */
export type TableDistributionInput<C extends string> =
  | { readonly hash: C | readonly C[]; readonly buckets?: number }
  | { readonly random: true; readonly buckets?: number }

/** An index declared with the table (`INDEX name (cols) USING BITMAP | NGRAMBF | GIN`). */
export interface TableIndexInput<C extends string> {
  readonly name: string
  readonly columns: C | readonly C[]
  /** Default `BITMAP`. */
  readonly using?: IndexType
  readonly properties?: Readonly<Record<string, string | number | boolean>>
  readonly comment?: string
}

type CatalogValue<K extends KnownTablePropertyName> = (typeof TABLE_PROPERTY_CATALOG)[K] extends { readonly type: 'number' }
  ? number
  : (typeof TABLE_PROPERTY_CATALOG)[K] extends { readonly type: 'boolean' }
    ? boolean
    : (typeof TABLE_PROPERTY_CATALOG)[K] extends { readonly values: readonly (infer V extends string)[] }
      ? V | Lowercase<V>
      : string

/** PROPERTIES of a managed table, typed from the table property catalog; `dynamic_partition.*` keys take strings or numbers. */
export type TableProperties = { readonly [K in KnownTablePropertyName]?: CatalogValue<K> } & {
  readonly [K in `dynamic_partition.${string}`]?: string | number | boolean
}

interface KeyChoice<C extends string> {
  readonly duplicateKey: readonly C[]
  readonly aggregateKey: readonly C[]
  readonly uniqueKey: readonly C[]
  readonly primaryKey: readonly C[]
}
type OneKey<C extends string> = {
  [K in keyof KeyChoice<C>]: { readonly [P in K]: KeyChoice<C>[K] } & { readonly [P in Exclude<keyof KeyChoice<C>, K>]?: never }
}[keyof KeyChoice<C>]
type NoKey = { readonly [P in keyof KeyChoice<string>]?: never }

/**
 * The DDL options that make a `table(...)` managed (created, altered and dropped in the plan). `C`
 * is the union of the declared column names, so a key, distribution or index naming an undeclared
 * column is a compile error. At most one key model.
 */
export type ManagedTableOptions<C extends string> = (OneKey<C> | NoKey) & {
  readonly schema?: string
  /**
   * Only `'default_catalog'` (the internal catalog, the same as none): StarRocks manages only tables
   * of its internal catalog. A table of an external catalog is declared without DDL options, as a
   * typed reference: `table(name, columns, { catalog: 'hive', schema: 'sales' })`.
   */
  readonly catalog?: 'default_catalog'
  /** Manage the table even without other DDL options (StarRocks defaults: DUPLICATE KEY, RANDOM). */
  readonly managed?: true
  readonly comment?: string
  readonly partitionBy?: TablePartitionInput<C>
  readonly distributedBy?: TableDistributionInput<C>
  readonly orderBy?: readonly C[]
  readonly indexes?: readonly TableIndexInput<C>[]
  readonly properties?: TableProperties
  /** Escape hatch: properties the catalog does not know (create-only). */
  readonly unknownProperties?: Readonly<Record<string, string | number | boolean>>
  /** Rename hint for the differ: the table was previously named so. */
  readonly renamedFrom?: string
  /**
   * Changes StarRocks cannot ALTER (key model, partition scheme, column order, aggregate type,
   * create-only properties ...) rebuild the table by copy: a new table with the new definition, the
   * rows copied (INSERT INTO ... SELECT), SWAP WITH, the old one dropped. Without it they are problems.
   */
  readonly rebuild?: 'copy'
  /** Acknowledge that the plan drops declared partitions of this table, with their data. */
  readonly allowPartitionDrop?: boolean
}

/**
 * The options of an unmanaged `table(...)`: where it lives (`schema`, and `catalog` for a table of
 * an external catalog) and no DDL option, so options that carry DDL options pick the managed
 * signature, where a catalog other than `default_catalog` is a compile error.
 */
export type UnmanagedTableOptions = TableLocation & {
  readonly [K in Exclude<keyof ManagedTableOptions<string>, 'schema' | 'catalog'>]?: never
}
