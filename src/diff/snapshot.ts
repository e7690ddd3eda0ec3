import { StarRocksMvError } from '../errors.js'
import { MvDefinition, QualifiedName, SCHEMA_STATE_FORMAT, SchemaState, type MvStatus } from '../model/index.js'

/** Anything that carries a complete definition: a `MaterializedView` builder (`.definition`). */
export interface HasDefinition {
  readonly definition: MvDefinition
}

const isDefinition = (x: unknown): x is MvDefinition =>
  typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'MvDefinition'

const hasDefinition = (x: unknown): x is HasDefinition =>
  typeof x === 'object' && x !== null && 'definition' in x && isDefinition((x as { definition?: unknown }).definition)

/** The definition behind an MV builder or a definition; throws `INVALID_MV` for anything else. */
export const mvDefinitionOf = (mv: HasDefinition | MvDefinition, index?: number): MvDefinition => {
  if (isDefinition(mv)) return mv
  if (hasDefinition(mv)) return mv.definition
  throw new StarRocksMvError(
    'INVALID_MV',
    `snapshot(): item${index === undefined ? '' : ` ${index}`} is neither a materialized view with .as(...) nor an MvDefinition. Export complete MVs from the schema module.`,
    { index },
  )
}

/** The deployed form of a definition: the intents (`renamedFrom`, `rebuild`) removed. */
export const deployedDefinition = (def: MvDefinition): MvDefinition =>
  def.renamedFrom === undefined && def.rebuild === undefined ? def : MvDefinition.with(def, { renamedFrom: undefined, rebuild: undefined })

/**
 * The state of a set of MVs, as recorded after a migration: definitions sorted by qualified name,
 * without the intents (`renamedFrom`, `rebuild`), which belong to the desired state only. Two MVs
 * with the same qualified name are an error (`DUPLICATE_MV`).
 *
 * @example
 * ```ts
 * const state = snapshot([dailySales, monthlySales])
 * writeFileSync('snapshot.json', serializeState(state))
 * ```
 */
export const snapshot = (mvs: Iterable<HasDefinition | MvDefinition>): SchemaState => {
  const seen = new Map<string, MvDefinition>()
  let index = 0
  for (const mv of mvs) {
    const def = deployedDefinition(mvDefinitionOf(mv, index++))
    const key = QualifiedName.key(def)
    if (seen.has(key)) {
      throw new StarRocksMvError(
        'DUPLICATE_MV',
        `Materialized view ${key} is defined twice. Each MV needs its own name: rename one of them, or remove the duplicate export.`,
        { mv: key },
      )
    }
    seen.set(key, def)
  }
  return SchemaState.create([...seen.values()])
}

/** The desired state: like {@link snapshot}, but keeping the intents `diff` acts on. */
export const desiredState = (mvs: Iterable<HasDefinition | MvDefinition>): SchemaState => {
  const defs = [...mvs].map((mv, i) => mvDefinitionOf(mv, i))
  snapshot(defs)
  return SchemaState.create(defs)
}

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    )
  }
  return value
}

/**
 * A state as JSON text: keys sorted at every level, two-space indent, a trailing newline. The
 * same state always gives the same text, so snapshot files diff well in version control.
 */
export const serializeState = (state: SchemaState): string => `${JSON.stringify(sortKeys(state), null, 2)}\n`

const corrupt = (what: string, source?: string): never => {
  throw new StarRocksMvError(
    'CORRUPT_SNAPSHOT',
    `${source === undefined ? 'Snapshot' : `Snapshot ${source}`} is not a valid state: ${what.replace(/\.$/, '')}. Restore it from version control: snapshots are written by srmv generate, never by hand.`,
    { source },
  )
}

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v)

/**
 * Read a state written by {@link serializeState}. Throws `CORRUPT_SNAPSHOT` naming what is wrong
 * (not JSON, another kind, a format this version does not know, a malformed MV).
 *
 * @param source - the file name, for messages.
 */
export const parseState = (json: string, source?: string): SchemaState => {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch (e) {
    return corrupt(`it is not JSON (${(e as Error).message})`, source)
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return corrupt(`expected an object, found ${describe(raw)}`, source)
  const o = raw as Record<string, unknown>
  if (o.kind !== 'SchemaState') return corrupt(`"kind" is ${JSON.stringify(o.kind)}, expected "SchemaState"`, source)
  if (typeof o.format !== 'number') return corrupt('"format" is missing', source)
  if (o.format > SCHEMA_STATE_FORMAT) {
    return corrupt(`it has format ${o.format}, newer than this version of starrocks-mv understands (${SCHEMA_STATE_FORMAT}); upgrade starrocks-mv`, source)
  }
  if (o.format !== SCHEMA_STATE_FORMAT) return corrupt(`unknown format ${o.format}`, source)
  if (!Array.isArray(o.mvs)) return corrupt(`"mvs" is ${describe(o.mvs)}, expected an array`, source)
  const mvs = o.mvs.map((m: unknown, i: number) => {
    const where = `mvs[${i}]${typeof (m as { name?: unknown } | null)?.name === 'string' ? ` (${(m as { name: string }).name})` : ''}`
    if (m === null || typeof m !== 'object') return corrupt(`${where} is ${describe(m)}, expected an MvDefinition`, source)
    const d = m as Record<string, unknown>
    const props = d.properties
    if (props !== undefined && (props === null || typeof props !== 'object' || Object.values(props).some((v) => typeof v !== 'string'))) {
      return corrupt(`${where}: "properties" must map names to strings`, source)
    }
    if (d.dependencies !== undefined && !Array.isArray(d.dependencies)) return corrupt(`${where}: "dependencies" must be an array`, source)
    try {
      return MvDefinition.fromJSON(m)
    } catch (e) {
      return corrupt(`${where}: ${(e as Error).message}`, source)
    }
  })
  if (o.status !== undefined && (o.status === null || typeof o.status !== 'object')) return corrupt('"status" must be an object', source)
  if (o.serverVersion !== undefined && typeof o.serverVersion !== 'string') return corrupt('"serverVersion" must be a string', source)
  if (o.origin !== undefined && o.origin !== 'server') return corrupt(`"origin" is ${JSON.stringify(o.origin)}, expected "server" or no origin`, source)
  const state = snapshotChecked(mvs, source)
  return SchemaState.create([...state], {
    ...(o.status === undefined ? {} : { status: o.status as Record<string, MvStatus> }),
    ...(o.serverVersion === undefined ? {} : { serverVersion: o.serverVersion as string }),
    ...(o.origin === undefined ? {} : { origin: 'server' as const }),
  })
}

const snapshotChecked = (mvs: readonly MvDefinition[], source?: string): readonly MvDefinition[] => {
  const keys = new Set<string>()
  for (const m of mvs) {
    const key = QualifiedName.key(m)
    if (keys.has(key)) corrupt(`${key} appears twice`, source)
    keys.add(key)
  }
  return mvs
}
