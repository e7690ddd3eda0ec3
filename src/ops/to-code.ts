/**
 * Ops as TypeScript source for migration files. Every name and value is quoted into the code by
 * src/sql/ (`jsString`, `jsTemplate`); the generated code rebuilds ops through the public builders,
 * which render SQL through src/sql/ again.
 */
import { match } from 'ts-pattern'
import { isDeepFrozen, QualifiedName, type AlterChange, type MvDefinition, type RefreshSpec } from '../model/index.js'
import { isAlterableProperty, isSessionProperty, propertySpec } from '../schema/property-catalog.js'
import type { Op } from './op.js'
import type { RefreshPartition } from '../render/render-refresh.js'
import { jsString, jsTemplate, unquoteIdentifier } from '../sql/index.js'

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const key = (k: string): string => (IDENT.test(k) ? k : jsString(k))

/** `'db.name'` where that reads back the same, else `{ schema, name }`. */
const targetCode = (q: QualifiedName): string => {
  const simple = q.schema === undefined ? !q.name.includes('.') : !q.schema.includes('.')
  if (simple) return jsString(q.schema === undefined ? q.name : `${q.schema}.${q.name}`)
  return q.schema === undefined ? `{ name: ${jsString(q.name)} }` : `{ schema: ${jsString(q.schema)}, name: ${jsString(q.name)} }`
}

const listValueCode = (v: string | null | readonly (string | null)[]): string =>
  v === null ? 'null' : typeof v === 'string' ? jsString(v) : `[${v.map(listValueCode).join(', ')}]`

const partitionCode = (p: RefreshPartition): string =>
  'values' in p ? `{ values: [${p.values.map(listValueCode).join(', ')}] }` : objectCode([['start', jsString(p.start)], ['end', jsString(p.end)]])

const objectCode = (entries: readonly (readonly [string, string])[]): string =>
  entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${key(k)}: ${v}`).join(', ')} }`

/** A stored property value as the typed builder input that stores the same text. */
const typedValue = (name: string, value: string): string | undefined => {
  const spec = propertySpec(name)
  if (spec === undefined) return isSessionProperty(name) ? jsString(value) : undefined
  if (spec.type === 'number') return /^-?\d{1,15}$/.test(value) && String(Number(value)) === value ? value : jsString(value)
  if (spec.type === 'boolean') return value === 'true' || value === 'false' ? value : undefined
  if (spec.type === 'enum') return spec.values?.includes(value) === true ? jsString(value) : undefined
  return jsString(value)
}

/** Split properties into typed ones and escape-hatch ones. */
const splitProperties = (props: Readonly<Record<string, string>>): { typed: [string, string][]; unknown: [string, string][] } => {
  const typed: [string, string][] = []
  const unknown: [string, string][] = []
  for (const [k, v] of Object.entries(props)) {
    const t = typedValue(k, v)
    if (t === undefined) unknown.push([k, jsString(v)])
    else typed.push([k, t])
  }
  return { typed, unknown }
}

const refreshCode = (r: RefreshSpec, withMoment: boolean): string => {
  const opts: [string, string][] = []
  if (r.kind === 'async') {
    if (r.start !== undefined) opts.push(['start', jsString(r.start)])
    if (r.every !== undefined) opts.push(['every', jsString(`${r.every.value} ${r.every.unit}`)])
  }
  if (withMoment && r.deferred) opts.push(['deferred', 'true'])
  return `.refresh.${r.kind}(${opts.length === 0 ? '' : objectCode(opts)})`
}

