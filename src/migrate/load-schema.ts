import { StarRocksMvError } from '../errors.js'
import { cycleError, dependencyCycle, dependencyOrder } from '../diff/index.js'
import { MvDefinition, QualifiedName } from '../model/index.js'
import { isSchemaDefinition, isTableOrView, type HasMvDefinition } from './define-schema.js'
import type { ModuleLoader } from './module-loader.js'

/** One MV found in a schema module, with the export it came from. */
export interface SchemaEntry {
  readonly exportName: string
  readonly mv: HasMvDefinition
  readonly definition: MvDefinition
}

/** True when `value` is a complete MV (a builder with `.as(...)`), in this or another copy of the package. */
export const hasMvDefinition = (value: unknown): value is HasMvDefinition => {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false
  let def: unknown
  try {
    def = (value as { definition?: unknown }).definition
  } catch {
    return false
  }
  return (
    typeof def === 'object' &&
    def !== null &&
    (def as { kind?: unknown }).kind === 'MvDefinition' &&
    typeof (def as { query?: unknown }).query === 'string' &&
    (def as { query: string }).query.trim() !== ''
  )
}

/**
 * True for an MV builder of this or another copy of the package, complete or not (`mv(name)...`):
 * it has `.as()`, `.toSQL()` and a `definition`. Such an export is meant as an MV, so an invalid one
 * is an error, never "no MV".
 */
const looksLikeMvBuilder = (value: unknown): boolean => {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false
  try {
    const v = value as { as?: unknown; toSQL?: unknown }
    return typeof v.as === 'function' && typeof v.toSQL === 'function' && 'definition' in value
  } catch {
    return false
  }
}

const isThenable = (value: unknown): boolean => {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false
  try {
    return typeof (value as { then?: unknown }).then === 'function'
  } catch {
    return false
  }
}

/** How deep arrays and plain objects are searched for MVs that would otherwise be lost. */
const MAX_DEPTH = 8

/** Arrays and plain objects: where MVs may hide from the loader. */
const isContainer = (value: unknown): value is Readonly<Record<string, unknown>> => {
  if (Array.isArray(value)) return true
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** The name a builder is known by, for messages (`shop.daily`), or undefined when it cannot say. */
const builderName = (value: unknown): string | undefined => {
  try {
    const q = (value as { qualifiedName?: unknown }).qualifiedName
    if (typeof q === 'object' && q !== null && typeof (q as { name?: unknown }).name === 'string') return QualifiedName.key(q as QualifiedName)
  } catch {
    // fall through
  }
  return undefined
}

const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`)

/**
 * The validated definition of an export that looks like an MV. The builder's own error (a
 * duplicate column, a missing `.as()`, ...) is raised with the file and the export in front.
 */
const definitionOf = (value: unknown, exportName: string, file: string): MvDefinition => {
  try {
    return (value as HasMvDefinition).definition
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e)
    const name = builderName(value)
    throw new StarRocksMvError(
      e instanceof StarRocksMvError ? e.code : 'INVALID_SCHEMA',
      `${file}: export "${exportName}"${name === undefined || reason.startsWith(`${name}:`) ? '' : ` (${name})`} is not a valid materialized view: ${sentence(reason)} Fix it (or remove the export) and run again.`,
      { file, export: exportName, ...(name === undefined ? {} : { mv: name }) },
      { cause: e },
    )
  }
}

const refuse = (file: string, exportName: string, message: string): never => {
  throw new StarRocksMvError('INVALID_SCHEMA', `${file}: export "${exportName}" ${message}`, { file, export: exportName })
}

/** Options of {@link collectSchema} and {@link loadSchema}. */
export interface CollectSchemaOptions {
  /**
   * The database unqualified MVs live in (the server URL's), when known. An MV named with and
   * without its database (`.schema('shop')` and none) is one MV when this is `shop`, or when it is
   * unknown: refused as a duplicate.
   */
  readonly defaultSchema?: string
}

/**
 * Collect the MVs of a loaded schema module: `export default defineSchema({...})` when present, and
 * every other export that is a complete MV. Two MVs with the same qualified name are an error naming
 * both exports (the same MV exported twice, e.g. named and in the default schema, counts once).
 *
 * Nothing meant as an MV is skipped: an export that is an MV builder but not a valid, complete MV
 * (a duplicate column, a forgotten `.as()`, `.sync()` with a distribution, ...) is an error naming
 * the export and the MV, with the builder's own message; so is an exported Promise (its value
 * cannot be seen), and an array or object holding an MV that is not exported by itself.
 */
export const collectSchema = (ns: Readonly<Record<string, unknown>>, file: string, options: CollectSchemaOptions = {}): SchemaEntry[] => {
  const candidates: [string, unknown][] = []
  const containers: [string, Readonly<Record<string, unknown>>][] = []
  for (const [name, value] of Object.entries(ns)) {
    if (isSchemaDefinition(value)) {
      for (const [k, v] of Object.entries(value.mvs)) {
        if (isTableOrView(v)) continue // collected with the other tables and views (collectTablesAndViews)
        if (looksLikeMvBuilder(v)) definitionOf(v, `${name}.${k}`, file)
        if (!hasMvDefinition(v)) {
          throw new StarRocksMvError(
            'INVALID_SCHEMA',
            `${file}: defineSchema entry "${k}" is neither a complete materialized view nor a managed table or view. Give an MV its query with .as(sql\`SELECT ...\`), a table its DDL options, or remove the entry.`,
            { file, export: k },
          )
        }
        candidates.push([`${name}.${k}`, v])
      }
    } else if (isThenable(value)) {
      refuse(
        file,
        name,
        'is a Promise: srmv reads the exports of a schema module as they are and cannot see what it resolves to. Export the materialized views themselves (top-level await works: export const x = await ...).',
      )
    } else if (looksLikeMvBuilder(value)) {
      definitionOf(value, name, file)
      candidates.push([name, value])
    } else if (isContainer(value)) {
      containers.push([name, value])
    } else {
      candidates.push([name, value])
    }
  }
  const seen = new Map<string, SchemaEntry>()
  const entries: SchemaEntry[] = []
  for (const [exportName, value] of candidates) {
    if (!hasMvDefinition(value)) continue
    const definition = value.definition
    const key = QualifiedName.key(definition)
    const previous = seen.get(key)
    if (previous !== undefined) {
      if (previous.mv === value || previous.definition === definition) continue
      throw new StarRocksMvError(
        'DUPLICATE_MV',
        `${file}: exports "${previous.exportName}" and "${exportName}" both define the materialized view ${key}. Rename one of them (mv('...')) or remove the duplicate.`,
        { file, name: key, exports: [previous.exportName, exportName] },
      )
    }
    const entry = Object.freeze({ exportName, mv: value, definition })
    seen.set(key, entry)
    entries.push(entry)
  }
  // MVs inside arrays and plain objects (nested too): valid, and exported by themselves as well, or refused.
  const visited = new Set<unknown>()
  const walk = (name: string, value: unknown, where: string, depth: number): void => {
    if (visited.has(value) || depth > MAX_DEPTH) return
    visited.add(value)
    for (const [k, v] of Object.entries(value as Readonly<Record<string, unknown>>)) {
      const at = Array.isArray(value) ? `${where}[${k}]` : `${where}.${k}`
      if (isContainer(v)) {
        walk(name, v, at, depth + 1)
        continue
      }
      if (!looksLikeMvBuilder(v) && !hasMvDefinition(v)) continue
      const definition = definitionOf(v, at, file)
      const exported = seen.get(QualifiedName.key(definition))
      if (exported !== undefined && (exported.mv === v || exported.definition === definition)) continue
      refuse(
        file,
        name,
        `holds the materialized view ${QualifiedName.key(definition)} (${at}), which is not exported by itself: srmv reads MVs exported one by one or through export default defineSchema({...}), not inside arrays or objects. Export it (export const x = mv(...)...) or list it in defineSchema.`,
      )
    }
  }
  for (const [name, container] of containers) walk(name, container, name, 1)
  assertOneNamePerMv(entries, file, options.defaultSchema)
  return entries
}

