import { freezeDeep, stripUndefined } from './freeze.js'
import type { Distribution } from './mv-definition.js'

/** The aggregate types of value columns in an AGGREGATE KEY table. */
export type AggregateType =
  | 'SUM' | 'MAX' | 'MIN' | 'REPLACE' | 'REPLACE_IF_NOT_NULL' | 'HLL_UNION' | 'BITMAP_UNION' | 'PERCENTILE_UNION'

/** Every {@link AggregateType}. */
export const AGGREGATE_TYPES: readonly AggregateType[] = Object.freeze([
  'SUM', 'MAX', 'MIN', 'REPLACE', 'REPLACE_IF_NOT_NULL', 'HLL_UNION', 'BITMAP_UNION', 'PERCENTILE_UNION',
])

/**
 * A column default: a constant (held as the text StarRocks prints between double quotes, e.g. `"0"`
 * → `0`), `CURRENT_TIMESTAMP`, or an expression such as `uuid()` (SQL text, printed in parentheses).
 */
export type ColumnDefault =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'current_timestamp' }
  | { readonly kind: 'expression'; readonly sql: string }

/** One column of a managed table. `type` is the canonical StarRocks type text (see `canonicalColumnType`). */
export interface TableColumn {
  readonly name: string
  readonly type: string
  /** False for `NOT NULL`. Key columns of PRIMARY KEY tables are always NOT NULL. */
  readonly nullable: boolean
  readonly default?: ColumnDefault
  readonly comment?: string
  readonly autoIncrement?: boolean
  /** The aggregate type of a value column of an AGGREGATE KEY table. */
  readonly aggregate?: AggregateType
}

/** The key model names, as written in DDL (`DUPLICATE KEY(...)` ...). */
export type KeyModel = 'DUPLICATE' | 'AGGREGATE' | 'UNIQUE' | 'PRIMARY'

/** The table's key model and key columns. */
export interface TableKey {
  readonly model: KeyModel
  readonly columns: readonly string[]
}

/** One partition of a RANGE-partitioned table: `VALUES LESS THAN (...)` or `VALUES [(lower), (upper))`. */
export type RangePartition =
  | { readonly name: string; readonly lessThan: readonly string[] }
  | { readonly name: string; readonly lower: readonly string[]; readonly upper: readonly string[] }

/** One partition of a LIST-partitioned table: each entry of `values` is one tuple (one value per partition column). */
export interface ListPartition {
  readonly name: string
  readonly values: readonly (readonly string[])[]
}

/** One declared partition of a RANGE or LIST table, with its kind: what ADD / DROP PARTITION carry. */
export type PartitionEntry =
  | { readonly kind: 'range'; readonly partition: RangePartition }
  | { readonly kind: 'list'; readonly partition: ListPartition }

/**
 * How a table is partitioned:
 * - `expression`: expression partitioning (`PARTITION BY date_trunc('day', dt)`, `PARTITION BY (region, dt)`);
 *   entries are SQL text (quoted columns or expressions).
 * - `range` / `list`: the columns and the partitions declared with the table.
 */
export type TablePartitioning =
  | { readonly kind: 'expression'; readonly expressions: readonly string[] }
  | { readonly kind: 'range'; readonly columns: readonly string[]; readonly partitions: readonly RangePartition[] }
  | { readonly kind: 'list'; readonly columns: readonly string[]; readonly partitions: readonly ListPartition[] }

/** The index types a table can declare in its column list. */
export type IndexType = 'BITMAP' | 'NGRAMBF' | 'GIN'

/** `INDEX name (cols) USING type [("k" = "v")] [COMMENT '...']`. */
export interface TableIndex {
  readonly name: string
  readonly columns: readonly string[]
  readonly using: IndexType
  readonly properties?: Readonly<Record<string, string>>
  readonly comment?: string
}

/**
 * A managed base table as plain, frozen, JSON-serialisable data: what `table(...)` with DDL options
 * produces, the renderer prints, the SHOW CREATE TABLE parser reads back and the differ compares.
 */
export interface TableDefinition {
  readonly kind: 'TableDefinition'
  readonly name: string
  /** The database; absent means the connection's current database. */
  readonly schema?: string
  readonly columns: readonly TableColumn[]
  /** Absent: the server's default (DUPLICATE KEY on the leading columns). */
  readonly key?: TableKey
  readonly comment?: string
  readonly partitionBy?: TablePartitioning
  /** Absent: the server's default (RANDOM, automatic buckets). */
  readonly distribution?: Distribution
  readonly orderBy?: readonly string[]
  readonly indexes?: readonly TableIndex[]
  /** PROPERTIES, every value a string exactly as StarRocks stores it. */
  readonly properties: Readonly<Record<string, string>>
  /** Intent: this table was previously named so (a rename hint for the differ). Not part of the deployed state. */
  readonly renamedFrom?: string
  /**
   * Intent: changes StarRocks cannot ALTER are carried out by copying the table (`'copy'`: CREATE a
   * new table, INSERT INTO ... SELECT, SWAP WITH, DROP the old one). Not part of the deployed state.
   */
  readonly rebuild?: TableRebuildStrategy
  /** Intent: dropping declared partitions (and their data) is acknowledged. Not part of the deployed state. */
  readonly allowPartitionDrop?: boolean
}

/** How a table is rebuilt when StarRocks cannot ALTER a change: by copying its rows into a new table. */
export type TableRebuildStrategy = 'copy'

type Fields = Omit<TableDefinition, 'kind'>
type Input = Omit<Fields, 'properties'> & Partial<Pick<Fields, 'properties'>>

