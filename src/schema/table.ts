import { StarRocksMvError } from '../errors.js'
import {
  AGGREGATE_TYPES,
  TableDefinition,
  canonicalColumnType,
  type ColumnDefault,
  type Distribution,
  type KeyModel,
  type ListPartition,
  type RangePartition,
  type TableColumn,
  type TableIndex,
  type TablePartitioning,
} from '../model/index.js'
import { tablePropertySpec, validateTableDefinition } from '../render/index.js'
import { describe, isDefaultCatalog, isSql, quoteIdentifier, quoteString, tableReference, type Table, type TableLocation } from '../sql/index.js'
import type { ColumnInput, ColumnSpec, ColumnTypes, ManagedTableOptions, UnmanagedTableOptions } from './types/table-options.js'

/** Metadata key of a managed table: its {@link TableDefinition}. */
export const tableDefinition: unique symbol = Symbol.for('starrocks-mv.tableDefinition')

/** A managed table: a typed reference for the `sql` tag that also carries its DDL. */
export type ManagedTable<Name extends string = string, Columns extends Record<string, string> = Record<string, string>> =
  Table<Name, Columns> & { readonly [tableDefinition]: TableDefinition }

const invalid = (subject: string, message: string, value?: unknown): StarRocksMvError =>
  new StarRocksMvError('INVALID_TABLE', `${subject}: ${message}`, { table: subject, ...(value === undefined ? {} : { value }) })

const DDL_OPTIONS = [
  'managed', 'duplicateKey', 'aggregateKey', 'uniqueKey', 'primaryKey', 'comment', 'partitionBy', 'distributedBy',
  'orderBy', 'indexes', 'properties', 'unknownProperties', 'renamedFrom', 'rebuild', 'allowPartitionDrop',
] as const
const KEY_OPTIONS: readonly (readonly [string, KeyModel])[] = [
  ['duplicateKey', 'DUPLICATE'], ['aggregateKey', 'AGGREGATE'], ['uniqueKey', 'UNIQUE'], ['primaryKey', 'PRIMARY'],
]

const asList = <T>(x: T | readonly T[]): readonly T[] => (Array.isArray(x) ? (x as readonly T[]) : [x as T])

const columnList = (subject: string, what: string, value: unknown, columns: ReadonlySet<string>): string[] => {
  const list = asList(value as unknown)
  if (list.length === 0) throw invalid(subject, `${what} needs at least one column.`)
  return list.map((c) => {
    if (typeof c !== 'string' || c.length === 0) throw invalid(subject, `${what} takes column names, got ${describe(c)}.`, c)
    if (!columns.has(c.toLowerCase())) throw invalid(subject, `${what} names column "${c}", which the table does not declare.`, c)
    return c
  })
}

const bound = (subject: string, v: unknown): string[] =>
  asList(v as unknown).map((x) => {
    if (typeof x === 'string') return x
    if (typeof x === 'number' && Number.isFinite(x)) return String(x)
    throw invalid(subject, `partition values are strings or numbers, got ${describe(x)}.`, x)
  })

const columnDefault = (subject: string, col: string, d: unknown): ColumnDefault => {
  if (typeof d === 'string') return { kind: 'value', value: d }
  if (typeof d === 'number' && Number.isFinite(d)) return { kind: 'value', value: String(d) }
  if (typeof d === 'boolean') return { kind: 'value', value: d ? '1' : '0' }
  if (isSql(d)) return { kind: 'expression', sql: d.toSQL().trim() }
  if (d !== null && typeof d === 'object' && (d as { currentTimestamp?: unknown }).currentTimestamp === true) return { kind: 'current_timestamp' }
  throw invalid(subject, `the default of column "${col}" must be a string, number, boolean, { currentTimestamp: true } or a sql fragment, got ${describe(d)}.`, d)
}

