import { quoteDoubleString, quoteIdentifier, quoteString } from '../sql/index.js'
import type { Catalog, ColumnDef, Distribution, IndexDef, MvObject, RefreshScheme, TableObject, TablePartition, ViewObject } from './catalog.js'
import { printExpr, type PrintContext } from './expression.js'

/** Partition expressions print their columns bare and back-quoted: `date_trunc('month', \`k1\`)`. */
const partitionContext: PrintContext = { column: (e) => quoteIdentifier(e.parts[e.parts.length - 1] as string) }

/** `PARTITION BY` text as SHOW CREATE prints it: always parenthesised. */
export const partitionText = (mv: MvObject): string =>
  `(${mv.partitionExprs.map((e) => printExpr(e, partitionContext)).join(', ')})`

/** `DISTRIBUTED BY` text; `BUCKETS n ` keeps the trailing space StarRocks prints. */
export const distributionText = (d: Distribution): string => {
  const head = d.kind === 'hash' ? `HASH(${d.columns.map(quoteIdentifier).join(', ')})` : 'RANDOM'
  return `DISTRIBUTED BY ${head}${d.buckets === undefined ? '' : ` BUCKETS ${d.buckets} `}`
}

/** The refresh clause in the spelling of the catalog's version. */
export const refreshText = (r: RefreshScheme, cat: Catalog): string => {
  const moment = r.moment === 'DEFERRED' ? 'DEFERRED ' : ''
  if (r.kind === 'MANUAL') return `REFRESH ${moment}MANUAL`
  if (r.kind === 'ASYNC') return `REFRESH ${moment}${cat.features.onChange ? 'ON_CHANGE' : 'ASYNC'}`
  const start = r.start === undefined ? '' : ` START(${quoteDoubleString(r.start)})`
  const every = r.every === undefined ? '' : ` EVERY(INTERVAL ${r.every.n} ${r.every.unit})`
  return `REFRESH ${moment}${cat.features.schedule ? 'SCHEDULE' : 'ASYNC'}${start}${every}`
}

const TRAILING = new Set(['replication_num', 'storage_medium', 'storage_cooldown_time', 'replicated_storage'])

/**
 * The properties SHOW CREATE lists, in the order 3.5 prints them: `replicated_storage`, the
 * user's other properties sorted by name, `replication_num`, `storage_medium`,
 * `storage_cooldown_time`, then properties added later by ALTER ... SET.
 */
export const mvProperties = (mv: MvObject, cat: Catalog): Map<string, string> => {
  const user = mv.createProperties
  const out = new Map<string, string>()
  if (!cat.features.legacyPrint) out.set('replicated_storage', user.get('replicated_storage') ?? 'true')
  for (const key of [...user.keys()].filter((k) => !TRAILING.has(k)).sort()) out.set(key, user.get(key) as string)
  out.set('replication_num', user.get('replication_num') ?? String(cat.defaultReplicationNum))
  out.set('storage_medium', user.get('storage_medium') ?? 'HDD')
  const cooldown = user.get('storage_cooldown_time')
  if (cooldown !== undefined) out.set('storage_cooldown_time', cooldown)
  for (const [k, v] of mv.alteredProperties) out.set(k, v)
  return out
}

/** SHOW CREATE MATERIALIZED VIEW text for the catalog's version. */
export const showCreateMv = (mv: MvObject, cat: Catalog): string => {
  if (mv.sync) return mv.createText
  const legacy = cat.features.legacyPrint
  const lines: string[] = []
  const head = `CREATE MATERIALIZED VIEW ${quoteIdentifier(mv.name)}`
  if (legacy) {
    lines.push(head)
    lines.push(`COMMENT ${quoteDoubleString(mv.comment ?? 'MATERIALIZED_VIEW')}`)
  } else {
    const cols = mv.columns.map((c) => `${quoteIdentifier(c.name)}${c.comment === undefined ? '' : ` COMMENT ${quoteDoubleString(c.comment)}`}`)
    for (const ix of mv.indexes) {
      const props = ix.properties.length === 0 ? '' : ` (${ix.properties.map(([k, v]) => `${quoteDoubleString(k)} = ${quoteDoubleString(v)}`).join(', ')})`
      cols.push(`INDEX ${ix.name} (${ix.columns.map(quoteIdentifier).join(', ')})${ix.using === undefined ? '' : ` USING ${ix.using}${props}`} COMMENT ${quoteString(ix.comment)}`)
    }
    lines.push(`${head} (${cols.join(', ')})`)
    if (mv.comment !== undefined) lines.push(`COMMENT ${quoteDoubleString(mv.comment)}`)
  }
  if (mv.partitionExprs.length > 0) lines.push(`PARTITION BY ${partitionText(mv)}`)
  lines.push(distributionText(mv.distribution))
  if (mv.orderBy.length > 0) lines.push(`ORDER BY (${mv.orderBy.map(quoteIdentifier).join(', ')})`)
  lines.push(refreshText(mv.refresh, cat))
  const props = [...mvProperties(mv, cat)].map(([k, v]) => `${quoteDoubleString(k)} = ${quoteDoubleString(v)}`)
  lines.push(`PROPERTIES (\n${props.join(',\n')}\n)`)
  lines.push(`AS ${cat.features.keepsQueryText ? mv.queryText : mv.rewrittenQuery};`)
  return lines.join('\n')
}

