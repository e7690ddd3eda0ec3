import { StarRocksMvError } from '../errors.js'
import { QualifiedName, type Distribution, type PartitionEntry, type QualifiedName as QName, type TableColumn, type TableDefinition, type TableIndex, type TablePartitioning, type Version } from '../model/index.js'
import { quoteDoubleString, quoteIdentifier, quoteString } from '../sql/index.js'
import { requireVersion, targetVersion, type RenderOptions } from './render-options.js'
import { renderQualifiedName } from './render-qualified-name.js'

/** Options of {@link renderCreateTable}. */
export interface RenderCreateTableOptions extends RenderOptions {
  /** Emit `IF NOT EXISTS`. Default false. */
  readonly ifNotExists?: boolean
}

const invalid = (subject: string, message: string): StarRocksMvError =>
  new StarRocksMvError('INVALID_TABLE', `${subject}: ${message}`, { table: subject })

/** `"v1", "v2"` for partition bounds and values. */
const tuple = (values: readonly string[]): string => values.map(quoteDoubleString).join(', ')

/** One column definition, as CREATE TABLE and ALTER TABLE ADD/MODIFY COLUMN take it. */
export const renderColumn = (c: TableColumn, version: Version, subject: string): string => {
  let out = `${quoteIdentifier(c.name)} ${c.type}`
  if (c.aggregate !== undefined) out += ` ${c.aggregate}`
  out += c.nullable ? ' NULL' : ' NOT NULL'
  if (c.autoIncrement === true) {
    requireVersion(version, '3.0', subject, `AUTO_INCREMENT (column ${c.name})`)
    out += ' AUTO_INCREMENT'
  }
  const d = c.default
  if (d !== undefined) {
    if (d.kind === 'value') out += ` DEFAULT ${quoteDoubleString(d.value)}`
    else if (d.kind === 'current_timestamp') out += ' DEFAULT CURRENT_TIMESTAMP'
    else out += ` DEFAULT (${d.sql})`
  }
  if (c.comment !== undefined) out += ` COMMENT ${quoteString(c.comment)}`
  return out
}

/**
 * One partition as CREATE TABLE and ALTER TABLE ... ADD take it: `PARTITION \`p\` VALUES LESS THAN ("v")`,
 * `PARTITION \`p\` VALUES [("a"), ("b"))`, `PARTITION \`p\` VALUES IN ("a", "b")` (one partition column)
 * or `VALUES IN (("a", "1"), ...)` (several). `columns` is the number of partition columns.
 */
export const renderPartitionEntry = (entry: PartitionEntry, columns: number): string => {
  if (entry.kind === 'range') {
    const x = entry.partition
    return 'lessThan' in x
      ? `PARTITION ${quoteIdentifier(x.name)} VALUES LESS THAN (${tuple(x.lessThan)})`
      : `PARTITION ${quoteIdentifier(x.name)} VALUES [(${tuple(x.lower)}), (${tuple(x.upper)}))`
  }
  const x = entry.partition
  const values = columns === 1 ? tuple(x.values.map((v) => v[0] ?? '')) : x.values.map((v) => `(${tuple(v)})`).join(', ')
  return `PARTITION ${quoteIdentifier(x.name)} VALUES IN (${values})`
}

/**
 * An index as the column list of CREATE TABLE and ALTER TABLE ... ADD take it (without the leading
 * `INDEX` / `ADD INDEX`): `` `name` (`c`) USING BITMAP ("k" = "v") COMMENT '...' ``. NGRAMBF needs
 * StarRocks 3.2, GIN 3.1.
 */
export const renderIndexBody = (ix: TableIndex, version: Version, subject: string): string => {
  if (ix.using === 'NGRAMBF') requireVersion(version, '3.2', subject, 'NGRAMBF indexes')
  if (ix.using === 'GIN') requireVersion(version, '3.1', subject, 'GIN indexes')
  const props = ix.properties === undefined || Object.keys(ix.properties).length === 0 ? '' : ` (${renderPairs(ix.properties)})`
  const comment = ix.comment === undefined ? '' : ` COMMENT ${quoteString(ix.comment)}`
  return `${quoteIdentifier(ix.name)} (${ix.columns.map(quoteIdentifier).join(', ')}) USING ${ix.using}${props}${comment}`
}

