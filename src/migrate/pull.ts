/**
 * A schema module (TypeScript source) from a {@link SchemaState}: what `srmv pull` writes. The
 * escaping here is JavaScript's; every SQL text is carried over exactly as the state holds it, and
 * the generated code rebuilds the definitions through the public builders.
 */
import { normalizePropertyValue } from '../diff/index.js'
import {
  DEFAULT_VERSION,
  MvDefinition,
  QualifiedName,
  TableDefinition,
  type ColumnDefault,
  type SchemaState,
  type TableColumn,
  type TablePartitioning,
  type ViewDefinition,
} from '../model/index.js'
import { definitionToCode } from '../ops/to-code.js'
import { propertyDefault, tablePropertySpec } from '../render/index.js'
import { jsString, jsTemplate, queryTableReferences, quoteQualified, unquoteIdentifier } from '../sql/index.js'
import { PACKAGE_NAME } from './module-loader.js'

/** Options of {@link schemaModuleFromState}. */
export interface SchemaModuleOptions {
  /** The module the generated file imports the builders from (default `starrocks-mv`). */
  readonly importFrom?: string
  /** Lines for the comment at the top of the file (e.g. where the state was read from). */
  readonly header?: readonly string[]
  /** Write `export default defineSchema({...})` listing every declared object (default true). */
  readonly defineSchema?: boolean
  /**
   * Leave out properties whose value is the server's default for the state's version (such as
   * `replicated_storage = "true"`, which servers report although nobody wrote it). Default: true for
   * a state read from a server (`origin: 'server'`), false otherwise. `diff` reads an omitted
   * property as its default, so the module still equals the state.
   */
  readonly omitServerDefaults?: boolean
}

/** What one export of a generated schema module declares. */
export interface SchemaModuleExport {
  readonly kind: 'table' | 'view' | 'mv'
  /** The object's qualified key (`db.name`). */
  readonly key: string
  readonly exportName: string
}

/** A generated schema module: its source, what it declares, and what could not be carried over as written. */
export interface SchemaModule {
  readonly source: string
  /** The exports in the order the module declares them (each after what its query references). */
  readonly exports: readonly SchemaModuleExport[]
  readonly counts: { readonly tables: number; readonly views: number; readonly mvs: number }
  /** Typed references written into queries (`${orders}` in place of `` `shop`.`orders` ``). */
  readonly references: number
  /** What the module cannot express exactly, one sentence each (the rest round-trips). */
  readonly warnings: readonly string[]
}

type Node =
  | { readonly kind: 'table'; readonly key: string; readonly def: TableDefinition }
  | { readonly kind: 'view'; readonly key: string; readonly def: ViewDefinition }
  | { readonly kind: 'mv'; readonly key: string; readonly def: MvDefinition }

/** A span of a query to write as `${exportName}`, and the node it names. */
interface Replacement {
  readonly start: number
  readonly end: number
  readonly target: Node
}

const KIND_RANK = { table: 0, view: 1, mv: 2 } as const
const KIND_SUFFIX = { table: 'Table', view: 'View', mv: 'Mv' } as const

/** Names an export may not take: reserved words, and the names the module imports. */
const RESERVED: ReadonlySet<string> = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await',
  'implements', 'interface', 'package', 'private', 'protected', 'public', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
  'as', 'async', 'from', 'of', 'get', 'set', 'type', 'declare', 'namespace', 'module', 'satisfies',
  'mv', 'sql', 'table', 'view', 'defineSchema',
])

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** `daily_sales_mv` → `dailySalesMv`, `ORDERS` → `orders`, `2024_sales` → `_2024Sales`; '' when nothing is left. */
export const camelName = (name: string): string => {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== '')
  const out = words
    .map((w, i) => {
      const lower = w === w.toUpperCase() ? w.toLowerCase() : w
      return i === 0 ? lower.charAt(0).toLowerCase() + lower.slice(1) : lower.charAt(0).toUpperCase() + lower.slice(1)
    })
    .join('')
  return /^[0-9]/.test(out) ? `_${out}` : out
}

const nodeKey = (q: QualifiedName): string => JSON.stringify([q.schema ?? null, q.name])

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const byPriority = (a: Node, b: Node): number => KIND_RANK[a.kind] - KIND_RANK[b.kind] || cmp(a.key, b.key)