/** The only way to make a {@link TableDefinition}: fills defaults, drops `undefined` fields, freezes deeply. */
export const TableDefinition = {
  create(fields: Input): TableDefinition {
    return freezeDeep(
      stripUndefined({
        kind: 'TableDefinition' as const,
        properties: {},
        ...structuredClone(stripUndefined(fields)),
      }),
    ) as TableDefinition
  },
  /** A copy with some fields replaced; a field set to `undefined` is removed. */
  with(def: TableDefinition, change: { readonly [K in keyof Fields]?: Fields[K] | undefined }): TableDefinition {
    const { kind: _kind, ...rest } = { ...def, ...change }
    return TableDefinition.create(rest as Input)
  },
  /** Rebuild a definition from parsed JSON (e.g. a snapshot file), validating its shape loosely. */
  fromJSON(json: unknown): TableDefinition {
    if (json === null || typeof json !== 'object' || (json as { kind?: unknown }).kind !== 'TableDefinition') {
      throw new TypeError('Not a TableDefinition: expected an object with kind "TableDefinition".')
    }
    const { kind: _kind, ...rest } = json as TableDefinition
    if (typeof rest.name !== 'string' || !Array.isArray(rest.columns)) {
      throw new TypeError('Not a TableDefinition: "name" must be a string and "columns" an array.')
    }
    return TableDefinition.create(rest)
  },
  /** The column named `name` (column names are case-insensitive in StarRocks). */
  column(def: TableDefinition, name: string): TableColumn | undefined {
    const lower = name.toLowerCase()
    return def.columns.find((c) => c.name.toLowerCase() === lower)
  },
}

const SIMPLE_ALIASES: Readonly<Record<string, string>> = {
  INTEGER: 'INT',
  STRING: 'VARCHAR(65533)',
  BOOL: 'BOOLEAN',
  DECIMALV2: 'DECIMAL',
  DECIMAL32: 'DECIMAL',
  DECIMAL64: 'DECIMAL',
  DECIMAL128: 'DECIMAL',
  DATEV2: 'DATE',
  DATETIMEV2: 'DATETIME',
  TEXT: 'VARCHAR(65533)',
}

/** Integer types whose `(n)` is only a display width that StarRocks prints (`int(11)`). */
const WIDTH_ONLY = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'LARGEINT'])

/**
 * The canonical form of a StarRocks column type: upper case, no display widths, aliases resolved,
 * one space after commas, nested types canonical too. `int(11)` → `INT`, `decimal64(10,2)` →
 * `DECIMAL(10, 2)`, `string` → `VARCHAR(65533)`, `array<int(11)>` → `ARRAY<INT>`; STRUCT field names
 * lower case (StarRocks compares them case-insensitively).
 *
 * @example
 * ```ts
 * canonicalColumnType('map<varchar(10),bigint(20)>') // 'MAP<VARCHAR(10), BIGINT>'
 * ```
 */
export const canonicalColumnType = (type: string): string => {
  const text = type.trim()
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(.*)$/s.exec(text)
  if (m === null) throw new TypeError(`Invalid column type ${JSON.stringify(type)}: expected a StarRocks type such as BIGINT or DECIMAL(10, 2).`)
  let base = (m[1] as string).toUpperCase()
  let rest = (m[2] as string).trim()
  const alias = SIMPLE_ALIASES[base]
  if (alias !== undefined) {
    if (alias.includes('(')) {
      if (rest !== '') throw new TypeError(`Invalid column type ${JSON.stringify(type)}: ${base} takes no arguments.`)
      return alias
    }
    base = alias
  }
  if (rest.startsWith('(')) {
    const close = rest.indexOf(')')
    if (close < 0) throw new TypeError(`Invalid column type ${JSON.stringify(type)}: missing ")".`)
    const args = rest.slice(1, close).split(',').map((a) => a.trim())
    if (args.some((a) => !/^\d+$/.test(a))) throw new TypeError(`Invalid column type ${JSON.stringify(type)}: the arguments must be whole numbers.`)
    rest = rest.slice(close + 1).trim()
    if (!WIDTH_ONLY.has(base)) base += `(${args.map(Number).join(', ')})`
  }
  if (rest.startsWith('<')) {
    if (!rest.endsWith('>')) throw new TypeError(`Invalid column type ${JSON.stringify(type)}: missing ">".`)
    const inner = rest.slice(1, -1)
    const parts = splitTopLevel(inner)
    if (base === 'STRUCT') {
      const fields = parts.map((p) => {
        const f = /^\s*`?([^`\s]+)`?\s+(.+)$/s.exec(p)
        if (f === null) throw new TypeError(`Invalid column type ${JSON.stringify(type)}: a STRUCT field needs a name and a type.`)
        return `${(f[1] as string).toLowerCase()} ${canonicalColumnType(f[2] as string)}`
      })
      return `STRUCT<${fields.join(', ')}>`
    }
    return `${base}<${parts.map(canonicalColumnType).join(', ')}>`
  }
  if (rest !== '') throw new TypeError(`Invalid column type ${JSON.stringify(type)}: unexpected ${JSON.stringify(rest)}.`)
  if (base === 'DECIMAL') return 'DECIMAL(10, 0)'
  if (base === 'VARCHAR') return 'VARCHAR(1)'
  if (base === 'CHAR') return 'CHAR(1)'
  return base
}

const splitTopLevel = (text: string): string[] => {
  const out: string[] = []
  let depth = 0
  let from = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '<' || ch === '(') depth++
    else if (ch === '>' || ch === ')') depth--
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(from, i))
      from = i + 1
    }
  }
  out.push(text.slice(from))
  return out.map((s) => s.trim())
}
