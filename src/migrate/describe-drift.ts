import { isDeepStrictEqual } from 'node:util'
import { match } from 'ts-pattern'
import type { Change, TableAttributeChange, ViewAttributeChange } from '../diff/index.js'
import type { ColumnDefault, Distribution } from '../model/index.js'
import { formatColumns, formatDistribution, formatIndexes, formatList, formatRefresh, formatText, NONE } from '../diff/format-values.js'

const has = (mv: string, what: string, server: string, wanted: string): string => `${mv}: the server has ${what} ${server}; the schema wants ${wanted}`

/**
 * One difference between a live server and the state the schema wants, said in that direction:
 * what the server has first, then what the schema wants, then (where it helps) what the next
 * migration does about it. `change` comes from `diff(live, wanted)`.
 *
 * @example
 * ```ts
 * describeDrift({ kind: 'propertyRemoved', mv: 'daily', key: 'partition_ttl_number', from: '5', alterable: true, resetTo: '-1' })
 * // 'daily: the server has partition_ttl_number = 5; the schema does not set it: the next migration resets it to -1'
 * ```
 */
export const describeDrift = (change: Change): string =>
  match(change)
    .returnType<string>()
    .with({ kind: 'added' }, (c) => `${c.mv}: the server does not have it; the schema wants it created`)
    .with({ kind: 'removed' }, (c) => `${c.mv}: the server has it; the schema does not declare it`)
    .with({ kind: 'renamed' }, (c) => `${c.mv}: the server has it as ${c.from}; the schema names it ${c.mv}`)
    .with({ kind: 'refreshChanged' }, (c) => has(c.mv, 'REFRESH', formatRefresh(c.from), formatRefresh(c.to)))
    .with({ kind: 'propertyAdded' }, (c) => `${c.mv}: the server does not set ${c.key}; the schema wants ${c.key} = ${c.to}`)
    .with({ kind: 'propertyChanged' }, (c) => `${c.mv}: the server has ${c.key} = ${c.from}; the schema wants ${c.to}${c.alterable ? '' : ` (create-only: a rebuild)`}`)
    .with({ kind: 'propertyRemoved' }, (c) => {
      const next = !c.alterable
        ? 'it is create-only, so only a rebuild removes it'
        : c.resetTo === undefined
          ? 'it has no known default to reset it to'
          : `the next migration resets it to ${c.resetTo}`
      return `${c.mv}: the server has ${c.key} = ${c.from}; the schema does not set it: ${next}`
    })
    .with({ kind: 'queryChanged' }, (c) => `${c.mv}: the server's query differs from the schema's${c.mayBeRewrite ? ' (this may only be the server\'s rewrite of the same query)' : ''}`)
    .with({ kind: 'columnsChanged' }, (c) => has(c.mv, 'the column list', formatColumns(c.from), formatColumns(c.to)))
    .with({ kind: 'indexesChanged' }, (c) => has(c.mv, 'the indexes', formatIndexes(c.from), formatIndexes(c.to)))
    .with({ kind: 'commentChanged' }, (c) => has(c.mv, 'COMMENT', formatText(c.from), formatText(c.to)))
    .with({ kind: 'partitionByChanged' }, (c) => has(c.mv, 'PARTITION BY', formatList(c.from), formatList(c.to)))
    .with({ kind: 'distributionChanged' }, (c) => has(c.mv, 'DISTRIBUTED BY', formatDistribution(c.from), formatDistribution(c.to)))
    .with({ kind: 'bucketsChanged' }, (c) => has(c.mv, 'BUCKETS', c.from === undefined ? NONE : String(c.from), c.to === undefined ? NONE : String(c.to)))
    .with({ kind: 'orderByChanged' }, (c) => has(c.mv, 'ORDER BY', formatList(c.from), formatList(c.to)))
    .with({ kind: 'syncChanged' }, (c) => has(c.mv, 'a', c.from ? 'synchronous MV' : 'asynchronous MV', c.to ? 'a synchronous one' : 'an asynchronous one'))
    .with({ kind: 'inactive' }, (c) => `${c.mv}: the server has it inactive${c.reason === undefined ? '' : ` (${c.reason})`}; the schema wants it active`)
    .exhaustive()

/** A canonical column of {@link tableChanges} (`canonicalColumn`). */
interface CanonicalColumn {
  readonly name: string
  readonly type: string
  readonly nullable: boolean
  readonly default: ColumnDefault | null
  readonly comment: string
  readonly autoIncrement: boolean
  readonly aggregate: string | null
}

const formatDefault = (d: ColumnDefault): string =>
  match(d)
    .with({ kind: 'value' }, (v) => `DEFAULT ${JSON.stringify(v.value)}`)
    .with({ kind: 'current_timestamp' }, () => 'DEFAULT CURRENT_TIMESTAMP')
    .with({ kind: 'expression' }, (v) => `DEFAULT (${v.sql})`)
    .exhaustive()