/** Characters that make `.partitionBy('x')` refuse a string as an expression: such a column is given as `sql.id(...)`. */
const PLAIN_COLUMN = /^[^\s()'"`,+*/%=<>|;]+$/

/** A PARTITION BY entry as builder input that stores the same text. */
const partitionEntryCode = (p: string): string => {
  const col = unquoteIdentifier(p)
  if (col === undefined) return `sql.raw(${jsString(p)})`
  return PLAIN_COLUMN.test(col) ? jsString(col) : `sql.id(${jsString(col)})`
}

/**
 * The builder chain that produces `def`: `mv('name').schema('db')...as(\`...\`)`.
 * Intent fields (`renamedFrom`, `rebuild`) are not part of a migration and are left out.
 * `queryCode` replaces the argument of `.as(...)` (default: the query as a template literal), e.g.
 * a `sql` template with typed references.
 */
export const definitionToCode = (def: MvDefinition, indent = '  ', queryCode?: string): string => {
  // a migration writes most definitions twice (created in up(), dropped with it in down())
  if (queryCode !== undefined || !isDeepFrozen(def)) return chainCode(def, indent, queryCode)
  let byIndent = codeCache.get(def)
  const hit = byIndent?.get(indent)
  if (hit !== undefined) return hit
  const code = chainCode(def, indent, undefined)
  if (byIndent === undefined) codeCache.set(def, (byIndent = new Map()))
  byIndent.set(indent, code)
  return code
}

/** The code of frozen definitions, by indent (the default query code only). */
const codeCache = new WeakMap<MvDefinition, Map<string, string>>()

const chainCode = (def: MvDefinition, indent: string, queryCode: string | undefined): string => {
  const lines: string[] = [`mv(${jsString(def.name)})`]
  const add = (s: string): void => {
    lines.push(`${indent}${s}`)
  }
  if (def.schema !== undefined) add(`.schema(${jsString(def.schema)})`)
  if (def.sync) add('.sync()')
  if (def.columns !== undefined) {
    add(`.columns(${def.columns.map((c) => (c.comment === undefined ? jsString(c.name) : objectCode([['name', jsString(c.name)], ['comment', jsString(c.comment)]]))).join(', ')})`)
  }
  if (def.comment !== undefined) add(`.comment(${jsString(def.comment)})`)
  if (def.partitionBy !== undefined) {
    add(`.partitionBy(${def.partitionBy.map(partitionEntryCode).join(', ')})`)
  }
  if (def.distribution !== undefined) {
    const d = def.distribution
    const opts = d.buckets === undefined ? '' : `, { buckets: ${d.buckets} }`
    add(
      d.kind === 'hash'
        ? `.distributedBy.hash(${d.columns.length === 1 ? jsString(d.columns[0] as string) : `[${d.columns.map(jsString).join(', ')}]`}${opts})`
        : `.distributedBy.random(${opts.replace(/^, /, '')})`,
    )
  }
  for (const ix of def.indexes ?? []) {
    const opts: [string, string][] = []
    if (ix.using !== undefined) opts.push(['using', jsString(ix.using)])
    if (ix.properties !== undefined && Object.keys(ix.properties).length > 0) opts.push(['properties', objectCode(Object.entries(ix.properties).map(([k, v]) => [k, jsString(v)]))])
    if (ix.comment !== undefined) opts.push(['comment', jsString(ix.comment)])
    const cols = ix.columns.length === 1 ? jsString(ix.columns[0] as string) : `[${ix.columns.map(jsString).join(', ')}]`
    add(`.index(${jsString(ix.name)}, ${cols}${opts.length === 0 ? '' : `, ${objectCode(opts)}`})`)
  }
  if (def.orderBy !== undefined) add(`.orderBy(${def.orderBy.map(jsString).join(', ')})`)
  if (def.refresh !== undefined) add(refreshCode(def.refresh, true))
  const { typed, unknown } = splitProperties(def.properties)
  const declared = def.alterableProperties ?? []
  if (typed.length > 0 || unknown.length > 0 || declared.length > 0) {
    const hatch: [string, string][] = []
    if (unknown.length > 0) hatch.push(['unknown', objectCode(unknown)])
    if (declared.length > 0) hatch.push(['alterable', `[${declared.map(jsString).join(', ')}]`])
    add(`.properties(${objectCode(typed)}${hatch.length === 0 ? '' : `, ${objectCode(hatch)}`})`)
  }
  add(`.as(${queryCode ?? jsTemplate(def.query)})`)
  return lines.join('\n')
}

/**
 * Whether a change can be written with the `alter(...)` builder from a bare name (else the data form
 * is used). Recorded previous values are not kept in code: a migration file's `down()` says how to
 * undo it.
 */
const builderCanExpress = (change: AlterChange): boolean =>
  match(change)
    .with({ kind: 'refresh' }, (c) => !c.refresh.deferred)
    .with({ kind: 'set' }, (c) => Object.keys(c.properties).every((k) => isAlterableProperty(k) || propertySpec(k) === undefined))
    .with({ kind: 'rename' }, { kind: 'active' }, { kind: 'inactive' }, { kind: 'swap' }, () => true)
    .with({ kind: 'addColumn' }, { kind: 'dropColumn' }, { kind: 'orderBy' }, () => false)
    .exhaustive()

const changeCode = (change: AlterChange): string =>
  match(change)
    .with({ kind: 'refresh' }, (c) => refreshCode(c.refresh, false))
    .with({ kind: 'set' }, (c) => {
      const { typed, unknown } = splitProperties(c.properties)
      return `.set(${objectCode(typed)}${unknown.length === 0 ? '' : `, { unknown: ${objectCode(unknown)} }`})`
    })
    .with({ kind: 'rename' }, (c) => `.rename(${jsString(c.newName)})`)
    .with({ kind: 'active' }, () => '.active()')
    .with({ kind: 'inactive' }, () => '.inactive()')
    .with({ kind: 'swap' }, (c) => `.swapWith(${jsString(c.other)})`)
    .with({ kind: 'addColumn' }, (c) => `.addColumn(${jsString(c.name)}, ${jsString(c.expression)}${c.comment === undefined ? '' : `, { comment: ${jsString(c.comment)} }`})`)
    .with({ kind: 'dropColumn' }, (c) => `.dropColumn(${jsString(c.name)})`)
    .with({ kind: 'orderBy' }, (c) => `.orderBy(${c.columns.map(jsString).join(', ')})`)
    .exhaustive()

/** Plain data as a JavaScript expression: identifier keys bare, strings single-quoted. */
const dataCode = (value: unknown): string => {
  if (typeof value === 'string') return jsString(value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  if (Array.isArray(value)) return `[${value.map(dataCode).join(', ')}]`
  if (typeof value === 'object') return objectCode(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [k, dataCode(v)]))
  return 'undefined'
}

const optionsCode = (entries: readonly (readonly [string, string | undefined])[]): string => {
  const present = entries.filter((e): e is readonly [string, string] => e[1] !== undefined)
  return present.length === 0 ? '' : `, ${objectCode(present)}`
}

/** One op as a TypeScript statement over the public API (`op`, `mv`, `alter`, `sql` in scope). */
export const opToCode = (o: Op): string =>
  match(o)
    .with({ kind: 'createMaterializedView' }, (c) => definitionOpCode(c, '') as string)
    .with({ kind: 'dropMaterializedView' }, (d) => {
      const flags: [string, string | undefined][] = [
        ['ifExists', d.ifExists ? 'true' : undefined],
        ['force', d.force ? 'true' : undefined],
      ]
      if (d.definition === undefined) return `op.dropMaterializedView(${targetCode(d.target)}${optionsCode(flags)})`
      const byDefinition = definitionOpCode(d, '')
      if (byDefinition !== undefined) return byDefinition
      return `op.dropMaterializedView(${targetCode(d.target)}, {\n  ${[...flags.filter((f) => f[1] !== undefined).map(([k, v]) => `${k}: ${v},\n  `), `definition: ${definitionToCode(d.definition, '    ')},`].join('')}\n})`
    })
    .with({ kind: 'alterMaterializedView' }, (a) =>
      a.changes.every(builderCanExpress)
        ? `op.alterMaterializedView(alter(${targetCode(a.target)})${a.changes.map(changeCode).join('')})`
        : `op.alterMaterializedView(${dataCode({ target: a.target, changes: a.changes })})`,
    )
    .with({ kind: 'refreshMaterializedView' }, (r) =>
      `op.refreshMaterializedView(${targetCode(r.target)}${optionsCode([
        ['partition', r.partition === undefined ? undefined : partitionCode(r.partition)],
        ['force', r.force ? 'true' : undefined],
        ['wait', r.wait ? 'true' : undefined],
        ['priority', r.priority === undefined ? undefined : String(r.priority)],
      ])})`,
    )
    .with({ kind: 'cancelRefreshMaterializedView' }, (c) => `op.cancelRefreshMaterializedView(${targetCode(c.target)}${optionsCode([['force', c.force ? 'true' : undefined]])})`)
    .with({ kind: 'execute' }, (e) => `op.execute(${jsTemplate(e.sql)}${optionsCode([['down', e.down === undefined ? undefined : jsTemplate(e.down)]])})`)
    .with({ kind: 'createTable' }, (c) => `op.createTable(${dataCode(c.definition)}${optionsCode([['ifNotExists', c.ifNotExists ? 'true' : undefined]])})`)
    .with({ kind: 'dropTable' }, (d) =>
      `op.dropTable(${targetCode(d.target)}${optionsCode([
        ['ifExists', d.ifExists ? 'true' : undefined],
        ['force', d.force ? 'true' : undefined],
        ['definition', d.definition === undefined ? undefined : dataCode(d.definition)],
      ])})`,
    )
    .with({ kind: 'alterTable' }, (a) => `op.alterTable(${targetCode(a.target)}, ${dataCode(a.changes)})`)
    .with({ kind: 'copyRows' }, (c) => `op.copyRows(${targetCode(c.from)}, ${targetCode(c.to)}, ${dataCode(c.columns)})`)
    .with({ kind: 'createView' }, (c) => `op.createView(${dataCode(c.definition)}${optionsCode([['ifNotExists', c.ifNotExists ? 'true' : undefined]])})`)
    .with({ kind: 'dropView' }, (d) =>
      `op.dropView(${targetCode(d.target)}${optionsCode([['ifExists', d.ifExists ? 'true' : undefined], ['definition', d.definition === undefined ? undefined : dataCode(d.definition)]])})`,
    )
    .with({ kind: 'alterView' }, (a) => `op.alterView(${dataCode(a.definition)}${optionsCode([['previous', a.previous === undefined ? undefined : dataCode(a.previous)]])})`)
    .exhaustive()

/**
 * Indent generated code line by line, except lines that continue a template literal (a query's
 * text must not change). Knows the two literal forms the generator writes: single-quoted strings
 * and template literals without substitutions.
 */
export const indentCode = (code: string, indent: string): string => {
  if (indent === '') return code
  const [NEW_LINE, QUOTE, BACKTICK, BACKSLASH] = ['\n', "'", '`', '\\'].map((c) => c.charCodeAt(0))
  let state: 'code' | 'string' | 'template' = 'code'
  // the output is the input with `indent` spliced in at line starts: copy the text between them
  let out = ''
  let copied = 0
  let lineStart = true
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i)
    if (lineStart) {
      lineStart = false
      if (state !== 'template' && c !== NEW_LINE) {
        out += code.slice(copied, i) + indent
        copied = i
      }
    }
    if (c === NEW_LINE) lineStart = true
    else if (state === 'code') {
      if (c === QUOTE) state = 'string'
      else if (c === BACKTICK) state = 'template'
    } else if (c === BACKSLASH) {
      // an escape: the next character is taken as is (a line ends regardless)
      if (code.charCodeAt(i + 1) !== NEW_LINE) i++
    } else if ((state === 'string' && c === QUOTE) || (state === 'template' && c === BACKTICK)) state = 'code'
  }
  return out + code.slice(copied)
}

