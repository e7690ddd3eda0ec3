import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { canonicalExpressionText, canonicalQuery, normalizePropertyValue } from '../diff/index.js'
import { atLeast, DEFAULT_VERSION, MV_COLUMN_ALTER_SINCE, QualifiedName, type MvDefinition, type SchemaState, type Version } from '../model/index.js'
import { isAlterableProperty, PROPERTY_CATALOG, propertyDefault, propertySpec } from '../schema/property-catalog.js'
import { latestSnapshot } from './generate.js'
import { ensureDir, writeFilesAtomically } from './migration-files.js'
import { unquoteIdentifier } from '../sql/index.js'

/** The file name of the deployed declaration, in the migrations folder. */
export const DEPLOYED_TYPES_FILE = 'deployed.d.ts'

/** Options of {@link renderDeployedTypes}. */
export interface DeployedTypesOptions {
  /** The snapshot file the state comes from, named in the header. */
  readonly source?: string
  /**
   * The configured StarRocks version (default 3.5). From 4.2, async MVs are marked
   * `columnsAlterable`: a column appended or removed may be an ALTER, so the compiler leaves it to `srmv generate`.
   */
  readonly version?: string | Version
}

/** A TypeScript string literal type for `text`. */
const lit = (text: string): string => JSON.stringify(text)

/** SQL text as the differ compares it, or `undefined` when it cannot be read. */
const canonicalOr = (text: string): string | undefined => {
  try {
    return canonicalExpressionText(text)
  } catch {
    return undefined
  }
}

const list = (entries: readonly string[] | undefined, entry: (e: string) => string | undefined): string => {
  if (entries === undefined || entries.length === 0) return lit('none')
  const texts = entries.map(entry)
  // An entry that cannot be read is recorded as `string`: nothing is compared against it.
  if (texts.some((t) => t === undefined)) return 'string'
  return lit(`(${texts.join(', ')})`)
}

const columnsText = (def: MvDefinition): string => {
  if (def.columns === undefined || def.columns.length === 0) return lit('none')
  const entries = def.columns.map((c) =>
    c.comment === undefined || c.comment === '' ? c.name.toLowerCase() : `${c.name.toLowerCase()} COMMENT '${c.comment}'`,
  )
  return lit(`(${entries.join(', ')})`)
}

const commentText = (def: MvDefinition): string => lit(def.comment === undefined || def.comment === '' ? 'none' : `'${def.comment}'`)

const distributionText = (def: MvDefinition): { distribution: string; buckets: string } => {
  const d = def.distribution
  const buckets = lit(d?.buckets === undefined ? 'auto' : String(d.buckets))
  if (d === undefined || d.kind === 'random') return { distribution: lit('RANDOM'), buckets }
  return { distribution: lit(`HASH(${d.columns.map((c) => c.toLowerCase()).join(', ')})`), buckets }
}

/**
 * The create-only catalog properties, normalised as the differ compares them. Alterable ones are
 * left out (an ALTER changes them); a catalog property the MV declared alterable is `string` (any
 * value); properties the catalog does not know are left out (the builder does not type them).
 */