/** Collision-free export names: the camel-cased name, else with the database, else with the kind, else numbered. */
const exportNames = (nodes: readonly Node[]): Map<Node, string> => {
  const taken = new Set<string>()
  const names = new Map<Node, string>()
  const free = (n: string): boolean => n !== '' && IDENT.test(n) && !RESERVED.has(n) && !taken.has(n)
  for (const node of [...nodes].sort(byPriority)) {
    const base = camelName(node.def.name)
    const withSchema = node.def.schema === undefined ? '' : camelName(`${node.def.schema}_${node.def.name}`)
    const fallback = (base === '' ? node.kind : base) + KIND_SUFFIX[node.kind]
    let chosen = [base, withSchema, fallback].find(free)
    for (let i = 2; chosen === undefined; i++) if (free(`${fallback}${i}`)) chosen = `${fallback}${i}`
    taken.add(chosen)
    names.set(node, chosen)
  }
  return names
}

/** The query of a view or MV, or undefined for a table. */
const queryOf = (node: Node): string | undefined => (node.kind === 'table' ? undefined : node.def.query)

/**
 * The objects a query names that the module declares (`targets`, for the order of declarations),
 * and the spans written exactly as `${ref}` would render them (`replacements`). A span is taken
 * only where the query names a table (after FROM, JOIN, or a comma of a FROM list), the name
 * resolves to the declared object (an unqualified name only between objects without a database),
 * and its text is byte for byte the quoted name the reference renders: the query text never changes.
 * A name of an external catalog (`hive.sales.orders`) is never a declared object: it stays as text.
 */
const referencesOf = (node: Node, lookup: ReadonlyMap<string, Node>): { targets: Set<Node>; replacements: Replacement[] } => {
  const targets = new Set<Node>()
  const replacements: Replacement[] = []
  const query = queryOf(node)
  if (query === undefined) return { targets, replacements }
  let refs: ReturnType<typeof queryTableReferences>
  try {
    refs = queryTableReferences(query)
  } catch {
    return { targets, replacements } // text the tokenizer cannot read stays as it is
  }
  for (const r of refs) {
    if (r.catalog !== undefined) continue // a table of an external catalog: never one of ours, its name stays as text
    const schema = r.schema ?? node.def.schema
    const target = lookup.get(nodeKey(QualifiedName.create(r.name, schema)))
    if (target === undefined || target === node) continue
    targets.add(target)
    const k = target.def.schema === undefined ? 1 : 2
    if (r.parts.length < k || (r.schema === undefined) !== (target.def.schema === undefined)) continue
    const first = r.parts[r.parts.length - k]
    const last = r.parts[r.parts.length - 1]
    if (first === undefined || last === undefined) continue
    const rendered = target.def.schema === undefined ? quoteQualified(target.def.name) : quoteQualified(target.def.schema, target.def.name)
    if (query.slice(first.start, last.end) !== rendered) continue
    replacements.push({ start: first.start, end: last.end, target })
  }
  return { targets, replacements }
}

/**
 * Declaration order: each object after the objects its query names (tables first, then views,
 * then MVs, by key, where the order is free). Names in a circle (which no server holds) are kept
 * as text for the object that closes it.
 */
const declarationOrder = (nodes: readonly Node[], targets: ReadonlyMap<Node, ReadonlySet<Node>>): Node[] => {
  const done = new Set<Node>()
  const out: Node[] = []
  const remaining = [...nodes].sort(byPriority)
  while (remaining.length > 0) {
    const i = remaining.findIndex((n) => [...(targets.get(n) ?? [])].every((t) => done.has(t)))
    const [next] = remaining.splice(i < 0 ? 0 : i, 1)
    done.add(next as Node)
    out.push(next as Node)
  }
  return out
}

const objectCode = (entries: readonly (readonly [string, string])[]): string =>
  entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${v}`).join(', ')} }`

/** An object key: bare when an identifier, quoted otherwise; `__proto__` computed, so it stays a key. */
const propertyKey = (k: string): string => (k === '__proto__' ? `[${jsString(k)}]` : IDENT.test(k) ? k : jsString(k))

const listCode = (items: readonly string[]): string => `[${items.map(jsString).join(', ')}]`

/** The types `table()` checks at compile time (see `StarRocksType`); others load, but tsc refuses them. */
const TYPED = /^(BOOLEAN|TINYINT|SMALLINT|INT|INTEGER|BIGINT|LARGEINT|FLOAT|DOUBLE|DECIMAL|DECIMAL\(\d+(, ?\d+)?\)|DATE|DATETIME|CHAR\(\d+\)|VARCHAR\(\d+\)|STRING|BINARY|VARBINARY\(\d+\)|JSON|BITMAP|HLL|PERCENTILE|(ARRAY|MAP|STRUCT)<.*>)$/s

const defaultCode = (d: ColumnDefault): string => {
  switch (d.kind) {
    case 'value':
      return jsString(d.value)
    case 'current_timestamp':
      return '{ currentTimestamp: true }'
    case 'expression':
      return `sql.raw(${jsString(d.sql)})`
  }
}