/** The PARTITION BY clause of a table (without a leading newline). */
export const renderTablePartitioning = (p: TablePartitioning, version: Version, subject: string): string => {
  switch (p.kind) {
    case 'expression': {
      const plain = p.expressions.every((e) => /^`(?:[^`]|``)+`$/.test(e))
      requireVersion(version, plain ? '3.1' : '3.0', subject, 'expression partitioning')
      if (p.expressions.length === 1 && !plain) return `PARTITION BY ${p.expressions[0] ?? ''}`
      return `PARTITION BY (${p.expressions.join(', ')})`
    }
    case 'range': {
      const parts = p.partitions.map((x) => `  ${renderPartitionEntry({ kind: 'range', partition: x }, p.columns.length)}`)
      return `PARTITION BY RANGE (${p.columns.map(quoteIdentifier).join(', ')}) (\n${parts.join(',\n')}\n)`
    }
    case 'list': {
      requireVersion(version, '3.1', subject, 'LIST partitioning')
      const parts = p.partitions.map((x) => `  ${renderPartitionEntry({ kind: 'list', partition: x }, p.columns.length)}`)
      return `PARTITION BY LIST (${p.columns.map(quoteIdentifier).join(', ')}) (\n${parts.join(',\n')}\n)`
    }
  }
}

/** The DISTRIBUTED BY clause. */
export const renderTableDistribution = (d: Distribution, version: Version, subject: string): string => {
  const buckets = d.buckets === undefined ? '' : ` BUCKETS ${d.buckets}`
  if (d.kind === 'random') {
    requireVersion(version, '3.1', subject, 'DISTRIBUTED BY RANDOM')
    return `DISTRIBUTED BY RANDOM${buckets}`
  }
  return `DISTRIBUTED BY HASH(${d.columns.map(quoteIdentifier).join(', ')})${buckets}`
}

/** Checks what StarRocks would reject before anything is sent: a clear error naming the table and the fix. */
export const validateTableDefinition = (def: TableDefinition): void => {
  const subject = QualifiedName.key(def)
  if (def.columns.length === 0) throw invalid(subject, 'a table needs at least one column.')
  const names = new Set<string>()
  for (const c of def.columns) {
    const lower = c.name.toLowerCase()
    if (names.has(lower)) throw invalid(subject, `column "${c.name}" is declared twice (column names are case-insensitive).`)
    names.add(lower)
  }
  const known = (what: string, cols: readonly string[]): void => {
    for (const c of cols) if (!names.has(c.toLowerCase())) throw invalid(subject, `${what} names column "${c}", which the table does not declare.`)
  }
  const key = def.key
  if (key !== undefined) {
    known(`${key.model} KEY`, key.columns)
    // The key columns must be the leading columns, in order (StarRocks: "Key columns should be a ordered prefix of the schema").
    key.columns.forEach((k, i) => {
      if (def.columns[i]?.name.toLowerCase() !== k.toLowerCase()) {
        throw invalid(subject, `the ${key.model} KEY columns (${key.columns.join(', ')}) must be the first columns of the table, in the same order: move them to the front.`)
      }
    })
    if (key.model === 'PRIMARY') {
      for (const k of key.columns) {
        if (def.columns.find((c) => c.name.toLowerCase() === k.toLowerCase())?.nullable === true) {
          throw invalid(subject, `primary key column "${k}" must be NOT NULL: declare it { type, notNull: true }.`)
        }
      }
    }
  }
  for (const c of def.columns) {
    if (c.aggregate !== undefined) {
      if (key?.model !== 'AGGREGATE') throw invalid(subject, `column "${c.name}" has the aggregate type ${c.aggregate}, which only AGGREGATE KEY tables take.`)
      if (key.columns.some((k) => k.toLowerCase() === c.name.toLowerCase())) throw invalid(subject, `key column "${c.name}" cannot have an aggregate type.`)
    } else if (key?.model === 'AGGREGATE' && !key.columns.some((k) => k.toLowerCase() === c.name.toLowerCase())) {
      throw invalid(subject, `value column "${c.name}" of an AGGREGATE KEY table needs an aggregate type (SUM, MAX, MIN, REPLACE, ...).`)
    }
  }
  if (def.distribution?.kind === 'hash') known('DISTRIBUTED BY HASH', def.distribution.columns)
  if (def.distribution?.kind === 'random' && key !== undefined && key.model !== 'DUPLICATE') {
    throw invalid(subject, `DISTRIBUTED BY RANDOM only works with DUPLICATE KEY tables, not ${key.model} KEY: use DISTRIBUTED BY HASH(...).`)
  }
  if (def.orderBy !== undefined) known('ORDER BY', def.orderBy)
  if (def.partitionBy !== undefined && def.partitionBy.kind !== 'expression') known(`PARTITION BY ${def.partitionBy.kind.toUpperCase()}`, def.partitionBy.columns)
  for (const ix of def.indexes ?? []) known(`index ${ix.name}`, ix.columns)
}

/**
 * Render the CREATE TABLE statement of a managed table for a StarRocks version, in the clause order
 * StarRocks prints: columns and indexes, key, COMMENT, PARTITION BY, DISTRIBUTED BY, ORDER BY,
 * PROPERTIES. No trailing semicolon. Malformed definitions throw `INVALID_TABLE`; clauses newer than
 * the target version throw `UNSUPPORTED_IN_VERSION`.
 *
 * @example
 * ```ts
 * renderCreateTable(TableDefinition.create({ name: 't', columns: [{ name: 'id', type: 'BIGINT', nullable: false }] }))
 * // CREATE TABLE `t` (\n  `id` BIGINT NOT NULL\n)
 * ```
 */
export const renderCreateTable = (def: TableDefinition, options?: RenderCreateTableOptions): string => {
  validateTableDefinition(def)
  const version = targetVersion(options)
  const subject = QualifiedName.key(def)
  const items = def.columns.map((c) => `  ${renderColumn(c, version, subject)}`)
  for (const ix of def.indexes ?? []) items.push(`  INDEX ${renderIndexBody(ix, version, subject)}`)
  const lines = [`CREATE TABLE ${options?.ifNotExists === true ? 'IF NOT EXISTS ' : ''}${renderQualifiedName(def)} (\n${items.join(',\n')}\n)`]
  if (def.key !== undefined) lines.push(`${def.key.model} KEY (${def.key.columns.map(quoteIdentifier).join(', ')})`)
  if (def.comment !== undefined) lines.push(`COMMENT ${quoteString(def.comment)}`)
  if (def.partitionBy !== undefined) lines.push(renderTablePartitioning(def.partitionBy, version, subject))
  if (def.distribution !== undefined) lines.push(renderTableDistribution(def.distribution, version, subject))
  if (def.orderBy !== undefined) {
    requireVersion(version, '3.0', subject, 'ORDER BY')
    lines.push(`ORDER BY (${def.orderBy.map(quoteIdentifier).join(', ')})`)
  }
  if (Object.keys(def.properties).length > 0) lines.push(`PROPERTIES (${renderPairs(def.properties)})`)
  return lines.join('\n')
}

const renderPairs = (properties: Readonly<Record<string, string>>): string =>
  Object.entries(properties).map(([k, v]) => `${quoteDoubleString(k)} = ${quoteDoubleString(v)}`).join(', ')

/** Options of {@link renderDropTable}. */
export interface RenderDropTableOptions {
  readonly ifExists?: boolean
  /** `FORCE`: skip the recycle bin (the data cannot be recovered). */
  readonly force?: boolean
}

/**
 * `DROP TABLE [IF EXISTS] name [FORCE]`.
 *
 * @example
 * ```ts
 * renderDropTable({ schema: 'shop', name: 'orders' }) // DROP TABLE `shop`.`orders`
 * ```
 */
export const renderDropTable = (target: QName, options?: RenderDropTableOptions): string =>
  `DROP TABLE ${options?.ifExists === true ? 'IF EXISTS ' : ''}${renderQualifiedName(target)}${options?.force === true ? ' FORCE' : ''}`

/**
 * `INSERT INTO to (cols) SELECT cols FROM from`: the copy step of a table rebuild. The columns are
 * those both tables have; the others of `to` take their defaults.
 *
 * @example
 * ```ts
 * renderCopyRows({ schema: 'shop', name: 'orders' }, { schema: 'shop', name: 'orders__srmv_new' }, ['id', 'amount'])
 * // INSERT INTO `shop`.`orders__srmv_new` (`id`, `amount`) SELECT `id`, `amount` FROM `shop`.`orders`
 * ```
 */
export const renderCopyRows = (from: QName, to: QName, columns: readonly string[]): string => {
  if (columns.length === 0) {
    throw new StarRocksMvError('INVALID_OP', `${QualifiedName.key(from)} → ${QualifiedName.key(to)}: copying rows needs at least one column in common.`, { table: QualifiedName.key(from) })
  }
  const list = columns.map(quoteIdentifier).join(', ')
  return `INSERT INTO ${renderQualifiedName(to)} (${list}) SELECT ${list} FROM ${renderQualifiedName(from)}`
}
