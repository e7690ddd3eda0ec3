import { StarRocksMvError } from '../errors.js'
import { isDeepFrozen, QualifiedName, type MvDefinition, type SchemaState } from '../model/index.js'
import { dependencyIdentity, queryDependencies } from '../sql/index.js'

/** Options for resolving names. */
export interface ResolveOptions {
  /** The database that unqualified MVs live in (the connection's current database), when known. */
  readonly defaultSchema?: string
}

/** The key an MV is known by: `db.name`, or `name` when neither it nor `defaultSchema` names a database. */
export const mvKey = (def: Pick<MvDefinition, 'name' | 'schema'>, options: ResolveOptions = {}): string => {
  // QualifiedName.key of the MV's name (an MV has no catalog), without making the name first
  const schema = def.schema ?? options.defaultSchema
  return schema === undefined ? def.name : `${schema}.${def.name}`
}

const readCache = new WeakMap<MvDefinition, readonly QualifiedName[]>()

/**
 * The names a query text reads, by text: a plan reads the same queries from the snapshot and from
 * the schema module (most did not change), so each text is scanned once. Bounded: cleared when full.
 */
const textCache = new Map<string, readonly QualifiedName[]>()
const TEXT_CACHE_LIMIT = 50_000

const namesInText = (query: string): readonly QualifiedName[] => {
  const cached = textCache.get(query)
  if (cached !== undefined) return cached
  let parsed: readonly QualifiedName[] = []
  try {
    parsed = Object.freeze(queryDependencies(query))
  } catch {
    // text the tokenizer cannot read: the server judges it
  }
  if (textCache.size >= TEXT_CACHE_LIMIT) textCache.clear()
  textCache.set(query, parsed)
  return parsed
}

/** `recorded` without the names that `parsed` (the text) reads only through an external catalog. */
const withoutExternalOnly = (recorded: readonly QualifiedName[], parsed: readonly QualifiedName[]): readonly QualifiedName[] => {
  const local = (d: QualifiedName): string => dependencyIdentity({ ...(d.schema === undefined ? {} : { schema: d.schema }), name: d.name })
  const internal = new Set(parsed.filter((d) => d.catalog === undefined).map(local))
  const externalOnly = new Set(parsed.filter((d) => d.catalog !== undefined).map(local).filter((k) => !internal.has(k)))
  return recorded.filter((d) => d.catalog !== undefined || !externalOnly.has(local(d)))
}

/**
 * What an MV reads: its recorded dependencies, then the names its query text reads (see
 * `queryDependencies`), without duplicates. Reading the text too covers definitions that recorded
 * nothing (snapshots written before text queries recorded their dependencies, hand-made
 * definitions) and names written into a `sql` fragment's text. Unreadable text adds nothing.
 * A table of an external catalog is `{ catalog, schema, name }`. Snapshots read from a server before
 * catalogs were told apart recorded `hive.sales.orders` as `sales.orders`: a recorded name without a
 * catalog that the text reads only through an external catalog is that one, not an internal table.
 *
 * @example
 * ```ts
 * mvDependencies(mv('a_top').as('SELECT * FROM z_base').definition) // [{ name: 'z_base' }]
 * ```
 */
export const mvDependencies = (def: MvDefinition): readonly QualifiedName[] => {
  const cached = readCache.get(def)
  if (cached !== undefined) return cached
  const parsed = namesInText(def.query)
  const recorded = parsed.some((d) => d.catalog !== undefined) ? withoutExternalOnly(def.dependencies, parsed) : def.dependencies
  const out = new Map<string, QualifiedName>()
  for (const d of [...recorded, ...parsed]) {
    const k = dependencyIdentity(d)
    if (!out.has(k)) out.set(k, QualifiedName.create(d.name, d.schema, d.catalog))
  }
  const deps = Object.freeze([...out.values()])
  if (isDeepFrozen(def)) readCache.set(def, deps)
  return deps
}

const recordedCache = new WeakMap<MvDefinition, readonly QualifiedName[]>()

