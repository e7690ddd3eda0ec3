import { StarRocksMvError } from '../errors.js'
import { cycleError, dependencyCycle } from '../diff/index.js'
import { MvDefinition, QualifiedName } from '../model/index.js'
import { queryDependencies } from '../reflect/index.js'
import { isSchemaDefinition, type HasMvDefinition } from './define-schema.js'
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
 * Collect the MVs of a loaded schema module: `export default defineSchema({...})` when present, and
 * every other export that is a complete MV. Two MVs with the same qualified name are an error naming
 * both exports (the same MV exported twice, e.g. named and in the default schema, counts once).
 */
export const collectSchema = (ns: Readonly<Record<string, unknown>>, file: string): SchemaEntry[] => {
  const candidates: [string, unknown][] = []
  for (const [name, value] of Object.entries(ns)) {
    if (name === 'default' && isSchemaDefinition(value)) {
      for (const [k, v] of Object.entries(value.mvs)) {
        if (!hasMvDefinition(v)) {
          throw new StarRocksMvError(
            'INVALID_SCHEMA',
            `${file}: defineSchema entry "${k}" is not a complete materialized view. Give it a query with .as(sql\`SELECT ...\`) or remove it.`,
            { file, export: k },
          )
        }
        candidates.push([`default.${k}`, v])
      }
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
  return entries
}

/**
 * Refuse MVs that read each other in a circle. A query given as plain text records no
 * dependencies, so its text is read for the tables it names.
 */
const assertNoCycle = (entries: readonly SchemaEntry[], file: string): void => {
  const defs = entries.map((e) => {
    if (e.definition.dependencies.length > 0) return e.definition
    let deps: QualifiedName[] = []
    try {
      deps = queryDependencies(e.definition.query)
    } catch {
      // text we cannot read: the server will judge it
    }
    return MvDefinition.with(e.definition, { dependencies: deps })
  })
  const cycle = dependencyCycle(defs)
  if (cycle !== undefined) {
    const e = cycleError(cycle)
    throw new StarRocksMvError(e.code, `${file}: ${e.message}`, { ...e.details, file })
  }
}

/** Load a schema module and collect its MVs (see {@link collectSchema}); MVs that read each other in a circle are refused. */
export const loadSchema = async (file: string, load: ModuleLoader): Promise<SchemaEntry[]> => {
  const entries = collectSchema(await load(file), file)
  assertNoCycle(entries, file)
  return entries
}
