import { isDeepStrictEqual } from 'node:util'
import type { Distribution, PartitionEntry, RangePartition, TableColumn, TableDefinition, TableIndex, TableKey, TablePartitioning } from '../model/index.js'
import { tablePropertySpec } from '../schema/property-catalog.js'
import { canonicalExpressionText } from './canonical-query.js'

/** The attributes of a table a comparison reports. */
export type TableAttribute = 'columns' | 'key' | 'comment' | 'partitionBy' | 'distribution' | 'orderBy' | 'indexes' | 'properties'

/** One attribute that differs between two table definitions (values in canonical form). */
export interface TableAttributeChange {
  readonly attribute: TableAttribute
  readonly from: unknown
  readonly to: unknown
}

/** Options of {@link canonicalTable} and {@link tableChanges}. */
export interface CanonicalTableOptions {
  /**
   * One side was read from a server: ignore what servers add on their own (default properties,
   * `replication_num`, the `COMMENT "OLAP"` of old versions, a bucket count where one side states
   * none). Default false.
   */
  readonly live?: boolean
}

const lower = (names: readonly string[]): string[] => names.map((n) => n.toLowerCase())

/**
 * The DUPLICATE KEY StarRocks chooses for a table declared without a key: up to three leading
 * columns, stopping before a column that cannot be a sort key (floating point, complex, JSON) and
 * after the first string column (the table design docs: the sort key defaults to the leading columns).
 */
export const defaultDuplicateKey = (columns: readonly TableColumn[]): TableKey => {
  const out: string[] = []
  for (const c of columns) {
    if (/^(FLOAT|DOUBLE|ARRAY|MAP|STRUCT|JSON|BITMAP|HLL|PERCENTILE)/.test(c.type)) break
    out.push(c.name)
    if (out.length === 3 || /^(VARCHAR|CHAR)/.test(c.type)) break
  }
  return { model: 'DUPLICATE', columns: out.length > 0 ? out : columns.slice(0, 1).map((c) => c.name) }
}

/** The lowest value of a type, the lower bound StarRocks gives the first LESS THAN partition. */
const typeMinimum = (type: string): string => {
  if (type.startsWith('DATETIME')) return '0000-01-01 00:00:00'
  if (type.startsWith('DATE')) return '0000-01-01'
  if (type.startsWith('TINYINT')) return '-128'
  if (type.startsWith('SMALLINT')) return '-32768'
  if (type.startsWith('BIGINT')) return '-9223372036854775808'
  if (type.startsWith('LARGEINT')) return '-170141183460469231731687303715884105728'
  return '-2147483648'
}

