import { rowColumn, type Row } from '../db/index.js'
import { StarRocksMvError } from '../errors.js'
import {
  QualifiedName,
  TableDefinition,
  ViewDefinition,
  canonicalColumnType,
  type ColumnDefault,
  type Distribution,
  type KeyModel,
  type TableColumn,
} from '../model/index.js'
import { parseIdentifierList } from './parse-materialized-view.js'
import { queryDependencies } from './query-dependencies.js'

/** A column of an information_schema row as text; `undefined` for NULL (and, with `emptyIsAbsent`, for ''). */
export const cell = (row: Row, name: string, emptyIsAbsent = true): string | undefined => {
  const v = rowColumn(row, name)
  if (v === null || v === undefined) return undefined
  const s = v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)
  return emptyIsAbsent && s === '' ? undefined : s
}

/** `information_schema.tables_config.TABLE_MODEL` → the key model's DDL name. */
const KEY_MODELS: Readonly<Record<string, KeyModel>> = { DUP_KEYS: 'DUPLICATE', AGG_KEYS: 'AGGREGATE', UNQ_KEYS: 'UNIQUE', PRI_KEYS: 'PRIMARY' }

/** The key model of a `tables_config` row, or `undefined` when it is not a native (OLAP) table. */
export const keyModelOf = (config: Row): KeyModel | undefined => KEY_MODELS[(cell(config, 'TABLE_MODEL') ?? '').toUpperCase()]

/**
 * What `information_schema` cannot show of a table, judged from its own rows: the aggregate type of
 * an AGGREGATE KEY table's value columns, and the partitioning (scheme, expressions, partitions)
 * of a partitioned one. Such a table is read with SHOW CREATE TABLE instead.
 */
export const needsShowCreate = (config: Row): boolean =>
  keyModelOf(config) === 'AGGREGATE' || (cell(config, 'PARTITION_KEY') ?? '').trim() !== ''

/** A function call such as `uuid()` or `now()`: an expression default (COLUMN_DEFAULT prints it without parentheses). */
const EXPRESSION_DEFAULT = /^[A-Za-z_][A-Za-z0-9_]*\s*\(.*\)$/s

const defaultOf = (text: string | undefined): ColumnDefault | undefined => {
  if (text === undefined) return undefined
  if (/^current_timestamp(\(\))?$/i.test(text.trim())) return { kind: 'current_timestamp' }
  if (EXPRESSION_DEFAULT.test(text.trim())) return { kind: 'expression', sql: text.trim() }
  return { kind: 'value', value: text }
}

const ordinal = (row: Row): number => Number(cell(row, 'ORDINAL_POSITION') ?? 0)

/** The rows of `information_schema.columns` of one relation, in column order. */
export const inColumnOrder = (rows: readonly Row[]): Row[] => [...rows].sort((a, b) => ordinal(a) - ordinal(b))

/**
 * COLUMN_TYPE is `Type.toMysqlColumnTypeString`: the SHOW CREATE spelling except BOOLEAN, printed
 * `tinyint(1)` (a TINYINT prints `tinyint(4)`), and LARGEINT, printed `bigint(20) unsigned`, at any depth.
 */
export const fromMysqlColumnType = (text: string): string =>
  text.replace(/\btinyint\s*\(\s*1\s*\)/gi, 'BOOLEAN').replace(/\bbigint\s*\(\s*20\s*\)\s+unsigned\b/gi, 'LARGEINT')

const columnOf = (row: Row, where: string): TableColumn => {
  const name = cell(row, 'COLUMN_NAME') ?? ''
  const typeText = cell(row, 'COLUMN_TYPE') ?? cell(row, 'DATA_TYPE') ?? ''
  let type: string
  try {
    type = canonicalColumnType(fromMysqlColumnType(typeText))
  } catch (e) {
    throw new StarRocksMvError('REFLECT_ERROR', `${where}: column ${name} has the type ${JSON.stringify(typeText)} in information_schema.columns, which this version of starrocks-mv cannot read (${(e as Error).message}).`, { column: name, type: typeText })
  }
  const def = defaultOf(cell(row, 'COLUMN_DEFAULT', false))
  const comment = cell(row, 'COLUMN_COMMENT')
  return {
    name, type,
    nullable: (cell(row, 'IS_NULLABLE') ?? 'YES').toUpperCase() !== 'NO',
    ...(def === undefined ? {} : { default: def }),
    ...(comment === undefined ? {} : { comment }),
  }
}