/** `def`'s recorded dependencies without duplicates: {@link mvDependencies} without the text. */
const recordedDependencies = (def: MvDefinition): readonly QualifiedName[] => {
  const cached = recordedCache.get(def)
  if (cached !== undefined) return cached
  const out = new Map<string, QualifiedName>()
  for (const d of def.dependencies) {
    const k = dependencyIdentity(d)
    if (!out.has(k)) out.set(k, QualifiedName.create(d.name, d.schema, d.catalog))
  }
  const deps = Object.freeze([...out.values()])
  if (isDeepFrozen(def)) recordedCache.set(def, deps)
  return deps
}

/** A name the word scan below finds wherever a query names it (as a word or back-quoted). */
const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The bare names of some MVs (see {@link mvNameSet}). */
export interface MvNames {
  readonly names: ReadonlySet<string>
  /** The emptying of the known names after which these were last added to them. */
  epoch: number
}

/**
 * Every MV name any {@link mvNameSet} has held, so that a query text is scanned once for all of
 * them (a plan asks about the MVs of one state, then of both, then again for its reverse), with
 * what the scan checks before it looks a word up. A new name starts a new generation: texts are
 * scanned again. Bounded: emptied when it grows past the limit.
 */
const known = { names: new Set<string>(), firsts: new Uint8Array(128), shortest: Infinity, longest: 0, generation: 0, epoch: 0 }
const KNOWN_LIMIT = 200_000

const learn = (names: ReadonlySet<string>): void => {
  let fresh = false
  for (const name of names) if (!known.names.has(name)) fresh = true
  if (!fresh) return
  if (known.names.size + names.size > KNOWN_LIMIT) {
    known.names.clear()
    known.firsts.fill(0)
    known.shortest = Infinity
    known.longest = 0
    known.epoch++
    foundCache.clear()
  }
  for (const name of names) {
    known.names.add(name)
    known.firsts[name.charCodeAt(0)] = 1
    known.shortest = Math.min(known.shortest, name.length)
    known.longest = Math.max(known.longest, name.length)
  }
  known.generation++
}

/**
 * The bare names of some MVs, for callers that look an MV's dependencies up among those MVs only;
 * undefined when a name is not a plain word, or for more names than the known names hold at once
 * (then every query text is read).
 */
export const mvNameSet = (defs: Iterable<Pick<MvDefinition, 'name'>>): MvNames | undefined => {
  const names = new Set<string>()
  for (const d of defs) {
    if (!SIMPLE_NAME.test(d.name)) return undefined
    names.add(d.name)
  }
  if (names.size > KNOWN_LIMIT / 2) return undefined
  learn(names)
  return { names, epoch: known.epoch }
}

const isWordStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
const isWordPart = (c: number): boolean => isWordStart(c) || (c >= 48 && c <= 57)

/**
 * The known MV names `text` holds as whole words, runs of `[A-Za-z_][A-Za-z0-9_]*` (anywhere: in
 * strings and comments too). A word is looked up only when its first character and length fit.
 */
const knownNamesIn = (text: string): readonly string[] => {
  const found: string[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (!isWordStart(c)) {
      i++
      continue
    }
    let j = i + 1
    while (j < n && isWordPart(text.charCodeAt(j))) j++
    const length = j - i
    if (known.firsts[c] === 1 && length >= known.shortest && length <= known.longest) {
      const word = text.slice(i, j)
      if (known.names.has(word)) found.push(word)
    }
    i = j
  }
  return found
}

interface Found {
  /** The generation of the known names the text was scanned for. */
  readonly generation: number
  readonly found: readonly string[]
}

/** The known names each query text holds, by text, with the generation they were found in. Bounded. */
const foundCache = new Map<string, Found>()
const FOUND_CACHE_LIMIT = 50_000

/** The same, by frozen definition: a plan asks about each MV several times, and a text key is hashed and compared in full. */
const foundByDefinition = new WeakMap<MvDefinition, Found>()