/**
 * Ops as the body of a migration's `up(op)` / `down(op)`: one statement per op, stable formatting,
 * using the public API (`op`, `mv`, `alter`, `sql`). `indent` prefixes every line of code (never
 * the inside of a query's template literal).
 */
export const renderOpsAsCode = (ops: readonly Op[], options: { readonly indent?: string } = {}): string => {
  const indent = options.indent ?? ''
  return ops.map((o) => indentedOpCode(o, indent)).join('\n').concat(ops.length === 0 ? '' : '\n')
}

/**
 * `indentCode(opToCode(o), indent)`. An MV created or dropped by its own definition (most ops of a
 * large migration) is written at its indent directly: the builder chain has one line per step and
 * only the query's template literal spans lines, so no pass over the text is needed to find where
 * lines of code start.
 */
const indentedOpCode = (o: Op, indent: string): string => definitionOpCode(o, indent) ?? indentCode(opToCode(o), indent)

/** An MV created, or dropped by a definition of the same name, as code at `indent`; undefined for any other op. */
const definitionOpCode = (o: Op, indent: string): string | undefined => {
  const at = (call: string, def: MvDefinition, options: string): string =>
    `${indent}op.${call}(\n${indent}  ${definitionToCode(def, `${indent}    `)}${options},\n${indent})`
  if (o.kind === 'createMaterializedView') return at('createMaterializedView', o.definition, optionsCode([['ifNotExists', o.ifNotExists ? 'true' : undefined]]))
  if (o.kind !== 'dropMaterializedView' || o.definition === undefined) return undefined
  if (!QualifiedName.equals(o.target, QualifiedName.create(o.definition.name, o.definition.schema))) return undefined
  return at('dropMaterializedView', o.definition, optionsCode([['ifExists', o.ifExists ? 'true' : undefined], ['force', o.force ? 'true' : undefined]]))
}

/** The builder names (`alter`, `mv`, `sql`) that code rendered by {@link renderOpsAsCode} uses, for the file's import line. */
export const codeImportsOf = (...codes: readonly string[]): string[] =>
  ['alter', 'mv', 'sql'].filter((name) => {
    const used = new RegExp(`(^|[^.\\w])${name}[.(]`)
    return codes.some((code) => used.test(code))
  })

/** The names a rendered body uses, for the file's import line. */
export const codeImports = (ops: readonly Op[]): string[] => codeImportsOf(ops.map(opToCode).join('\n'))