/** A column spec (`table()` input) as a {@link TableColumn}; throws `INVALID_TABLE`. */
export const toColumn = (subject: string, name: string, input: unknown): TableColumn => {
  const spec: Partial<ColumnSpec> = typeof input === 'string' ? { type: input as ColumnSpec['type'] } : (input ?? {}) as Partial<ColumnSpec>
  if (typeof spec !== 'object' || typeof spec.type !== 'string') {
    throw invalid(subject, `column "${name}" needs a StarRocks type such as 'BIGINT' or { type: 'BIGINT', notNull: true }, got ${describe(input)}.`, input)
  }
  let type: string
  try {
    type = canonicalColumnType(spec.type)
  } catch (e) {
    throw invalid(subject, `column "${name}": ${(e as Error).message}`, spec.type)
  }
  if (spec.aggregate !== undefined && !AGGREGATE_TYPES.includes(spec.aggregate)) {
    throw invalid(subject, `column "${name}": aggregate must be one of ${AGGREGATE_TYPES.join(', ')}, got ${describe(spec.aggregate)}.`, spec.aggregate)
  }
  if (spec.comment !== undefined && typeof spec.comment !== 'string') throw invalid(subject, `the comment of column "${name}" must be a string.`, spec.comment)
  return {
    name,
    type,
    nullable: spec.notNull !== true,
    ...(spec.default === undefined ? {} : { default: columnDefault(subject, name, spec.default) }),
    ...(spec.comment === undefined ? {} : { comment: spec.comment }),
    ...(spec.autoIncrement === true ? { autoIncrement: true } : {}),
    ...(spec.aggregate === undefined ? {} : { aggregate: spec.aggregate }),
  }
}

const INTERVAL = /^(\d+)\s+(second|minute|hour|day|week|month|quarter|year)$/i
const DATE_TRUNC_UNITS = new Set(['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'])

const partitioning = (subject: string, p: unknown, cols: ReadonlySet<string>): TablePartitioning => {
  if (isSql(p)) {
    const text = p.toSQL().trim()
    if (text === '') throw invalid(subject, 'partitionBy got an empty sql fragment.')
    return { kind: 'expression', expressions: [text] }
  }
  if (p === null || typeof p !== 'object') throw invalid(subject, `partitionBy takes { dateTrunc, column }, { timeSlice, column }, { columns }, { expressions }, { range, partitions }, { list, partitions } or a sql fragment, got ${describe(p)}.`, p)
  const o = p as Record<string, unknown>
  if ('dateTrunc' in o) {
    const unit = String(o.dateTrunc).toLowerCase()
    if (!DATE_TRUNC_UNITS.has(unit)) throw invalid(subject, `dateTrunc takes one of ${[...DATE_TRUNC_UNITS].join(', ')}, got ${describe(o.dateTrunc)}.`, o.dateTrunc)
    const [col] = columnList(subject, 'partitionBy.column', o.column, cols)
    return { kind: 'expression', expressions: [`date_trunc(${quoteString(unit)}, ${quoteIdentifier(col as string)})`] }
  }
  if ('timeSlice' in o) {
    const m = INTERVAL.exec(String(o.timeSlice).trim())
    if (m === null) throw invalid(subject, `timeSlice takes an interval such as '1 hour', got ${describe(o.timeSlice)}.`, o.timeSlice)
    const [col] = columnList(subject, 'partitionBy.column', o.column, cols)
    return { kind: 'expression', expressions: [`time_slice(${quoteIdentifier(col as string)}, INTERVAL ${Number(m[1])} ${(m[2] as string).toUpperCase()})`] }
  }
  if ('columns' in o) return { kind: 'expression', expressions: columnList(subject, 'partitionBy.columns', o.columns, cols).map(quoteIdentifier) }
  if ('expressions' in o) {
    const list = Array.isArray(o.expressions) ? (o.expressions as unknown[]) : []
    if (list.length === 0) throw invalid(subject, 'partitionBy.expressions needs at least one column or sql fragment.', o.expressions)
    return {
      kind: 'expression',
      expressions: list.map((e) => {
        if (!isSql(e)) return quoteIdentifier(columnList(subject, 'partitionBy.expressions', e, cols)[0] as string)
        const text = e.toSQL().trim()
        if (text === '') throw invalid(subject, 'partitionBy.expressions got an empty sql fragment.')
        return text
      }),
    }
  }
  const partitionsOf = (): readonly Record<string, unknown>[] => {
    if (!Array.isArray(o.partitions)) throw invalid(subject, 'RANGE and LIST partitioning need partitions: [{ name, ... }].', o.partitions)
    const seen = new Set<string>()
    return (o.partitions as unknown[]).map((x) => {
      const part = x as Record<string, unknown> | null
      if (part === null || typeof part !== 'object' || typeof part.name !== 'string' || part.name.length === 0) {
        throw invalid(subject, `each partition needs a name, got ${describe(x)}.`, x)
      }
      if (seen.has(part.name.toLowerCase())) throw invalid(subject, `partition "${part.name}" is declared twice.`, part.name)
      seen.add(part.name.toLowerCase())
      return part
    })
  }
  if ('range' in o) {
    const columns = columnList(subject, 'partitionBy.range', o.range, cols)
    const partitions: RangePartition[] = partitionsOf().map((x) => {
      const name = x.name as string
      if ('lessThan' in x) return { name, lessThan: bound(subject, x.lessThan) }
      if ('lower' in x && 'upper' in x) return { name, lower: bound(subject, x.lower), upper: bound(subject, x.upper) }
      throw invalid(subject, `range partition "${name}" needs lessThan, or lower and upper.`, x)
    })
    return { kind: 'range', columns, partitions }
  }
  if ('list' in o) {
    const columns = columnList(subject, 'partitionBy.list', o.list, cols)
    const partitions: ListPartition[] = partitionsOf().map((x) => {
      if (!Array.isArray(x.values) || x.values.length === 0) throw invalid(subject, `list partition "${String(x.name)}" needs values.`, x.values)
      const values = (x.values as unknown[]).map((v) => {
        const t = bound(subject, v)
        if (t.length !== columns.length) throw invalid(subject, `list partition "${String(x.name)}": each value needs ${columns.length} part(s), one per partition column.`, v)
        return t
      })
      return { name: x.name as string, values }
    })
    return { kind: 'list', columns, partitions }
  }
  throw invalid(subject, `partitionBy takes { dateTrunc, column }, { timeSlice, column }, { columns }, { expressions }, { range, partitions }, { list, partitions } or a sql fragment.`, p)
}