/**
 * An MV named without a database lives in the connection's database: `mv('x')` and
 * `mv('x').schema('shop')` are one MV when that database is `shop`. Refused as a duplicate when the
 * database is `shop` or unknown (offline, no URL); allowed when it is known to be another.
 */
const assertOneNamePerMv = (entries: readonly SchemaEntry[], file: string, defaultSchema: string | undefined): void => {
  const unqualified = new Map<string, SchemaEntry>()
  for (const e of entries) if (e.definition.schema === undefined) unqualified.set(e.definition.name, e)
  for (const e of entries) {
    const schema = e.definition.schema
    if (schema === undefined) continue
    const bare = unqualified.get(e.definition.name)
    if (bare === undefined || (defaultSchema !== undefined && defaultSchema !== schema)) continue
    const key = QualifiedName.key(e.definition)
    const why =
      defaultSchema === undefined
        ? `unqualified MVs live in the connection's database, which is not known here (no database in the server URL), and would be ${schema} when connected to it`
        : `unqualified MVs live in the connection's database, ${schema}`
    throw new StarRocksMvError(
      'DUPLICATE_MV',
      `${file}: exports "${bare.exportName}" (${e.definition.name}) and "${e.exportName}" (${key}) may be one materialized view: ${why}. Give both the database (.schema('${schema}')), or rename one of them.`,
      { file, name: key, exports: [bare.exportName, e.exportName] },
    )
  }
}

/**
 * Refuse MVs that read each other in a circle: by their recorded dependencies and the names their
 * query texts read (a query given as plain text records none).
 */
const assertNoCycle = (entries: readonly SchemaEntry[], file: string): void => {
  const defs = entries.map((e) => e.definition)
  try {
    // an order exists exactly when there is no cycle; the plan that follows reuses it
    dependencyOrder(defs)
    return
  } catch {
    // the cycle is named as before, from the smallest key
  }
  const cycle = dependencyCycle(defs)
  if (cycle !== undefined) {
    const e = cycleError(cycle)
    throw new StarRocksMvError(e.code, `${file}: ${e.message}`, { ...e.details, file })
  }
}

/** Collect the MVs of a loaded schema module (see {@link collectSchema}); MVs that read each other in a circle are refused. */
export const collectCheckedSchema = (ns: Readonly<Record<string, unknown>>, file: string, options: CollectSchemaOptions = {}): SchemaEntry[] => {
  const entries = collectSchema(ns, file, options)
  assertNoCycle(entries, file)
  return entries
}

/** Load a schema module and collect its MVs (see {@link collectSchema}); MVs that read each other in a circle are refused. */
export const loadSchema = async (file: string, load: ModuleLoader, options: CollectSchemaOptions = {}): Promise<SchemaEntry[]> =>
  collectCheckedSchema(await load(file), file, options)
