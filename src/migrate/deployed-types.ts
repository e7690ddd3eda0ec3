import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { canonicalExpressionText, canonicalQuery, normalizePropertyValue } from '../diff/index.js'
import { QualifiedName, type MvDefinition, type SchemaState } from '../model/index.js'
import { isAlterableProperty, propertySpec } from '../schema/property-catalog.js'
import { ensureDir } from './migration-files.js'

/** The file name of the deployed declaration, in the migrations folder. */
export const DEPLOYED_TYPES_FILE = 'deployed.d.ts'

/** Options of {@link renderDeployedTypes}. */
export interface DeployedTypesOptions {
  /** The snapshot file the state comes from, named in the header. */
  readonly source?: string
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

const mvEntry = (def: MvDefinition): string => {
  const i = '      '
  const { distribution, buckets } = distributionText(def)
  const fields = [
    `readonly name: ${lit(def.name)}`,
    ...(def.schema === undefined ? [] : [`readonly schema: ${lit(def.schema)}`]),
    `readonly sync: ${lit(def.sync ? 'sync' : 'async')}`,
    `readonly columns: ${columnsText(def)}`,
    `readonly comment: ${commentText(def)}`,
    `readonly partitionBy: ${list(def.partitionBy, canonicalOr)}`,
    `readonly distribution: ${distribution}`,
    `readonly buckets: ${buckets}`,
    `readonly orderBy: ${list(def.orderBy, (c) => c.toLowerCase())}`,
    `readonly properties: ${propertiesText(def, i)}`,
    `readonly queryHash: ${lit(queryHash(def.query))}`,
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
  const entries = state.mvs.map(mvEntry)
  const body = entries.length === 0 ? '  interface StarRocksMvDeployed {}' : `  interface StarRocksMvDeployed {\n${entries.join('\n')}\n  }`
  return `${header}\nexport {}\n\ndeclare global {\n${body}\n}\n`
}

/**
 * Write {@link renderDeployedTypes} to `<dir>/deployed.d.ts`, replacing the file atomically (and
 * leaving it untouched when the text is the same). Returns the path.
 */
export const writeDeployedTypes = (dir: string, state: SchemaState, options: DeployedTypesOptions = {}): string => {
  const path = join(dir, DEPLOYED_TYPES_FILE)
  const text = renderDeployedTypes(state, options)
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return path
  ensureDir(dir)
  const temp = join(dir, `.${DEPLOYED_TYPES_FILE}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    writeFileSync(temp, text, { encoding: 'utf8', flag: 'wx' })
    renameSync(temp, path)
  } catch (e) {
    rmSync(temp, { force: true })
    throw e
  }
  return path
}