const foundIn = (def: MvDefinition): Found => {
  let entry = foundByDefinition.get(def)
  if (entry !== undefined && entry.generation === known.generation) return entry
  const text = def.query
  entry = foundCache.get(text)
  if (entry === undefined || entry.generation !== known.generation) {
    entry = { generation: known.generation, found: knownNamesIn(text) }
    if (foundCache.size >= FOUND_CACHE_LIMIT) foundCache.clear()
    foundCache.set(text, entry)
  }
  if (isDeepFrozen(def)) foundByDefinition.set(def, entry)
  return entry
}

const mentionsAny = (def: MvDefinition, m: MvNames): boolean => {
  // names learned before the known names were emptied are learned again
  if (m.epoch !== known.epoch) {
    learn(m.names)
    m.epoch = known.epoch
  }
  for (const name of foundIn(def).found) if (m.names.has(name)) return true
  return false
}

const NO_DEPENDENCIES: readonly QualifiedName[] = Object.freeze([])

/**
 * Whether one of `def`'s recorded dependencies may name one of the MVs in `names`: its bare name is
 * one of them, or it holds a dot (a hand-made `{ name: 'db.daily' }` keys as the MV `db.daily`).
 */
const recordsAny = (def: MvDefinition, names: MvNames): boolean => {
  for (const d of def.dependencies) if (names.names.has(d.name) || d.name.includes('.')) return true
  return false
}

/**
 * What `def` reads, for a caller that keeps only the dependencies naming one of the MVs in `names`
 * (from {@link mvNameSet}): the same such dependencies as {@link mvDependencies} gives, but a query
 * whose text holds none of those names is not tokenized (its text cannot name one of them, so
 * only its recorded dependencies can), and a definition that names none of them at all, in its
 * text or its recorded dependencies, reads nothing here. Most queries of a large schema read base
 * tables only.
 */
export const mvDependenciesAmong = (def: MvDefinition, names: MvNames | undefined): readonly QualifiedName[] => {
  if (names === undefined || mentionsAny(def, names)) return mvDependencies(def)
  return recordsAny(def, names) ? recordedDependencies(def) : NO_DEPENDENCIES
}

/**
 * The key of one of `def`'s dependencies: an unqualified dependency lives in the MV's own database;
 * a table of an external catalog keys as `catalog.db.name`, so it is never taken for an internal
 * table or MV of the same database and name.
 */
export const dependencyKey = (def: MvDefinition, dep: QualifiedName, options: ResolveOptions = {}): string =>
  QualifiedName.key(QualifiedName.create(dep.name, dep.schema ?? def.schema ?? options.defaultSchema, dep.catalog))

/** A node of a {@link DependencyGraph}: an MV of the state, or a table (anything else an MV reads). */
export interface DependencyNode {
  readonly key: string
  readonly kind: 'mv' | 'table'
}

/** An edge `from` → `to`: `to` reads `from`. */
export interface DependencyEdge {
  readonly from: string
  readonly to: string
}

/** The MVs of a state, the tables they read, and who reads whom. Nodes and edges sorted by key. */
export interface DependencyGraph {
  readonly nodes: readonly DependencyNode[]
  readonly edges: readonly DependencyEdge[]
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const definitionsOf = (input: SchemaState | Iterable<MvDefinition>): MvDefinition[] =>
  'kind' in input && (input as SchemaState).kind === 'SchemaState' ? [...(input as SchemaState).mvs] : [...(input as Iterable<MvDefinition>)]

/**
 * The dependency graph of a state (or a list of definitions): one node per MV and per table an MV
 * reads, one edge per dependency.
 *
 * @example
 * ```ts
 * dependencyGraph(snapshot([orders_daily, orders_monthly])).edges
 * // [{ from: 'shop.orders', to: 'shop.orders_daily' }, { from: 'shop.orders_daily', to: 'shop.orders_monthly' }]
 * ```
 */
export const dependencyGraph = (input: SchemaState | Iterable<MvDefinition>, options: ResolveOptions = {}): DependencyGraph => {
  const defs = definitionsOf(input)
  const mvs = new Set(defs.map((d) => mvKey(d, options)))
  const nodes = new Map<string, DependencyNode>()
  const edges = new Map<string, DependencyEdge>()
  for (const def of defs) {
    const key = mvKey(def, options)
    nodes.set(key, { key, kind: 'mv' })
    for (const dep of mvDependencies(def)) {
      const from = dependencyKey(def, dep, options)
      if (!nodes.has(from) || nodes.get(from)?.kind === 'table') nodes.set(from, { key: from, kind: mvs.has(from) ? 'mv' : 'table' })
      edges.set(`${from}\u0000${key}`, { from, to: key })
    }
  }
  return Object.freeze({
    nodes: Object.freeze([...nodes.values()].sort((a, b) => cmp(a.key, b.key))),
    edges: Object.freeze([...edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to))),
  })
}

