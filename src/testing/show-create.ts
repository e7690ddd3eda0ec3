import { quoteDoubleString, quoteIdentifier, quoteString } from '../sql/index.js'
import type { Catalog, Distribution, MvObject, RefreshScheme, TableObject, ViewObject } from './catalog.js'
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

/** SHOW CREATE VIEW text. */
export const showCreateView = (v: ViewObject): string =>
  `CREATE VIEW ${quoteIdentifier(v.name)} (${v.columns.map((c) => quoteIdentifier(c.name)).join(', ')})${v.comment === '' ? '' : ` COMMENT ${quoteDoubleString(v.comment)}`} AS ${v.definition};`

/** SHOW CREATE TABLE text (a plain rendering of what the emulator keeps). */
export const showCreateTable = (t: TableObject): string => {
  const cols = t.columns.map((c) =>
    `  ${quoteIdentifier(c.name)} ${c.type} ${c.nullable ? 'NULL' : 'NOT NULL'}${c.autoIncrement ? ' AUTO_INCREMENT' : ''}${c.comment === '' ? '' : ` COMMENT ${quoteDoubleString(c.comment)}`}`)
  const keyword = { DUP_KEYS: 'DUPLICATE', PRI_KEYS: 'PRIMARY', UNQ_KEYS: 'UNIQUE', AGG_KEYS: 'AGGREGATE' }[t.keysType]
  const parts = [`CREATE TABLE ${quoteIdentifier(t.name)} (\n${cols.join(',\n')}\n) ENGINE=OLAP`]
  if (t.keys.length > 0) parts.push(`${keyword} KEY(${t.keys.map(quoteIdentifier).join(', ')})`)
  if (t.comment !== '') parts.push(`COMMENT ${quoteDoubleString(t.comment)}`)
  if (t.distribution !== undefined) parts.push(distributionText(t.distribution))
  const props = [...t.properties].map(([k, v]) => `${quoteDoubleString(k)} = ${quoteDoubleString(v)}`)
  if (props.length > 0) parts.push(`PROPERTIES (\n${props.join(',\n')}\n)`)
  return `${parts.join('\n')};`
}