const buckets = (subject: string, b: unknown): { buckets?: number } => {
  if (b === undefined) return {}
  if (typeof b !== 'number' || !Number.isInteger(b) || b <= 0) throw invalid(subject, `BUCKETS must be a whole number greater than 0, got ${describe(b)}. Omit it to let StarRocks choose.`, b)
  return { buckets: b }
}

/** Table properties (`table()` input) as stored strings; throws `INVALID_TABLE`. */
export const tableProperties = (subject: string, known: unknown, unknown: unknown): Record<string, string> => {
  const out: Record<string, string> = {}
  const read = (bag: unknown, what: string, checked: boolean): void => {
    if (bag === undefined) return
    if (bag === null || typeof bag !== 'object' || Array.isArray(bag)) throw invalid(subject, `${what} must be an object of property names and values, got ${describe(bag)}.`, bag)
    for (const [key, value] of Object.entries(bag)) {
      if (value === undefined) continue
      const spec = tablePropertySpec(key)
      if (checked && spec === undefined) {
        throw invalid(subject, `unknown table property "${key}". Known properties are typed from TABLE_PROPERTY_CATALOG; for another one use unknownProperties: { ${JSON.stringify(key)}: ... }.`, key)
      }
      if (spec !== undefined && spec.type === 'enum') {
        const found = typeof value === 'string' ? spec.values?.find((v) => v.toLowerCase() === value.toLowerCase()) : undefined
        if (found === undefined) throw invalid(subject, `property "${key}" must be one of ${(spec.values ?? []).map((v) => JSON.stringify(v)).join(', ')}, got ${describe(value)}.`, value)
        out[key] = found
      } else if (spec !== undefined && spec.type === 'number') {
        if (!(typeof value === 'number' && Number.isInteger(value)) && !(typeof value === 'string' && /^-?\d+$/.test(value))) throw invalid(subject, `property "${key}" must be a whole number, got ${describe(value)}.`, value)
        out[key] = String(value)
      } else if (spec !== undefined && spec.type === 'boolean') {
        if (value !== true && value !== false && value !== 'true' && value !== 'false') throw invalid(subject, `property "${key}" must be true or false, got ${describe(value)}.`, value)
        out[key] = String(value)
      } else if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
        out[key] = String(value)
      } else {
        throw invalid(subject, `property "${key}" must be a string, a finite number or a boolean, got ${describe(value)}.`, value)
      }
    }
  }
  read(known, 'properties', true)
  read(unknown, 'unknownProperties', false)
  return out
}

