import { StarRocksMvError } from '../errors.js'
import { freezeDeep, MvDefinition, QualifiedName, SCHEMA_STATE_FORMAT, SchemaState, TableDefinition, ViewDefinition, type MvStatus } from '../model/index.js'
import { deepFrozen } from '../model/deep-frozen.js'
import { isManagedTable, tableDefinition } from '../schema/table.js'

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

/** A managed table or its definition: what {@link snapshot} takes besides MVs. */
export type HasTableDefinition = { readonly [tableDefinition]: TableDefinition } | TableDefinition

const tableOf = (x: unknown): TableDefinition | undefined => {
  if (isManagedTable(x)) return x[tableDefinition]
  if (typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'TableDefinition') return x as TableDefinition
  return undefined
}

/** A view (from `view(...).as(...)`) or its definition. */
export type HasViewDefinition = { readonly definition: ViewDefinition } | ViewDefinition

const viewOf = (x: unknown): ViewDefinition | undefined => {
  if (typeof x !== 'object' || x === null) return undefined
  if ((x as { kind?: unknown }).kind === 'ViewDefinition') return x as ViewDefinition
  const d = (x as { definition?: unknown }).definition
  return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'ViewDefinition' ? (d as ViewDefinition) : undefined
}

/** Split MVs from managed tables and views, keeping intents; a name used twice (by tables, views, or a table and an MV) is `DUPLICATE_MV`. */
const splitItems = (
  items: Iterable<HasDefinition | MvDefinition | HasTableDefinition | HasViewDefinition>,
): { mvs: MvDefinition[]; tables: TableDefinition[]; views: ViewDefinition[] } => {
  const mvs: MvDefinition[] = []
  const tables = new Map<string, TableDefinition>()
  const views: ViewDefinition[] = []
  let index = 0
  for (const item of items) {
    const v = viewOf(item)
    if (v !== undefined) {
      index++
      const key = QualifiedName.key(v)
      if (tables.has(key) || views.some((x) => QualifiedName.key(x) === key)) {
        throw new StarRocksMvError('DUPLICATE_MV', `${key} is declared twice (views share one namespace with tables and MVs): rename one of them.`, { view: key })
      }
      views.push(v)
      continue
    }
    const t = tableOf(item)
    if (t === undefined) {
      mvs.push(mvDefinitionOf(item as HasDefinition | MvDefinition, index++))
      continue
    }
    index++
    const key = QualifiedName.key(t)
    if (tables.has(key) || views.some((x) => QualifiedName.key(x) === key)) {
      throw new StarRocksMvError('DUPLICATE_MV', `Table ${key} is declared twice. Each table needs its own name: remove the duplicate export.`, { table: key })
    }
    tables.set(key, t)
  }
  for (const m of mvs) {
    const key = QualifiedName.key(m)
    if (tables.has(key) || views.some((x) => QualifiedName.key(x) === key)) {
      throw new StarRocksMvError('DUPLICATE_MV', `${key} is declared both as a table and as a materialized view. Tables and MVs share one namespace: rename one of them.`, { mv: key })
    }
  }
  return { mvs, tables: [...tables.values()], views }
}

/** The deployed form of a view definition: the rename intent removed. */
export const deployedView = (def: ViewDefinition): ViewDefinition =>
  def.renamedFrom === undefined ? def : ViewDefinition.with(def, { renamedFrom: undefined })

/** The deployed form of a table definition: the intents (`renamedFrom`, `rebuild`, `allowPartitionDrop`) removed. */
export const deployedTable = (def: TableDefinition): TableDefinition =>
  def.renamedFrom === undefined && def.rebuild === undefined && def.allowPartitionDrop === undefined
    ? def
    : TableDefinition.with(def, { renamedFrom: undefined, rebuild: undefined, allowPartitionDrop: undefined })

/**
 * The state of a set of MVs (and managed tables), as recorded after a migration: definitions sorted
 * by qualified name, without the intents (`renamedFrom`, `rebuild`), which belong to the desired
 * state only. Two MVs with the same qualified name are an error (`DUPLICATE_MV`), as are two tables
 * or a table and an MV with one name.
 *
 * @example
 * ```ts
 * const state = snapshot([dailySales, monthlySales])
 * writeFileSync('snapshot.json', serializeState(state))
 * ```
 */