const bound = (v: string, type: string): string => (type.startsWith('DATETIME') && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v} 00:00:00` : v)

const canonicalPartitioning = (p: TablePartitioning, columns: readonly TableColumn[]): unknown => {
  if (p.kind === 'expression') return { kind: 'expression', expressions: p.expressions.map(canonicalExpressionText) }
  const types = p.columns.map((c) => columns.find((x) => x.name.toLowerCase() === c.toLowerCase())?.type ?? '')
  if (p.kind === 'list') {
    return { kind: 'list', columns: lower(p.columns), partitions: p.partitions.map((x) => ({ name: x.name.toLowerCase(), values: x.values.map((v) => [...v]) })) }
  }
  let previous: readonly string[] | undefined
  const partitions = p.partitions.map((x: RangePartition) => {
    const upper = ('lessThan' in x ? x.lessThan : x.upper).map((v, i) => bound(v, types[i] ?? ''))
    const implicit = 'lessThan' in x && previous === undefined
    const lowerBound = 'lessThan' in x ? previous ?? types.map(typeMinimum) : x.lower.map((v, i) => bound(v, types[i] ?? ''))
    previous = upper
    return { name: x.name.toLowerCase(), lower: lowerBound, upper, ...(implicit ? { implicit: true } : {}) }
  })
  return { kind: 'range', columns: lower(p.columns), partitions }
}

type CanonicalRange = { name: string; lower: readonly string[]; upper: readonly string[]; implicit?: true }

/**
 * A first partition declared `LESS THAN` has no lower bound of its own: StarRocks gives it the lowest
 * value when the table is created, and keeps the bound it had when the partitions below it are
 * dropped (a rolling window). So its lower bound matches whatever the same partition has on the
 * other side. Returns both sides without the marks.
 */
const alignImplicitLower = (a: unknown, b: unknown): [unknown, unknown] => {
  const parts = (x: unknown): CanonicalRange[] | undefined =>
    x !== null && typeof x === 'object' && (x as { kind?: unknown }).kind === 'range' ? (x as { partitions: CanonicalRange[] }).partitions : undefined
  const pa = parts(a)
  const pb = parts(b)
  const fix = (mine: CanonicalRange[] | undefined, other: CanonicalRange[] | undefined): CanonicalRange[] | undefined =>
    mine?.map(({ implicit, ...x }) => {
      const twin = implicit === true ? other?.find((o) => o.name === x.name) : undefined
      return twin === undefined ? x : { ...x, lower: twin.lower }
    })
  const ra = fix(pa, pb)
  const rb = fix(pb, pa)
  return [ra === undefined ? a : { ...(a as object), partitions: ra }, rb === undefined ? b : { ...(b as object), partitions: rb }]
}

/** The partitions of a RANGE or LIST table one by one, in canonical form (a LESS THAN partition as its half-open range). */
const canonicalPartitions = (p: Extract<TablePartitioning, { kind: 'range' | 'list' }>, c: { partitions: unknown[] }): { name: string; entry: PartitionEntry; canonical: unknown }[] =>
  p.partitions.map((x, i) => ({
    name: x.name.toLowerCase(),
    entry: p.kind === 'range' ? { kind: 'range', partition: x as RangePartition } : { kind: 'list', partition: x as Extract<PartitionEntry, { kind: 'list' }>['partition'] },
    canonical: c.partitions[i],
  }))

/** What ADD / DROP PARTITION turn one partition list into the other: partitions dropped (as they were) and added (as wanted). */
export interface PartitionListChange {
  readonly dropped: readonly PartitionEntry[]
  readonly added: readonly PartitionEntry[]
}

/**
 * The partition changes between two tables partitioned the same way (both RANGE, or both LIST, on
 * the same columns), by partition name: a partition whose bounds or values changed is dropped and
 * added again. `undefined` when the partitioning scheme itself differs (no ALTER can do that).
 *
 * @example
 * ```ts
 * partitionListChange(monthly, monthlyPlusMarch)?.added // [{ kind: 'range', partition: { name: 'p202403', lessThan: ['2024-04-01'] } }]
 * ```
 */
export const partitionListChange = (from: TableDefinition, to: TableDefinition): PartitionListChange | undefined => {
  const a = from.partitionBy
  const b = to.partitionBy
  if (a === undefined || b === undefined || a.kind === 'expression' || b.kind === 'expression' || a.kind !== b.kind) return undefined
  if (!isDeepStrictEqual(lower(a.columns), lower(b.columns))) return undefined
  const [ca, cb] = alignImplicitLower(canonicalPartitioning(a, from.columns), canonicalPartitioning(b, to.columns))
  const before = canonicalPartitions(a, ca as { partitions: unknown[] })
  const after = canonicalPartitions(b, cb as { partitions: unknown[] })
  const oldByName = new Map(before.map((x) => [x.name, x] as const))
  const newByName = new Map(after.map((x) => [x.name, x] as const))
  const kept = (x: { name: string; canonical: unknown }, other: Map<string, { canonical: unknown }>): boolean =>
    other.has(x.name) && isDeepStrictEqual(other.get(x.name)?.canonical, x.canonical)
  return {
    dropped: before.filter((x) => !kept(x, newByName)).map((x) => x.entry),
    added: after.filter((x) => !kept(x, oldByName)).map((x) => x.entry),
  }
}

/** The index changes between two tables, by index name: a changed index is dropped and added again. */
export const indexListChange = (from: TableDefinition, to: TableDefinition): { readonly dropped: readonly TableIndex[]; readonly added: readonly TableIndex[] } => {
  const before = from.indexes ?? []
  const after = to.indexes ?? []
  const same = (x: TableIndex, others: readonly TableIndex[]): boolean => others.some((o) => isDeepStrictEqual(canonicalIndex(o), canonicalIndex(x)))
  return { dropped: before.filter((x) => !same(x, after)), added: after.filter((x) => !same(x, before)) }
}

const canonicalIndex = (ix: TableIndex): unknown => ({
  name: ix.name.toLowerCase(),
  columns: lower(ix.columns),
  using: ix.using,
  properties: ix.properties ?? {},
  comment: ix.comment ?? '',
})

/** A column in canonical form: comparison-ready (empty comment dropped, expression defaults canonical). */
export const canonicalColumn = (c: TableColumn, key: TableKey): unknown => ({
  name: c.name.toLowerCase(),
  type: c.type,
  nullable: key.model === 'PRIMARY' && key.columns.some((k) => k.toLowerCase() === c.name.toLowerCase()) ? false : c.nullable,
  default: c.default === undefined ? null : c.default.kind === 'expression' ? { kind: 'expression', sql: canonicalExpressionText(c.default.sql) } : c.default,
  comment: c.comment ?? '',
  autoIncrement: c.autoIncrement === true,
  aggregate: c.aggregate ?? null,
})

/** An omitted distribution is RANDOM for a Duplicate Key table and HASH on the key for the others. */
const canonicalDistribution = (d: Distribution | undefined, key: TableKey): unknown =>
  d === undefined
    ? key.model === 'DUPLICATE' ? { kind: 'random' } : { kind: 'hash', columns: lower(key.columns) }
    : d.kind === 'hash' ? { ...d, columns: lower(d.columns) } : d

/**
 * Compare two table definitions attribute by attribute in canonical form and list what differs:
 * column names, key, partition and index names compared case-insensitively, types canonical,
 * an omitted key read as StarRocks's default DUPLICATE KEY, an omitted distribution as RANDOM,
 * LESS THAN partitions as the half-open ranges servers print, expressions canonical, and (with
 * `live`) properties the server adds by itself ignored. Names (`name`, `schema`) and intents are not compared.
 *
 * @example
 * ```ts
 * tableChanges(toTableDefinition(orders), parseCreateTable(showCreateText), { live: true }) // [] when equal
 * ```
 */
export const tableChanges = (from: TableDefinition, to: TableDefinition, options: CanonicalTableOptions = {}): TableAttributeChange[] => {
  const out: TableAttributeChange[] = []
  const keyFrom = from.key ?? defaultDuplicateKey(from.columns)
  const keyTo = to.key ?? defaultDuplicateKey(to.columns)
  const add = (attribute: TableAttribute, a: unknown, b: unknown): void => {
    if (!isDeepStrictEqual(a, b)) out.push({ attribute, from: a, to: b })
  }
  add('columns', from.columns.map((c) => canonicalColumn(c, keyFrom)), to.columns.map((c) => canonicalColumn(c, keyTo)))
  add('key', { model: keyFrom.model, columns: lower(keyFrom.columns) }, { model: keyTo.model, columns: lower(keyTo.columns) })
  const comment = (c: string | undefined): string => (c === undefined || (options.live === true && c === 'OLAP') ? '' : c)
  add('comment', comment(from.comment), comment(to.comment))
  add('partitionBy', ...alignImplicitLower(
    from.partitionBy === undefined ? null : canonicalPartitioning(from.partitionBy, from.columns),
    to.partitionBy === undefined ? null : canonicalPartitioning(to.partitionBy, to.columns)))
  // information_schema reports the bucket count a server chose when none was given (DISTRIBUTE_BUCKET):
  // against a server, a side that states no BUCKETS accepts any count.
  const unstated = options.live === true && (from.distribution?.buckets === undefined || to.distribution?.buckets === undefined)
  const buckets = (d: Distribution | undefined): Distribution | undefined => (unstated && d !== undefined ? (({ buckets: _b, ...rest }) => rest)(d) as Distribution : d)
  add('distribution', canonicalDistribution(buckets(from.distribution), keyFrom), canonicalDistribution(buckets(to.distribution), keyTo))
  add('orderBy', lower(from.orderBy ?? []), lower(to.orderBy ?? []))
  const indexes = (d: TableDefinition): unknown[] => [...(d.indexes ?? [])].map(canonicalIndex).sort((a, b) => ((a as { name: string }).name < (b as { name: string }).name ? -1 : 1))
  add('indexes', indexes(from), indexes(to))
  const props = (d: TableDefinition, other: TableDefinition): Record<string, string> => {
    const result: Record<string, string> = {}
    for (const [k, v] of Object.entries(d.properties)) {
      if (other.properties[k] === undefined) {
        const dflt = tablePropertySpec(k)?.default
        if (dflt !== undefined && dflt.toLowerCase() === v.toLowerCase()) continue
        if (options.live === true && (k === 'replication_num' || k === 'enable_persistent_index' || k === 'in_memory')) continue
      }
      result[k] = v
    }
    return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : 1)))
  }
  add('properties', props(from, to), props(to, from))
  return out
}