/** Build the {@link TableDefinition} of a managed table from `table(...)` arguments. */
export const buildTableDefinition = (name: string, columns: Readonly<Record<string, unknown>>, options: Readonly<Record<string, unknown>>): TableDefinition => {
  const schema = options.schema as string | undefined
  const subject = schema === undefined ? name : `${schema}.${name}`
  const cols = Object.entries(columns).map(([n, c]) => toColumn(subject, n, c))
  const names = new Set(cols.map((c) => c.name.toLowerCase()))
  const keys = KEY_OPTIONS.filter(([k]) => options[k] !== undefined)
  if (keys.length > 1) throw invalid(subject, `a table has one key model; got ${keys.map(([k]) => k).join(' and ')}.`)
  const keyOption = keys[0]
  const key = keyOption === undefined ? undefined : { model: keyOption[1], columns: columnList(subject, keyOption[0], options[keyOption[0]], names) }
  const d = options.distributedBy as Record<string, unknown> | undefined
  let distribution: Distribution | undefined
  if (d !== undefined) {
    if (d === null || typeof d !== 'object') throw invalid(subject, `distributedBy takes { hash: columns, buckets? } or { random: true, buckets? }, got ${describe(d)}.`, d)
    if ('hash' in d) distribution = { kind: 'hash', columns: columnList(subject, 'distributedBy.hash', d.hash, names), ...buckets(subject, d.buckets) }
    else if (d.random === true) distribution = { kind: 'random', ...buckets(subject, d.buckets) }
    else throw invalid(subject, 'distributedBy takes { hash: columns, buckets? } or { random: true, buckets? }.', d)
  }
  const indexes: TableIndex[] | undefined = options.indexes === undefined ? undefined : (() => {
    if (!Array.isArray(options.indexes)) throw invalid(subject, 'indexes takes an array of { name, columns, using? }.', options.indexes)
    return (options.indexes as Record<string, unknown>[]).map((ix) => {
      if (ix === null || typeof ix !== 'object' || typeof ix.name !== 'string' || ix.name.length === 0) throw invalid(subject, `each index needs a name, got ${describe(ix)}.`, ix)
      const using = (ix.using ?? 'BITMAP') as string
      if (using !== 'BITMAP' && using !== 'NGRAMBF' && using !== 'GIN') throw invalid(subject, `index "${ix.name}": using must be BITMAP, NGRAMBF or GIN, got ${describe(ix.using)}.`, ix.using)
      const props = ix.properties === undefined ? undefined : Object.fromEntries(Object.entries(ix.properties as Record<string, unknown>).map(([k, v]) => [k, String(v)]))
      return {
        name: ix.name, columns: columnList(subject, `index ${ix.name}`, ix.columns, names), using,
        ...(props === undefined ? {} : { properties: props }),
        ...(typeof ix.comment === 'string' ? { comment: ix.comment } : {}),
      }
    })
  })()
  if (options.comment !== undefined && typeof options.comment !== 'string') throw invalid(subject, `comment must be a string, got ${describe(options.comment)}.`, options.comment)
  if (options.renamedFrom !== undefined && (typeof options.renamedFrom !== 'string' || options.renamedFrom.length === 0)) {
    throw invalid(subject, `renamedFrom must be the old table name, got ${describe(options.renamedFrom)}.`, options.renamedFrom)
  }
  if (options.rebuild !== undefined && options.rebuild !== 'copy') throw invalid(subject, `rebuild takes 'copy', got ${describe(options.rebuild)}.`, options.rebuild)
  if (options.allowPartitionDrop !== undefined && typeof options.allowPartitionDrop !== 'boolean') {
    throw invalid(subject, `allowPartitionDrop must be true or false, got ${describe(options.allowPartitionDrop)}.`, options.allowPartitionDrop)
  }
  // PRIMARY KEY columns are NOT NULL on the server whatever the declaration says; say so early.
  const def = TableDefinition.create({
    name,
    ...(schema === undefined ? {} : { schema }),
    columns: cols,
    ...(key === undefined ? {} : { key }),
    ...(options.comment === undefined ? {} : { comment: options.comment as string }),
    ...(options.partitionBy === undefined ? {} : { partitionBy: partitioning(subject, options.partitionBy, names) }),
    ...(distribution === undefined ? {} : { distribution }),
    ...(options.orderBy === undefined ? {} : { orderBy: columnList(subject, 'orderBy', options.orderBy, names) }),
    ...(indexes === undefined ? {} : { indexes }),
    properties: tableProperties(subject, options.properties, options.unknownProperties),
    ...(options.renamedFrom === undefined ? {} : { renamedFrom: options.renamedFrom as string }),
    ...(options.rebuild === undefined ? {} : { rebuild: 'copy' as const }),
    ...(options.allowPartitionDrop === undefined ? {} : { allowPartitionDrop: options.allowPartitionDrop as boolean }),
  })
  validateTableDefinition(def)
  return def
}

/** True when `options` holds any DDL option (so the table is managed). */
const isManagedOptions = (options: Readonly<Record<string, unknown>>): boolean => DDL_OPTIONS.some((k) => options[k] !== undefined)