const propertiesText = (def: MvDefinition, indent: string): string => {
  const lines: string[] = []
  for (const key of Object.keys(def.properties).sort()) {
    const spec = propertySpec(key)
    if (spec === undefined || spec.alterable) continue
    const value = def.properties[key] as string
    lines.push(`${indent}  readonly ${lit(key)}: ${isAlterableProperty(key, def) ? 'string' : lit(normalizePropertyValue(key, value))}`)
  }
  return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n${indent}}`
}

/** A column as a schema module refers to it: its name or a typed table column. */
const ref = (name: string): string => `${lit(name)} | { readonly columnName: ${lit(name)} }`

/** A PARTITION BY entry as written: a column (rendered as a quoted identifier), else a `sql` fragment. */
const writtenPartition = (entry: string): string => {
  const column = unquoteIdentifier(entry)
  return column === undefined ? '{ readonly toSQL: unknown }' : ref(column)
}

/** A property value as `.properties()` takes it: a number, a boolean or a string, by the catalog's type. */
const writtenValue = (key: string, value: string): string => {
  const type = propertySpec(key)?.type
  if (type === 'number' && value.trim() !== '' && String(Number(value)) === value.trim()) return String(Number(value))
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value
  return lit(value)
}

/**
 * The create-only catalog properties as a schema module that left them unchanged gives them to
 * `.properties()`: a deployed value that is not the default must be given (any way it can be
 * written), the default may be, and a property without a default that was not deployed must not
 * be. The field is optional when nothing must be given. A catalog property the MV declared
 * alterable is left out: any value goes.
 */
const writtenProperties = (def: MvDefinition): string => {
  const fields: string[] = []
  let required = false
  for (const [key, spec] of Object.entries(PROPERTY_CATALOG)) {
    if (spec.alterable || isAlterableProperty(key, def)) continue
    const value = def.properties[key]
    const d = propertyDefault(key, DEFAULT_VERSION)
    if (value !== undefined) {
      if (d === undefined || normalizePropertyValue(key, d) !== normalizePropertyValue(key, value)) {
        required = true
        fields.push(`readonly ${lit(key)}: ${writtenValue(key, value)}`)
      } else {
        const forms = [...new Set([writtenValue(key, value), writtenValue(key, d)])]
        fields.push(`readonly ${lit(key)}?: ${forms.join(' | ')}`)
      }
    } else fields.push(`readonly ${lit(key)}?: ${d === undefined ? 'never' : writtenValue(key, d)}`)
  }
  return `readonly properties${required ? '' : '?'}: {\n${fields.map((f) => `          ${f}`).join('\n')}\n        }`
}

/**
 * How a schema module that left the MV unchanged writes it, as the builder records it: a state
 * assignable to this type is unchanged, so only a state that is not is compared attribute by
 * attribute.
 */
const writtenText = (def: MvDefinition): string => {
  const fields: string[] = []
  fields.push(def.sync ? 'readonly sync: "sync"' : 'readonly sync?: undefined')
  if (def.columns === undefined || def.columns.length === 0) fields.push('readonly columns?: undefined')
  else {
    const entries = def.columns.map((c) =>
      c.comment === undefined || c.comment === ''
        ? `${lit(c.name)} | { readonly name: ${lit(c.name)}; readonly comment?: "" }`
        : `{ readonly name: ${lit(c.name)}; readonly comment: ${lit(c.comment)} }`,
    )
    fields.push(`readonly columns: readonly [${entries.join(', ')}]`)
  }
  fields.push(def.comment === undefined || def.comment === '' ? 'readonly comment?: ""' : `readonly comment: ${lit(def.comment)}`)
  if (def.partitionBy === undefined || def.partitionBy.length === 0) fields.push('readonly partitionBy?: undefined')
  else fields.push(`readonly partitionBy: readonly [${def.partitionBy.map(writtenPartition).join(', ')}]`)
  // a synchronous MV has no distribution to compare
  if (!def.sync) {
    const d = def.distribution
    if (d === undefined || d.kind === 'random') fields.push(`readonly distribution${d === undefined ? '?' : ''}: readonly ["random"]`)
    else {
      const cols = d.columns.map(ref)
      const only = cols.length === 1 ? `${cols[0] as string} | readonly [${cols[0] as string}]` : `readonly [${cols.join(', ')}]`
      fields.push(`readonly distribution: readonly ["hash", ${only}]`)
    }
    fields.push(d?.buckets === undefined ? 'readonly buckets?: undefined' : `readonly buckets: ${d.buckets}`)
  }
  if (def.orderBy === undefined || def.orderBy.length === 0) fields.push('readonly orderBy?: undefined')
  else fields.push(`readonly orderBy: readonly [${def.orderBy.map(ref).join(', ')}]`)
  fields.push(writtenProperties(def))
  return `{\n${fields.map((f) => `        ${f}`).join('\n')}\n      }`
}

/** `sha256:` of the query's canonical text in the form snapshots are compared (equal hashes: no query change). */
export const queryHash = (query: string): string => {
  let text: string
  try {
    text = canonicalQuery(query, 'light')
  } catch {
    text = query
  }
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`
}

const mvEntry = (def: MvDefinition, columnsAlterable: boolean): string => {
  const i = '      '
  const { distribution, buckets } = distributionText(def)
  const fields = [
    `readonly name: ${lit(def.name)}`,
    ...(def.schema === undefined ? [] : [`readonly schema: ${lit(def.schema)}`]),
    `readonly written: ${writtenText(def)}`,
    `readonly sync: ${lit(def.sync ? 'sync' : 'async')}`,
    `readonly columns: ${columnsText(def)}`,
    `readonly comment: ${commentText(def)}`,
    `readonly partitionBy: ${list(def.partitionBy, canonicalOr)}`,
    `readonly distribution: ${distribution}`,
    `readonly buckets: ${buckets}`,
    `readonly orderBy: ${list(def.orderBy, (c) => c.toLowerCase())}`,
    `readonly properties: ${propertiesText(def, i)}`,
    `readonly queryHash: ${lit(queryHash(def.query))}`,
    ...(columnsAlterable && !def.sync ? ['readonly columnsAlterable: true'] : []),
  ]
  return `    ${lit(QualifiedName.key(def))}: {\n${fields.map((f) => `${i}${f}`).join('\n')}\n    }`
}