export const snapshot = (items: Iterable<HasDefinition | MvDefinition | HasTableDefinition | HasViewDefinition>): SchemaState => {
  const { mvs, tables, views } = splitItems(items)
  const seen = new Map<string, MvDefinition>()
  for (const mv of mvs) {
    const def = deployedDefinition(mv)
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
  return SchemaState.create([...seen.values()], { tables: tables.map(deployedTable), views: views.map(deployedView) })
}

/** The desired state: like {@link snapshot}, but keeping the intents `diff` acts on. */
export const desiredState = (items: Iterable<HasDefinition | MvDefinition | HasTableDefinition | HasViewDefinition>): SchemaState => {
  const list = [...items]
  const { mvs, tables, views } = splitItems(list)
  snapshot(list)
  return SchemaState.create(mvs, { tables, views })
}

/**
 * Sort `keys` in code-unit order, in place. The objects of a state have a few keys each, often in
 * order already: an insertion sort settles them without the work array `Array.prototype.sort`
 * allocates on every call.
 */
const sortInPlace = (keys: string[]): void => {
  if (keys.length > 32) {
    keys.sort()
    return
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string
    let j = i - 1
    while (j >= 0 && (keys[j] as string) > k) {
      keys[j + 1] = keys[j] as string
      j--
    }
    keys[j + 1] = k
  }
}

/** A copy of `value` with the keys of every object sorted and `undefined` fields left out. */
const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
    sortInPlace(keys)
    // a plain object, which JSON.stringify writes fastest; without a prototype when a key named
    // __proto__ must stay a field like any other, as JSON has it
    const out = (keys.includes('__proto__') ? Object.create(null) : {}) as Record<string, unknown>
    for (const k of keys) {
      const v = (value as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = sortKeys(v)
    }
    return out
  }
  return value
}

/**
 * A state as JSON text: keys sorted at every level, two-space indent, a trailing newline. The
 * same state always gives the same text, so snapshot files diff well in version control.
 */
export const serializeState = (state: SchemaState): string => `${JSON.stringify(sortKeys(state), null, 2)}\n`

/** A snapshot that is not what srmv wrote; `details.reason` holds what is wrong, for callers that give their own way out. */
const corrupt = (what: string, source?: string): never => {
  const reason = what.replace(/\.$/, '')
  throw new StarRocksMvError(
    'CORRUPT_SNAPSHOT',
    `${source === undefined ? 'Snapshot' : `Snapshot ${source}`} is not a valid state: ${reason}. Restore it from version control: snapshots are written by srmv generate, never by hand.`,
    { source, reason },
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
    // written by a newer starrocks-mv: nothing to restore, this version has to be upgraded
    throw new StarRocksMvError(
      'CORRUPT_SNAPSHOT',
      `${source === undefined ? 'Snapshot' : `Snapshot ${source}`} has format ${o.format}, newer than this version of starrocks-mv understands (${SCHEMA_STATE_FORMAT}): it was written by a newer starrocks-mv. Upgrade starrocks-mv in this project to read it.`,
      { source, newerFormat: o.format },
    )
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
      // the parsed JSON belongs to this call: frozen in place, it becomes the definition's parts
      // without a copy, and the definition is known to be frozen all the way down (nothing in it
      // was frozen before, so freezeDeep reached every part)
      const def = MvDefinition.fromJSON(freezeDeep(m))
      deepFrozen.add(def)
      return def
    } catch (e) {
      return corrupt(`${where}: ${(e as Error).message}`, source)
    }
  })
  if (o.status !== undefined && (o.status === null || typeof o.status !== 'object')) return corrupt('"status" must be an object', source)
  if (o.serverVersion !== undefined && typeof o.serverVersion !== 'string') return corrupt('"serverVersion" must be a string', source)
  if (o.origin !== undefined && o.origin !== 'server') return corrupt(`"origin" is ${JSON.stringify(o.origin)}, expected "server" or no origin`, source)
  const state = snapshotChecked(mvs, source)
  if (o.tables !== undefined && !Array.isArray(o.tables)) return corrupt(`"tables" is ${describe(o.tables)}, expected an array`, source)
  const tables = ((o.tables ?? []) as unknown[]).map((t, i) => {
    try {
      return TableDefinition.fromJSON(t)
    } catch (e) {
      return corrupt(`tables[${i}]: ${(e as Error).message}`, source)
    }
  })
  const tableKeys = new Set<string>()
  for (const t of tables) {
    if (tableKeys.has(QualifiedName.key(t))) corrupt(`table ${QualifiedName.key(t)} appears twice`, source)
    tableKeys.add(QualifiedName.key(t))
  }
  if (o.views !== undefined && !Array.isArray(o.views)) return corrupt(`"views" is ${describe(o.views)}, expected an array`, source)
  const views = ((o.views ?? []) as unknown[]).map((v, i) => {
    try {
      return ViewDefinition.fromJSON(v)
    } catch (e) {
      return corrupt(`views[${i}]: ${(e as Error).message}`, source)
    }
  })
  return SchemaState.create([...state], {
    tables,
    views,
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