/** SHOW CREATE VIEW text: the column list (with comments), COMMENT, SECURITY, then the stored query. */
export const showCreateView = (v: ViewObject): string => {
  const cols = v.columns.map((c) => `${quoteIdentifier(c.name)}${c.comment === undefined ? '' : ` COMMENT ${quoteDoubleString(c.comment)}`}`)
  const comment = v.comment === '' ? '' : ` COMMENT ${quoteDoubleString(v.comment)}`
  const security = v.security === undefined ? '' : ` SECURITY ${v.security}`
  return `CREATE VIEW ${quoteIdentifier(v.name)} (${cols.join(', ')})${comment}${security} AS ${v.definition};`
}

const INT_WIDTH: Readonly<Record<string, string>> = { TINYINT: 'tinyint(4)', SMALLINT: 'smallint(6)', INT: 'int(11)', INTEGER: 'int(11)', BIGINT: 'bigint(20)', LARGEINT: 'largeint(40)' }

const splitTop = (text: string): string[] => {
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
  return out.map((x) => x.trim())
}

/** A column type as SHOW CREATE TABLE prints it: lower case, integer display widths, `varchar(65533)` for STRING. */
export const printColumnType = (type: string): string => {
  const m = /^([A-Za-z_0-9]+)\s*(?:\(([^)]*)\))?\s*(?:<(.*)>)?/s.exec(type.trim())
  if (m === null) return type.toLowerCase()
  const base = (m[1] as string).toUpperCase()
  const args = m[2]?.split(',').map((a) => a.trim())
  const nested = m[3]
  const width = INT_WIDTH[base]
  if (width !== undefined) return width
  if (base === 'STRING' || base === 'TEXT') return 'varchar(65533)'
  if (base.startsWith('DECIMAL')) return `decimal(${args?.[0] ?? '10'}, ${args?.[1] ?? '0'})`
  if (base === 'VARCHAR' || base === 'CHAR' || base === 'VARBINARY') return `${base.toLowerCase()}(${args?.[0] ?? (base === 'VARCHAR' ? '1' : '1')})`
  if (base === 'STRUCT' && nested !== undefined) {
    return `struct<${splitTop(nested).map((f) => {
      const fm = /^`?([^`\s]+)`?\s+(.+)$/s.exec(f)
      return fm === null ? f : `${fm[1] as string} ${printColumnType(fm[2] as string)}`
    }).join(', ')}>`
  }
  if (nested !== undefined) return `${base.toLowerCase()}<${splitTop(nested).map(printColumnType).join(',')}>`
  return base.toLowerCase()
}

const printColumn = (c: ColumnDef): string => {
  let out = `  ${quoteIdentifier(c.name)} ${printColumnType(c.type)}`
  if (c.aggregate !== undefined) out += ` ${c.aggregate}`
  out += c.nullable ? ' NULL' : ' NOT NULL'
  if (c.autoIncrement) out += ' AUTO_INCREMENT'
  if (c.defaultText !== undefined) out += ` DEFAULT ${c.defaultText}`
  return `${out} COMMENT ${quoteDoubleString(c.comment)}`
}

const printIndex = (ix: IndexDef): string => {
  const props = ix.properties.size === 0 ? '' : `(${[...ix.properties].map(([k, v]) => `${quoteDoubleString(k)} = ${quoteDoubleString(v)}`).join(', ')}) `
  return `  INDEX ${ix.name} (${ix.columns.map(quoteIdentifier).join(', ')}) USING ${ix.using} ${props}COMMENT ${quoteString(ix.comment)}`
}

/** The PARTITION BY clause of a table as SHOW CREATE TABLE prints it. */
const tablePartitionText = (p: TablePartition): string => {
  if (p.kind === 'expression') {
    const texts = p.exprs.map((e) => printExpr(e, partitionContext))
    return p.exprs.length === 1 && p.exprs[0]?.k === 'func' ? `PARTITION BY ${texts[0] ?? ''}` : `PARTITION BY (${texts.join(', ')})`
  }
  const head = `PARTITION BY ${p.kind === 'range' ? 'RANGE' : 'LIST'}(${p.columns.map(quoteIdentifier).join(', ')})`
  return `${head}\n(${p.partitions.map((x) => `PARTITION ${x.name} VALUES ${x.values}`).join(',\n')})`
}

const LEGACY_TABLE_DEFAULTS = ['replication_num', 'in_memory', 'enable_persistent_index', 'replicated_storage', 'compression']

/**
 * The properties SHOW CREATE TABLE lists. From 3.3 the server prints them sorted by name, with
 * `compression`, `fast_schema_evolution`, `replicated_storage` and `replication_num` always present
 * (and `enable_persistent_index` for PRIMARY KEY tables); before 3.3 it prints `replication_num`,
 * `in_memory`, `enable_persistent_index`, `replicated_storage`, `compression` first (the SHOW CREATE
 * TABLE docs), then the others as given.
 */
export const tableProperties = (t: TableObject, cat: Catalog): Map<string, string> => {
  const user = t.properties
  const defaults = new Map<string, string>([
    ['compression', 'LZ4'],
    ['replicated_storage', 'true'],
    ['replication_num', String(cat.defaultReplicationNum)],
  ])
  if (cat.features.sortedTableProperties) {
    defaults.set('fast_schema_evolution', 'true')
    if (t.keysType === 'PRI_KEYS') defaults.set('enable_persistent_index', 'true')
    const all = new Map([...defaults, ...user])
    return new Map([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  }
  defaults.set('in_memory', 'false')
  defaults.set('enable_persistent_index', t.keysType === 'PRI_KEYS' ? 'true' : 'false')
  const out = new Map<string, string>()
  for (const k of LEGACY_TABLE_DEFAULTS) {
    if (k === 'replicated_storage' && cat.features.legacyPrint) continue
    out.set(k, user.get(k) ?? (defaults.get(k) as string))
  }
  for (const [k, v] of user) if (!out.has(k)) out.set(k, v)
  return out
}

/**
 * A table's distribution as the server reports it: without DISTRIBUTED BY, a Duplicate Key table is
 * RANDOM-distributed (3.1+) and any other table is hash-distributed on its key (random bucketing
 * exists for Duplicate Key tables only).
 */
export const tableDistribution = (t: TableObject, cat: Catalog): Distribution | undefined =>
  t.distribution ?? (t.keysType !== 'DUP_KEYS' ? { kind: 'hash', columns: t.keys } : cat.features.random ? { kind: 'random' } : undefined)

/**
 * SHOW CREATE TABLE text as StarRocks 3.x prints it (SHOW CREATE TABLE docs and printed DDL): columns
 * with lower-case types and display widths, `NULL`/`NOT NULL`, `COMMENT ""` on every column, indexes
 * folded into the column list, `) ENGINE=OLAP `, the key (StarRocks's own DUPLICATE KEY when none was
 * given), COMMENT (`"OLAP"` before 3.0 when none was given), PARTITION BY, `DISTRIBUTED BY ... BUCKETS n `
 * (RANDOM when none was given), `ORDER BY(...)`, and PROPERTIES with the server's defaults.
 */
export const showCreateTable = (t: TableObject, cat: Catalog): string => {
  const items = [...t.columns.map(printColumn), ...t.indexes.map(printIndex)]
  const keyword = { DUP_KEYS: 'DUPLICATE', PRI_KEYS: 'PRIMARY', UNQ_KEYS: 'UNIQUE', AGG_KEYS: 'AGGREGATE' }[t.keysType]
  const parts = [`CREATE TABLE ${quoteIdentifier(t.name)} (\n${items.join(',\n')}\n) ENGINE=OLAP `]
  parts.push(`${keyword} KEY(${t.keys.map(quoteIdentifier).join(', ')})`)
  if (t.comment !== '') parts.push(`COMMENT ${quoteDoubleString(t.comment)}`)
  else if (cat.features.legacyPrint) parts.push('COMMENT "OLAP"')
  if (t.partition !== undefined) parts.push(tablePartitionText(t.partition))
  const distribution = tableDistribution(t, cat)
  if (distribution !== undefined) parts.push(distributionText(distribution))
  if (t.orderBy.length > 0) parts.push(`ORDER BY(${t.orderBy.map(quoteIdentifier).join(', ')})`)
  const props = [...tableProperties(t, cat)].map(([k, v]) => `${quoteDoubleString(k)} = ${quoteDoubleString(v)}`)
  parts.push(`PROPERTIES (\n${props.join(',\n')}\n)`)
  return `${parts.join('\n')};`
}