/** `note VARCHAR(30) NULL DEFAULT "none" COMMENT "by hand"`, for messages. */
const formatColumn = (c: CanonicalColumn): string =>
  [
    c.name, c.type, ...(c.aggregate === null ? [] : [c.aggregate]), c.nullable ? 'NULL' : 'NOT NULL',
    ...(c.autoIncrement ? ['AUTO_INCREMENT'] : []), ...(c.default === null ? [] : [formatDefault(c.default)]),
    ...(c.comment === '' ? [] : [`COMMENT ${JSON.stringify(c.comment)}`]),
  ].join(' ')

const columnDrift = (table: string, server: readonly CanonicalColumn[], wanted: readonly CanonicalColumn[]): string[] => {
  const out: string[] = []
  const serverByName = new Map(server.map((c) => [c.name, c]))
  const wantedByName = new Map(wanted.map((c) => [c.name, c]))
  for (const c of server) if (!wantedByName.has(c.name)) out.push(`${table}: the server has column ${formatColumn(c)}; the schema does not declare it`)
  for (const c of wanted) {
    const s = serverByName.get(c.name)
    if (s === undefined) out.push(`${table}: the server does not have column ${c.name}; the schema wants ${formatColumn(c)}`)
    else if (!isDeepStrictEqual(s, c)) out.push(`${table}: the server has column ${formatColumn(s)}; the schema wants ${formatColumn(c)}`)
  }
  const order = (cols: readonly CanonicalColumn[], other: ReadonlyMap<string, CanonicalColumn>): string[] => cols.map((c) => c.name).filter((n) => other.has(n))
  if (out.length === 0) out.push(has(table, 'the columns in the order', `(${order(server, wantedByName).join(', ')})`, `(${order(wanted, serverByName).join(', ')})`))
  return out
}

const formatKey = (k: unknown): string => {
  const key = k as { model: string; columns: readonly string[] }
  return `${key.model} KEY(${key.columns.join(', ')})`
}

const formatValue = (v: unknown): string => (v === null || v === undefined ? NONE : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v))

/**
 * The differences of one table attribute between a live server and the state the schema wants, in
 * words, server first (one sentence per column or property). `change` comes from
 * `tableChanges(live, wanted, { live: true })`.
 *
 * @example
 * ```ts
 * describeTableDrift('store.orders', { attribute: 'comment', from: 'old', to: 'new' })
 * // ['store.orders: the server has COMMENT "old"; the schema wants "new"']
 * ```
 */
export const describeTableDrift = (table: string, change: TableAttributeChange): string[] =>
  match(change.attribute)
    .returnType<string[]>()
    .with('columns', () => columnDrift(table, change.from as CanonicalColumn[], change.to as CanonicalColumn[]))
    .with('key', () => [has(table, 'the key', formatKey(change.from), formatKey(change.to))])
    .with('comment', () => [has(table, 'COMMENT', formatText(change.from as string), formatText(change.to as string))])
    .with('partitionBy', () => [has(table, 'PARTITION BY', formatValue(change.from), formatValue(change.to))])
    .with('distribution', () => [has(table, 'DISTRIBUTED BY', formatDistribution(change.from as Distribution), formatDistribution(change.to as Distribution))])
    .with('orderBy', () => [has(table, 'ORDER BY', formatList(change.from as string[]), formatList(change.to as string[]))])
    .with('indexes', () => [has(table, 'the indexes', formatValue(change.from), formatValue(change.to))])
    .with('properties', () => {
      const a = change.from as Record<string, string>
      const b = change.to as Record<string, string>
      return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => a[k] !== b[k]).map((k) =>
        a[k] === undefined ? `${table}: the server does not set ${k}; the schema wants ${k} = ${b[k] ?? ''}`
          : b[k] === undefined ? `${table}: the server has ${k} = ${a[k]}; the schema does not set it`
            : `${table}: the server has ${k} = ${a[k]}; the schema wants ${b[k]}`)
    })
    .exhaustive()

/**
 * One difference of a view between a live server and the state the schema wants, in words, server
 * first. `change` comes from `viewChanges(live, wanted, { live: true })`.
 *
 * @example
 * ```ts
 * describeViewDrift('shop.v', { attribute: 'comment', from: '', to: 'active users' })
 * // 'shop.v: the server has COMMENT ""; the schema wants "active users"'
 * ```
 */
export const describeViewDrift = (view: string, change: ViewAttributeChange): string =>
  match(change.attribute)
    .returnType<string>()
    .with('query', () => `${view}: the server's query differs from the schema's`)
    .with('columns', () => has(view, 'the column list', formatValue(change.from), formatValue(change.to)))
    .with('comment', () => has(view, 'COMMENT', formatText(change.from as string), formatText(change.to as string)))
    .with('security', () => has(view, 'SECURITY', String(change.from), String(change.to)))
    .exhaustive()