/** A cycle among `keys` following `reads` (key → keys it reads), as a closed path, or undefined. */
const findCycle = (keys: readonly string[], reads: ReadonlyMap<string, readonly string[]>): string[] | undefined => {
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (k: string): string[] | undefined => {
    state.set(k, 'open')
    path.push(k)
    for (const next of reads.get(k) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next]
      if (state.get(next) === undefined) {
        const found = visit(next)
        if (found !== undefined) return found
      }
    }
    path.pop()
    state.set(k, 'done')
    return undefined
  }
  for (const k of keys) {
    if (state.get(k) === undefined) {
      const found = visit(k)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** Thrown (code `DEPENDENCY_CYCLE`) when MVs read each other in a circle. */
export const cycleError = (cycle: readonly string[]): StarRocksMvError =>
  new StarRocksMvError(
    'DEPENDENCY_CYCLE',
    `Materialized views read each other in a cycle: ${cycle.join(' → ')}. StarRocks cannot create them in any order; break the cycle by making one of them read base tables only.`,
    { cycle: [...cycle] },
  )

/**
 * A cycle of MVs reading each other in `defs`, as a closed path (`['a', 'b', 'a']`), or undefined.
 */
export const dependencyCycle = (defs: Iterable<MvDefinition>, options: ResolveOptions = {}): string[] | undefined => {
  const list = [...defs]
  const keys = new Set(list.map((d) => mvKey(d, options)))
  const names = mvNameSet(list)
  const reads = new Map(list.map((d) => [mvKey(d, options), mvDependenciesAmong(d, names).map((dep) => dependencyKey(d, dep, options)).filter((k) => keys.has(k))] as const))
  return findCycle([...keys].sort(cmp), reads)
}

/**
 * The definitions in dependency order: every MV after the MVs it reads (ties broken by key, so
 * the order is stable). Dependencies outside `defs` (tables, MVs not in the list) are ignored.
 * Throws `StarRocksMvError` with code `DEPENDENCY_CYCLE` naming the cycle.
 *
 * @example
 * ```ts
 * dependencyOrder([monthly, daily]).map((d) => d.name) // ['daily', 'monthly'] when monthly reads daily
 * ```
 */
export const dependencyOrder = <T extends MvDefinition>(defs: Iterable<T>, options: ResolveOptions = {}): T[] => {
  const list = [...defs]
  if (list.length < KEEP_FROM) return orderOf(list, options)
  const kept = keptOrders.find((k) => k.defaultSchema === options.defaultSchema && sameDefinitions(k.defs, list))
  if (kept !== undefined) return [...kept.order] as T[]
  const out = orderOf(list, options)
  // every MV with a key of its own (none left out): the order does not depend on the list's order
  if (out.length === list.length && list.every(isDeepFrozen)) {
    keptOrders.unshift({ defs: new Set(list), defaultSchema: options.defaultSchema, order: out.slice() })
    keptOrders.length = Math.min(keptOrders.length, KEPT_ORDERS)
  }
  return out
}

/**
 * The last orders made, with their definitions and default schema, newest first: loading a schema
 * module checks its MVs for cycles by ordering them, and a plan orders the same definitions again,
 * sorted by key (its reverse, for a migration's `down()`, orders the snapshot's, which `srmv
 * generate` orders while esbuild transforms the module). Kept only for definitions frozen all the
 * way down (as `MvDefinition.create` and `parseState` make them), whose order cannot change, and
 * only while they are the latest two lists: they are held until then.
 */
const keptOrders: { readonly defs: ReadonlySet<MvDefinition>; readonly defaultSchema: string | undefined; readonly order: readonly MvDefinition[] }[] = []
const KEPT_ORDERS = 2
/** Shorter lists are ordered again: that is cheap, and they would push out the orders worth keeping. */
const KEEP_FROM = 64

/** True when `list` holds exactly the definitions of `kept`, each once, in any order. */
const sameDefinitions = (kept: ReadonlySet<MvDefinition>, list: readonly MvDefinition[]): boolean => {
  if (kept.size !== list.length) return false
  for (const def of list) if (!kept.has(def)) return false
  return new Set(list).size === list.length
}

const orderOf = <T extends MvDefinition>(list: T[], options: ResolveOptions): T[] => {
  const byKey = new Map<string, T>()
  for (const d of list) byKey.set(mvKey(d, options), d)
  // only MVs that read other MVs of the list have entries here (most read base tables only)
  const reads = new Map<string, string[]>()
  const readers = new Map<string, string[]>()
  const names = mvNameSet(list)
  const pending = new Map<string, number>()
  const readyAtStart: string[] = []
  for (const [key, def] of byKey) {
    let deps: string[] | undefined
    for (const dep of mvDependenciesAmong(def, names)) {
      const k = dependencyKey(def, dep, options)
      if (k === key) throw cycleError([key, key])
      if (!byKey.has(k)) continue
      if (deps === undefined) deps = [k]
      else if (!deps.includes(k)) deps.push(k)
    }
    if (deps === undefined) {
      readyAtStart.push(key)
      continue
    }
    reads.set(key, deps)
    pending.set(key, deps.length)
    for (const dep of deps) {
      const list = readers.get(dep)
      if (list === undefined) readers.set(dep, [key])
      else list.push(key)
    }
  }
  // Kahn's algorithm; among the MVs ready at once, the smallest key first (a stable, readable order).
  // Most MVs are ready from the start: they are sorted once, and only the MVs that become ready
  // later go through the heap; the next MV is the smaller of the two heads.
  readyAtStart.sort(cmp)
  let next = 0
  const readyLater = new MinHeap()
  const take = (): string | undefined => {
    const a = readyAtStart[next]
    const b = readyLater.peek()
    if (a !== undefined && (b === undefined || cmp(a, b) <= 0)) {
      next++
      return a
    }
    return readyLater.pop()
  }
  const out: T[] = []
  for (let key = take(); key !== undefined; key = take()) {
    out.push(byKey.get(key) as T)
    const waiting = readers.get(key)
    if (waiting === undefined) continue
    for (const reader of waiting) {
      const left = (pending.get(reader) ?? 0) - 1
      pending.set(reader, left)
      if (left === 0) readyLater.push(reader)
    }
  }
  if (out.length < byKey.size) {
    const placed = new Set(out)
    const rest = [...byKey.keys()].filter((k) => !placed.has(byKey.get(k) as T)).sort(cmp)
    throw cycleError(findCycle(rest, reads) ?? rest)
  }
  return out
}

/** A binary min-heap of strings (code-unit order, as `cmp`). */
class MinHeap {
  readonly #items: string[] = []
  peek(): string | undefined {
    return this.#items[0]
  }
  push(item: string): void {
    const a = this.#items
    a.push(item)
    let i = a.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      const p = a[parent] as string
      if (cmp(p, item) <= 0) break
      a[i] = p
      i = parent
    }
    a[i] = item
  }
  pop(): string | undefined {
    const a = this.#items
    const top = a[0]
    const last = a.pop()
    if (a.length > 0 && last !== undefined) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= a.length) break
        const r = l + 1
        const m = r < a.length && cmp(a[r] as string, a[l] as string) < 0 ? r : l
        const child = a[m] as string
        if (cmp(child, last) >= 0) break
        a[i] = child
        i = m
      }
      a[i] = last
    }
    return top
  }
}