const bucketsOf = (text: string | undefined): number | undefined => (text !== undefined && /^[1-9]\d*$/.test(text.trim()) ? Number(text) : undefined)

/** PROPERTIES of an information_schema.tables_config row (JSON) as text values; `where` names the object for the error. */
export const propertiesFromJson = (json: string | undefined, where: string): Record<string, string> => {
  if (json === undefined) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new StarRocksMvError('REFLECT_ERROR', `${where}: information_schema.tables_config.PROPERTIES is not JSON (${JSON.stringify(json.slice(0, 80))}).`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
}

const sameNames = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x.toLowerCase() === (b[i] as string).toLowerCase())

/**
 * A table from its `information_schema` rows: `tables` (TABLE_COMMENT), `tables_config` (TABLE_MODEL,
 * DISTRIBUTE_TYPE / DISTRIBUTE_KEY / DISTRIBUTE_BUCKET, SORT_KEY, PROPERTIES) and `columns`
 * (COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_KEY, COLUMN_COMMENT). The key columns are the
 * columns whose COLUMN_KEY is set; a SORT_KEY equal to the key is the default sort key (no ORDER BY);
 * a DISTRIBUTE_BUCKET of 0 means automatic buckets. Indexes, AUTO_INCREMENT, aggregate types and
 * partitioning are not in these rows (see {@link needsShowCreate}).
 */
export const tableFromRows = (schema: string, name: string, table: Row, config: Row, columns: readonly Row[]): TableDefinition => {
  const where = `Table ${QualifiedName.key({ schema, name })}`
  const model = keyModelOf(config) ?? 'DUPLICATE'
  const ordered = inColumnOrder(columns)
  const cols = ordered.map((r) => columnOf(r, where))
  const keyColumns = ordered.filter((r) => cell(r, 'COLUMN_KEY') !== undefined).map((r) => cell(r, 'COLUMN_NAME') ?? '')
  const type = (cell(config, 'DISTRIBUTE_TYPE') ?? '').toUpperCase()
  const buckets = bucketsOf(cell(config, 'DISTRIBUTE_BUCKET') ?? cell(config, 'DISTRUBTE_BUCKET'))
  const distribution: Distribution | undefined =
    type === 'HASH' ? { kind: 'hash', columns: parseIdentifierList(cell(config, 'DISTRIBUTE_KEY') ?? ''), ...(buckets === undefined ? {} : { buckets }) }
      : type === 'RANDOM' ? { kind: 'random', ...(buckets === undefined ? {} : { buckets }) }
        : undefined
  const sortKey = parseIdentifierList(cell(config, 'SORT_KEY') ?? '')
  const comment = cell(table, 'TABLE_COMMENT')
  return TableDefinition.create({
    name,
    schema,
    columns: cols,
    key: { model, columns: keyColumns },
    ...(comment === undefined ? {} : { comment }),
    ...(distribution === undefined ? {} : { distribution }),
    ...(sortKey.length === 0 || sameNames(sortKey, keyColumns) ? {} : { orderBy: sortKey }),
    properties: propertiesFromJson(cell(config, 'PROPERTIES'), where),
  })
}

/**
 * A view from its `information_schema` rows: VIEW_DEFINITION (the SELECT statement), TABLE_COMMENT,
 * and the column names and comments from `columns`. SECURITY is not in these rows.
 */
export const viewFromRows = (schema: string, name: string, view: Row, table: Row | undefined, columns: readonly Row[]): ViewDefinition => {
  const query = (cell(view, 'VIEW_DEFINITION') ?? '').trim().replace(/\s*;\s*$/, '')
  if (query === '') {
    throw new StarRocksMvError('REFLECT_ERROR', `View ${QualifiedName.key({ schema, name })}: the server reports no VIEW_DEFINITION for it, so it cannot be read back.`, { schema, name })
  }
  const comment = table === undefined ? undefined : cell(table, 'TABLE_COMMENT')
  const cols = inColumnOrder(columns).map((r) => {
    const c = cell(r, 'COLUMN_COMMENT')
    return { name: cell(r, 'COLUMN_NAME') ?? '', ...(c === undefined ? {} : { comment: c }) }
  })
  return ViewDefinition.create({
    name,
    schema,
    ...(cols.length === 0 ? {} : { columns: cols }),
    ...(comment === undefined ? {} : { comment }),
    query,
    dependencies: queryDependencies(query),
  })
}