const columnCode = (c: TableColumn): string => {
  const plain = c.nullable && c.default === undefined && c.comment === undefined && c.autoIncrement !== true && c.aggregate === undefined
  if (plain) return jsString(c.type)
  const entries: [string, string][] = [['type', jsString(c.type)]]
  if (!c.nullable) entries.push(['notNull', 'true'])
  if (c.default !== undefined) entries.push(['default', defaultCode(c.default)])
  if (c.comment !== undefined) entries.push(['comment', jsString(c.comment)])
  if (c.autoIncrement === true) entries.push(['autoIncrement', 'true'])
  if (c.aggregate !== undefined) entries.push(['aggregate', jsString(c.aggregate)])
  return objectCode(entries)
}


const partitionCode = (p: TablePartitioning): string => {
  switch (p.kind) {
    case 'expression': {
      const cols = p.expressions.map((e) => unquoteIdentifier(e))
      if (cols.every((c): c is string => c !== undefined)) return `{ columns: ${listCode(cols)} }`
      if (p.expressions.length === 1) return `sql.raw(${jsString(p.expressions[0] as string)})`
      return `{ expressions: [${p.expressions.map((e, i) => (cols[i] === undefined ? `sql.raw(${jsString(e)})` : jsString(cols[i] as string))).join(', ')}] }`
    }
    case 'range':
      return `{ range: ${listCode(p.columns)}, partitions: [${p.partitions
        .map((x) => ('lessThan' in x ? objectCode([['name', jsString(x.name)], ['lessThan', listCode(x.lessThan)]]) : objectCode([['name', jsString(x.name)], ['lower', listCode(x.lower)], ['upper', listCode(x.upper)]])))
        .join(', ')}] }`
    case 'list':
      return `{ list: ${listCode(p.columns)}, partitions: [${p.partitions
        .map((x) => objectCode([['name', jsString(x.name)], ['values', `[${x.values.map(listCode).join(', ')}]`]]))
        .join(', ')}] }`
  }
}

const KEY_OPTION = { DUPLICATE: 'duplicateKey', AGGREGATE: 'aggregateKey', UNIQUE: 'uniqueKey', PRIMARY: 'primaryKey' } as const

/** Table properties as `properties` (typed from the catalog) and `unknownProperties` (kept as strings). */
const tablePropertiesCode = (def: TableDefinition, warn: (m: string) => void): [string, string][] => {
  const typed: [string, string][] = []
  const unknown: [string, string][] = []
  for (const [k, v] of Object.entries(def.properties)) {
    const spec = tablePropertySpec(k)
    if (spec === undefined) unknown.push([k, jsString(v)])
    else if (spec.type === 'number') {
      if (/^-?\d{1,15}$/.test(v) && String(Number(v)) === v) typed.push([k, v])
      else unknown.push([k, jsString(v)])
    } else if (spec.type === 'boolean') {
      if (v === 'true' || v === 'false') typed.push([k, v])
      else {
        warn(`${QualifiedName.key(def)}: property "${k}" = ${JSON.stringify(v)} is not true or false; table() refuses it. Edit the value.`)
        unknown.push([k, jsString(v)])
      }
    } else if (spec.type === 'enum' && spec.values?.includes(v) !== true) unknown.push([k, jsString(v)])
    else typed.push([k, jsString(v)])
  }
  const out: [string, string][] = []
  if (typed.length > 0) out.push(['properties', objectCode(typed)])
  if (unknown.length > 0) out.push(['unknownProperties', objectCode(unknown)])
  return out
}