/**
 * The declaration file that tells the type checker what is deployed: the immutable attributes of
 * every MV of `state` (the latest snapshot) as literal types, in a global augmentation of
 * `StarRocksMvDeployed` that `defineSchema({...})` checks the schema module against. The same state
 * always gives the same text.
 *
 * @example
 * ```ts
 * writeFileSync('migrations/deployed.d.ts', renderDeployedTypes(latestSnapshot('migrations').state))
 * ```
 */
export const renderDeployedTypes = (state: SchemaState, options: DeployedTypesOptions = {}): string => {
  const from = options.source === undefined ? 'the latest snapshot' : options.source
  const header = [
    '/**',
    ` * The materialized views as deployed by the migrations (${from.replaceAll('*/', '*\\/')}).`,
    ' * Written by `srmv generate` and `srmv types`: do not edit, regenerate with `srmv types`.',
    ' *',
    ' * defineSchema({...}) compares the schema module with it at compile time: a change to an',
    ' * immutable attribute of a deployed MV is a type error until the MV says .rebuild(\'swap\') or',
    " * .rebuild('drop-create'), or gets a new name. The query is recorded as a hash only: TypeScript",
    ' * cannot read a sql fragment, so query changes are found by `srmv generate`, not by the compiler.',
    ' */',
  ].join('\n')
  const columnsAlterable = atLeast(options.version ?? DEFAULT_VERSION, MV_COLUMN_ALTER_SINCE)
  const entries = state.mvs.map((def) => mvEntry(def, columnsAlterable))
  const body = entries.length === 0 ? '  interface StarRocksMvDeployed {}' : `  interface StarRocksMvDeployed {\n${entries.join('\n')}\n  }`
  return `${header}\nexport {}\n\ndeclare global {\n${body}\n}\n`
}

/** What {@link writeDeployedTypes} did. */
export interface DeployedTypesResult {
  /** The declaration file. */
  readonly file: string
  /** False when the file already had this text. */
  readonly written: boolean
  /** How many MVs it declares. */
  readonly mvs: number
}

/** Options of {@link writeDeployedTypes}. */
export interface WriteDeployedTypesOptions {
  /**
   * The latest snapshot's state and file name when the caller has them in hand (as `srmv generate`
   * does right after writing them), so the snapshot is not read and parsed again.
   */
  readonly latest?: { readonly state: SchemaState; readonly snapshotFile?: string }
  /** The configured StarRocks version (see {@link DeployedTypesOptions.version}). */
  readonly version?: string | Version
}

/**
 * The declaration file for `state` in the migrations folder `dir`, without writing it: its path, its
 * text and whether that differs from the file on disk.
 */
export const deployedTypesFile = (
  dir: string,
  state: SchemaState,
  source?: string,
  version?: string | Version,
): { readonly file: string; readonly content: string; readonly changed: boolean; readonly mvs: number } => {
  const file = join(dir, DEPLOYED_TYPES_FILE)
  const content = renderDeployedTypes(state, { ...(source === undefined ? {} : { source }), ...(version === undefined ? {} : { version }) })
  let changed = true
  try {
    // only a regular file is read: a FIFO would wait for a writer (anything else is replaced by the write)
    changed = !statSync(file).isFile() || readFileSync(file, 'utf8') !== content
  } catch {
    // missing (or unreadable: writing it says why)
  }
  return { file, content, changed, mvs: state.mvs.length }
}

/**
 * Write {@link renderDeployedTypes} of the latest snapshot in the migrations folder `dir` (no MVs
 * before the first migration) to `<dir>/deployed.d.ts`, replacing the file atomically, and leaving
 * it untouched when the text is the same.
 *
 * @example
 * ```ts
 * const { file, written } = writeDeployedTypes('migrations')
 * ```
 */
export const writeDeployedTypes = (dir: string, options: WriteDeployedTypesOptions = {}): DeployedTypesResult => {
  const latest =
    options.latest ??
    ((l) => ({ state: l.state, ...(l.from === undefined ? {} : { snapshotFile: l.from.snapshotFile }) }))(latestSnapshot(dir))
  const t = deployedTypesFile(dir, latest.state, latest.snapshotFile === undefined ? undefined : basename(latest.snapshotFile), options.version)
  const result = { file: t.file, mvs: t.mvs }
  if (!t.changed) return { ...result, written: false }
  ensureDir(dir)
  writeFilesAtomically([{ path: t.file, content: t.content, replace: true }])
  return { ...result, written: true }
}