/**
 * Declare a source table. With only `{ schema }` it is a typed reference for the `sql` tag (the
 * table is not managed). `{ catalog, schema }` names a table of an external catalog (Hive, Iceberg,
 * Hudi, Delta Lake, JDBC ...): `${t}` renders `` `catalog`.`schema`.`name` ``, and MVs reading it record
 * it as a dependency of that catalog. Such a table is never managed: StarRocks creates only tables of
 * its internal catalog (`default_catalog`, which is the same as no catalog). With DDL options (a key
 * model, `partitionBy`, `distributedBy`, `orderBy`, `properties`, `comment`, `indexes`, or
 * `managed: true`) the same declaration is also a managed
 * table: created, altered and dropped in the same plan as the MVs. Columns then take typed StarRocks
 * types or `{ type, notNull?, default?, comment?, autoIncrement?, aggregate? }`.
 *
 * @example
 * ```ts
 * const orders = table('orders', {
 *   id: { type: 'BIGINT', notNull: true },
 *   order_date: { type: 'DATE', notNull: true },
 *   amount: 'DECIMAL(10, 2)',
 * }, { schema: 'shop', primaryKey: ['id', 'order_date'], partitionBy: { dateTrunc: 'month', column: 'order_date' }, distributedBy: { hash: 'id', buckets: 8 } })
 * sql`SELECT ${orders.amount} FROM ${orders}`.toSQL() // SELECT `orders`.`amount` FROM `shop`.`orders`
 *
 * const events = table('events', { id: 'BIGINT', at: 'DATETIME' }, { catalog: 'hive', schema: 'logs' })
 * sql`SELECT ${events.at} FROM ${events}`.toSQL() // SELECT `events`.`at` FROM `hive`.`logs`.`events`
 * ```
 */
export function table<const Name extends string, const Columns extends Record<string, string>>(
  name: Name,
  columns: Columns,
  options?: UnmanagedTableOptions,
): Table<Name, Columns>
export function table<const Name extends string, const Columns extends Record<string, ColumnInput>>(
  name: Name,
  columns: Columns,
  options: ManagedTableOptions<keyof Columns & string>,
): ManagedTable<Name, ColumnTypes<Columns>>
export function table(name: string, columns: Record<string, unknown>, options: Record<string, unknown> = {}): Table {
  if (options === null || typeof options !== 'object') throw new TypeError(`table('${String(name)}'): options must be an object.`)
  const managed = isManagedOptions(options)
  const location = options as TableLocation
  if (!managed) return tableReference(name, columns as Record<string, string>, location, {}, 'table')
  if (location.catalog !== undefined && !(typeof location.catalog === 'string' && isDefaultCatalog(location.catalog))) {
    const ddl = DDL_OPTIONS.filter((k) => options[k] !== undefined)
    throw new StarRocksMvError(
      'INVALID_TABLE',
      `table('${String(name)}'): a table of external catalog '${String(location.catalog)}' cannot be managed (StarRocks creates and alters only tables of its internal catalog), but it has DDL options: ${ddl.join(', ')}. ` +
        `Drop those options to keep it a typed reference (table('${String(name)}', columns, { catalog: '${String(location.catalog)}', schema: '${String(location.schema ?? 'db')}' })), or drop catalog to manage an internal table.`,
      { table: String(name), catalog: location.catalog, options: ddl },
    )
  }
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`table(): the table name must be a non-empty string, got ${describe(name)}.`)
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) {
    throw new TypeError(`table('${name}'): columns must be an object mapping column names to StarRocks types.`)
  }
  const def = buildTableDefinition(name, columns, options)
  const types = Object.fromEntries(def.columns.map((c, i) => [c.name, typeof Object.values(columns)[i] === 'string' ? (Object.values(columns)[i] as string) : (Object.values(columns)[i] as ColumnSpec).type]))
  return tableReference(name, types, { ...(options.schema === undefined ? {} : { schema: options.schema as string }) }, { [tableDefinition]: def }, 'table')
}

/** True when `x` is a managed table (declared with DDL options). */
export const isManagedTable = (x: unknown): x is { readonly [tableDefinition]: TableDefinition } =>
  typeof x === 'object' && x !== null && (x as { [tableDefinition]?: unknown })[tableDefinition] !== undefined

/** The {@link TableDefinition} of a managed table. */
export const toTableDefinition = (t: { readonly [tableDefinition]: TableDefinition }): TableDefinition => {
  if (!isManagedTable(t)) throw new StarRocksMvError('INVALID_TABLE', 'Not a managed table: declare it with DDL options, e.g. table(name, columns, { primaryKey: [...] }).')
  return t[tableDefinition]
}