const tableCode = (def: TableDefinition, warn: (m: string) => void): string => {
  const subject = QualifiedName.key(def)
  for (const c of def.columns) {
    if (!TYPED.test(c.type)) warn(`${subject}: column "${c.name}" has type ${c.type}, which table() takes at run time but the type checker does not know; tsc may refuse the line.`)
    if (c.name === '__proto__') warn(`${subject}: column "__proto__" cannot be declared with table(); the module refuses to load until the column is removed from it.`)
    if (/^(0|[1-9]\d*)$/.test(c.name) && def.columns.length > 1) warn(`${subject}: column "${c.name}" is a number, which JavaScript objects put first: the column order in the module differs from the server's.`)
  }
  const columns = `{\n${def.columns.map((c) => `    ${propertyKey(c.name)}: ${columnCode(c)},`).join('\n')}\n  }`
  const options: [string, string][] = []
  if (def.schema !== undefined) options.push(['schema', jsString(def.schema)])
  if (def.key !== undefined) options.push([KEY_OPTION[def.key.model], listCode(def.key.columns)])
  if (def.comment !== undefined) options.push(['comment', jsString(def.comment)])
  if (def.partitionBy !== undefined) options.push(['partitionBy', partitionCode(def.partitionBy)])
  if (def.distribution !== undefined) {
    const d = def.distribution
    const buckets: [string, string][] = d.buckets === undefined ? [] : [['buckets', String(d.buckets)]]
    options.push(['distributedBy', objectCode(d.kind === 'hash' ? [['hash', listCode(d.columns)], ...buckets] : [['random', 'true'], ...buckets])])
  }
  if (def.orderBy !== undefined) options.push(['orderBy', listCode(def.orderBy)])
  if (def.indexes !== undefined && def.indexes.length > 0) {
    const ix = def.indexes.map((i) => {
      const e: [string, string][] = [['name', jsString(i.name)], ['columns', listCode(i.columns)], ['using', jsString(i.using)]]
      if (i.properties !== undefined) e.push(['properties', objectCode(Object.entries(i.properties).map(([k, v]) => [k, jsString(v)]))])
      if (i.comment !== undefined) e.push(['comment', jsString(i.comment)])
      return `\n      ${objectCode(e)},`
    })
    options.push(['indexes', `[${ix.join('')}\n    ]`])
  }
  options.push(...tablePropertiesCode(def, warn))
  if (options.every(([k]) => k === 'schema')) options.push(['managed', 'true'])
  const opts = `{\n${options.map(([k, v]) => `    ${k}: ${v},`).join('\n')}\n  }`
  return `table(\n  ${jsString(def.name)},\n  ${columns},\n  ${opts},\n)`
}

/** A query as a `sql` template: the text exactly, with `${ref}` at each replaced span. */
const queryCode = (query: string, replacements: readonly Replacement[], names: ReadonlyMap<Node, string>): string => {
  const chunk = (t: string): string => jsTemplate(t).slice(1, -1)
  let out = 'sql`'
  let at = 0
  for (const r of [...replacements].sort((a, b) => a.start - b.start)) {
    out += `${chunk(query.slice(at, r.start))}\${${names.get(r.target) as string}}`
    at = r.end
  }
  return `${out}${chunk(query.slice(at))}\``
}

const viewCode = (def: ViewDefinition, query: string): string => {
  const lines = [`view(${jsString(def.name)})`]
  if (def.schema !== undefined) lines.push(`  .schema(${jsString(def.schema)})`)
  if (def.columns !== undefined && def.columns.length > 0) {
    lines.push(`  .columns(${def.columns.map((c) => (c.comment === undefined ? jsString(c.name) : objectCode([['name', jsString(c.name)], ['comment', jsString(c.comment)]]))).join(', ')})`)
  }
  if (def.comment !== undefined) lines.push(`  .comment(${jsString(def.comment)})`)
  if (def.security !== undefined) lines.push(`  .security(${jsString(def.security)})`)
  lines.push(`  .as(${query})`)
  return lines.join('\n')
}

/** `properties` without those equal (as `normal` compares them) to their default. */
const withoutDefaults = (
  properties: Readonly<Record<string, string>>,
  defaultOf: (key: string) => string | undefined,
  normal: (key: string, value: string) => string,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(properties).filter(([k, v]) => {
      const d = defaultOf(k)
      return d === undefined || normal(k, d) !== normal(k, v)
    }),
  )

/** Comment text that cannot end the comment early. */
const commentLine = (text: string): string => text.replaceAll('*/', '*\\/').replace(/[\r\n\u2028\u2029]+/g, ' ')

/**
 * The TypeScript source of a schema module that declares every table, view and MV of `state`:
 * `table(...)` with its full DDL, `view(...)` and `mv(...)` with every clause, and (by default)
 * `export default defineSchema({...})` over all of them. Where a query names an object the module
 * declares, written exactly as the reference renders it (`` `shop`.`orders` ``), the query is a
 * `sql` template with `${orders}` there, so the dependency is typed; every other part of every query
 * is kept as text, byte for byte. Each object is declared after the objects its query names.
 * Export names are the camel-cased object names, made unique (with the database, then the kind)
 * and never reserved words. Loading the module gives back a desired state that `diff` finds equal
 * to `state`; `warnings` lists what the builders cannot express exactly. Pure: no I/O.
 *
 * @example
 * ```ts
 * const state = await reflect(client, { schemas: ['shop'], objects: ['mvs', 'tables', 'views'] })
 * const { source, counts } = schemaModuleFromState(state, { header: ['Pulled from shop.'] })
 * writeFileSync('schema.ts', source) // export const orders = table('orders', {...}, {...}) ...
 * ```
 */
export const schemaModuleFromState = (state: SchemaState, options: SchemaModuleOptions = {}): SchemaModule => {
  const omit = options.omitServerDefaults ?? state.origin === 'server'
  const version = state.serverVersion ?? DEFAULT_VERSION
  const mvProps = (def: MvDefinition): MvDefinition =>
    omit ? MvDefinition.with(def, { properties: withoutDefaults(def.properties, (k) => propertyDefault(k, version), (k, v) => normalizePropertyValue(k, v)) }) : def
  const tableProps = (def: TableDefinition): TableDefinition =>
    omit ? TableDefinition.with(def, { properties: withoutDefaults(def.properties, (k) => tablePropertySpec(k)?.default, (_, v) => v.toLowerCase()) }) : def
  const nodes: Node[] = [
    ...(state.tables ?? []).map((def): Node => ({ kind: 'table', key: QualifiedName.key(def), def: tableProps(def) })),
    ...(state.views ?? []).map((def): Node => ({ kind: 'view', key: QualifiedName.key(def), def })),
    ...state.mvs.map((def): Node => ({ kind: 'mv', key: QualifiedName.key(def), def: mvProps(def) })),
  ]
  const warnings: string[] = []
  const lookup = new Map<string, Node>()
  for (const n of nodes) {
    const k = nodeKey(n.def)
    if (lookup.has(k)) warnings.push(`${n.key} is declared twice (as a ${lookup.get(k)?.kind} and as a ${n.kind}); a server holds one object per name.`)
    else lookup.set(k, n)
  }
  const names = exportNames(nodes)
  const refs = new Map(nodes.map((n) => [n, referencesOf(n, lookup)] as const))
  const order = declarationOrder(nodes, new Map([...refs].map(([n, r]) => [n, r.targets])))
  const declared = new Set<Node>()
  let references = 0
  const blocks: string[] = []
  const warn = (m: string): void => {
    warnings.push(m)
  }
  for (const node of order) {
    const name = names.get(node) as string
    // a reference to an object not declared yet (a circle) stays text
    const usable = (refs.get(node)?.replacements ?? []).filter((r) => declared.has(r.target))
    references += usable.length
    const code =
      node.kind === 'table'
        ? tableCode(node.def, warn)
        : node.kind === 'view'
          ? viewCode(node.def, queryCode(node.def.query, usable, names))
          : definitionToCode(node.def, '  ', queryCode(node.def.query, usable, names))
    const what = `${node.key} (${node.kind === 'mv' ? 'materialized view' : node.kind})`
    const doc = node.def.comment === undefined || node.def.comment === '' ? what : `${what}: ${node.def.comment}`
    blocks.push(`/** ${commentLine(doc)} */\nexport const ${name} = ${code}\n`)
    declared.add(node)
  }
  const mvs = order.filter((n) => n.kind === 'mv')
  const withDefault = (options.defineSchema ?? true) && order.length > 0
  if (withDefault) {
    blocks.push(`/** Everything this module declares, in the order above. */\nexport default defineSchema({ ${order.map((n) => names.get(n) as string).join(', ')} })\n`)
  }
  const counts = { tables: nodes.filter((n) => n.kind === 'table').length, views: nodes.filter((n) => n.kind === 'view').length, mvs: mvs.length }
  const body = blocks.join('\n')
  const usesSql = counts.views + counts.mvs > 0 || /\bsql\.(raw|id)\(/.test(body)
  const imports = [
    ...(withDefault ? ['defineSchema'] : []),
    ...(counts.mvs > 0 ? ['mv'] : []),
    ...(usesSql ? ['sql'] : []),
    ...(counts.tables > 0 ? ['table'] : []),
    ...(counts.views > 0 ? ['view'] : []),
  ]
  const header = (options.header ?? ['A schema module written by `srmv pull`: edit it freely; `srmv plan --from-db` shows what differs from the server.']).map((l) => ` * ${commentLine(l)}`)
  const source = [
    `/**\n${header.join('\n')}\n */`,
    ...(imports.length === 0 ? [] : [`import { ${imports.join(', ')} } from ${jsString(options.importFrom ?? PACKAGE_NAME)}`]),
    '',
    body,
  ].join('\n')
  return Object.freeze({
    source: source.endsWith('\n') ? source : `${source}\n`,
    exports: Object.freeze(order.map((n) => Object.freeze({ kind: n.kind, key: n.key, exportName: names.get(n) as string }))),
    counts: Object.freeze(counts),
    references,
    warnings: Object.freeze(warnings),
  })
}
