import { match } from 'ts-pattern'
import {
  atLeast,
  parseVersion,
  DEFAULT_VERSION,
  freezeDeep as freeze,
  MvDefinition,
  QualifiedName,
  type AlterChange,
  type RefreshSpec,
  type SchemaState,
  type Version,
} from '../model/index.js'
import type { Op } from '../ops/op.js'
import { definitionChanges, type CompareMode } from './canonicalize.js'
import type { Change } from './change.js'
import { dependencyCycle, dependencyKey, dependencyOrder, mvDependenciesAmong, mvKey, mvNameSet, type ResolveOptions } from './dependency-order.js'
import { describeChange } from './describe-change.js'
import { deployedDefinition } from './snapshot.js'
import { columnEvolution, sortKeyAlter } from './mv-column-evolution.js'
import { planTables, type TableImpact, type TableRebuild } from './diff-tables.js'
import { planViews } from './diff-views.js'

/** What to do with changes StarRocks cannot ALTER. */
export type RebuildOption = 'error' | 'drop-create' | 'swap'

/** The default suffix of the temporary MV a swap rebuild creates. */
export const DEFAULT_TEMP_SUFFIX = '__srmv_new'

/** The longest MV name StarRocks takes (the renderer refuses longer ones). */
const MAX_MV_NAME_LENGTH = 64

/** The first StarRocks version with `ALTER MATERIALIZED VIEW ... SWAP WITH` and `ACTIVE`. */
export const SWAP_SINCE = '3.1'

/** Why a plan cannot be applied as it stands. */
export type ProblemCode =
  | 'IMMUTABLE_CHANGE'
  | 'UNRESETTABLE_PROPERTY'
  | 'DEPENDENCY_CYCLE'
  | 'MISSING_DEPENDENCY'
  | 'SWAP_UNSUPPORTED'
  | 'TEMP_NAME_TAKEN'
  | 'TEMP_NAME_TOO_LONG'
  | 'RENAME_CONFLICT'
  | 'RENAME_ACROSS_DATABASES'
  | 'PARTITION_DROP'

/**
 * A change the plan cannot carry out: the MV, the attribute, the old and new value (as text) and
 * a message that names all of them and the ways out.
 */
export interface Problem {
  readonly code: ProblemCode
  readonly mv: string
  readonly attribute: string
  readonly from?: string
  readonly to?: string
  readonly message: string
}

/** Options of {@link diff}. */
export interface DiffOptions extends ResolveOptions {
  /**
   * For changes StarRocks cannot ALTER (query, columns, COMMENT, PARTITION BY, DISTRIBUTED BY,
   * BUCKETS, ORDER BY, sync, create-only properties): `'error'` (default) reports a problem per
   * change; `'drop-create'` drops and re-creates the MV (downtime, full refresh); `'swap'` builds
   * the new definition under a temporary name, refreshes it, `SWAP WITH`s it and drops the old
   * one (no downtime; StarRocks 3.1+). An MV's own `.rebuild(...)` intent overrides this.
   */
  readonly rebuild?: RebuildOption
  /** The target StarRocks version (default: the reflected state's `serverVersion`, else 3.5). */
  readonly version?: string | Version
  /** Rename hints: new qualified key → old qualified key (as `db.name`, or `name` for unqualified MVs). */
  readonly renames?: Readonly<Record<string, string>>
  /** Suffix of the temporary MV of a swap rebuild (default `__srmv_new`). */
  readonly tempSuffix?: string
  /**
   * `'snapshot'`: `from` is a recorded snapshot. `'live'`: `from` was reflected from a server, so
   * what the server adds or rewrites is not a change (see `canonicalize`), the server's version is
   * the target and MVs it reports inactive are re-activated. Default: `'live'` when `from.origin`
   * is `'server'` (a state from `reflect`), else `'snapshot'`; an explicit value overrides.
   */
  readonly compare?: CompareMode
  /**
   * For managed tables, changes StarRocks cannot ALTER (key model, partition scheme, column order,
   * aggregate type, create-only properties ...): `'error'` (default) reports a problem per change;
   * `'copy'` rebuilds the table by copy (CREATE a new table, INSERT INTO ... SELECT, SWAP WITH, DROP
   * the old one). A table's own `rebuild: 'copy'` option overrides this.
   */
  readonly tableRebuild?: 'error' | 'copy'
  /** Acknowledge every DROP PARTITION the plan makes (the partitions' data is lost); a table's own `allowPartitionDrop: true` does it for one table. */
  readonly allowPartitionDrop?: boolean
}

/** The plan from one state to another. */
export interface DiffResult {
  /** The operations, in an order StarRocks can run them (see {@link diff}). */
  readonly ops: readonly Op[]
  /** What the plan cannot do; a plan with problems must not be applied. */
  readonly problems: readonly Problem[]
  /** Every difference found, including those the ops carry out. */
  readonly changes: readonly Change[]
  /** Keys of the MVs the plan rebuilds (drop-create or swap). */
  readonly rebuilt: readonly string[]
  /** Keys of the MVs the plan re-activates: an MV they read is rebuilt, or (live) the server reports them inactive. */
  readonly reactivated: readonly string[]
  /** Table changes StarRocks answers by deactivating MVs, with the MVs they hit (the plan re-activates them). */
  readonly impacts?: readonly TableImpact[]
  /** The managed tables rebuilt by copy, with what is copied and what is lost. */
  readonly tableRebuilds?: readonly TableRebuild[]
}

/** What one change asks of the plan. */
type Effect =
  | { readonly kind: 'create' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'rename' }
  | { readonly kind: 'activate' }
  | { readonly kind: 'alter'; readonly change: AlterChange }
  | { readonly kind: 'rebuild' }
  | { readonly kind: 'problem'; readonly code: ProblemCode; readonly message: string }

const immutable = (): Effect => ({ kind: 'rebuild' })

/** The one dispatcher over changes: what each kind asks of the plan. */
const effectOf = (change: Change): Effect =>
  match(change)
    .returnType<Effect>()
    .with({ kind: 'added' }, () => ({ kind: 'create' }))
    .with({ kind: 'removed' }, () => ({ kind: 'drop' }))
    .with({ kind: 'renamed' }, () => ({ kind: 'rename' }))
    .with({ kind: 'refreshChanged' }, (c) => ({ kind: 'alter', change: { kind: 'refresh', refresh: c.to, previous: c.from } }))
    .with({ kind: 'propertyAdded' }, (c) =>
      c.alterable ? { kind: 'alter', change: { kind: 'set', properties: { [c.key]: c.to }, previous: { [c.key]: null } } } : immutable(),
    )
    .with({ kind: 'propertyChanged' }, (c) =>
      c.alterable ? { kind: 'alter', change: { kind: 'set', properties: { [c.key]: c.to }, previous: { [c.key]: c.from } } } : immutable(),
    )
    .with({ kind: 'propertyRemoved' }, (c): Effect => {
      if (!c.alterable) return immutable()
      if (c.resetTo !== undefined) return { kind: 'alter', change: { kind: 'set', properties: { [c.key]: c.resetTo }, previous: { [c.key]: c.from } } }
      return {
        kind: 'problem',
        code: 'UNRESETTABLE_PROPERTY',
        message:
          `${c.mv}: property "${c.key}" = "${c.from}" was removed, but StarRocks cannot unset a property and its default is not known. ` +
          `Set it explicitly to the value you want (for example .properties({ ${c.key}: ... })), or rebuild the MV (--rebuild drop-create or --rebuild swap, or .rebuild('swap') on the MV).`,
      }
    })
    .with(
      { kind: 'queryChanged' },
      { kind: 'columnsChanged' },
      { kind: 'indexesChanged' },
      { kind: 'commentChanged' },
      { kind: 'partitionByChanged' },
      { kind: 'distributionChanged' },
      { kind: 'bucketsChanged' },
      { kind: 'orderByChanged' },
      { kind: 'syncChanged' },
      immutable,
    )
    .with({ kind: 'inactive' }, () => ({ kind: 'activate' }))
    .exhaustive()

const WAYS_OUT =
  "Ways out: re-run with --rebuild swap (no downtime, StarRocks 3.1+) or --rebuild drop-create (drops the data and refreshes it again), mark the MV with .rebuild('swap') or .rebuild('drop-create'), or give the changed MV a new name."

const immutableProblem = (change: Change): Problem => {
  const d = describeChange(change)
  let message = `${d.summary}. StarRocks cannot ALTER this. ${WAYS_OUT}`
  if (change.kind === 'queryChanged') {
    message =
      `${d.summary}. StarRocks cannot ALTER the query of a materialized view.` +
      (change.mayBeRewrite
        ? ' The server rewrites queries when it stores them (before 4.0.6), so this difference may only be that rewrite; check the diff below, and compare against a snapshot (srmv generate without --from-db) to be sure.'
        : '') +
      ` ${WAYS_OUT}\n${change.textDiff}`
  }
  return freeze({
    code: 'IMMUTABLE_CHANGE',
    mv: change.mv,
    attribute: d.attribute,
    ...(d.from === undefined ? {} : { from: d.from }),
    ...(d.to === undefined ? {} : { to: d.to }),
    message,
  })
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const nameOf = (def: MvDefinition): QualifiedName => QualifiedName.create(def.name, def.schema)

const sortedByKey = (defs: readonly MvDefinition[], options: ResolveOptions): MvDefinition[] => [...defs].sort((a, b) => cmp(mvKey(a, options), mvKey(b, options)))

const orderOrSorted = (defs: readonly MvDefinition[], options: ResolveOptions): MvDefinition[] => {
  try {
    return dependencyOrder(defs, options)
  } catch {
    return sortedByKey(defs, options)
  }
}

/**
 * The definitions in dependency order, and no cycle; or, when some read each other in a circle, the
 * cycle and the definitions by key. The cycle is looked for only when there is no order.
 */
const orderOrCycle = (defs: readonly MvDefinition[], options: ResolveOptions): { order: MvDefinition[]; cycle?: string[] } => {
  try {
    return { order: dependencyOrder(defs, options) }
  } catch {
    const cycle = dependencyCycle(defs, options)
    return { order: sortedByKey(defs, options), ...(cycle === undefined ? {} : { cycle }) }
  }
}

/** Resolve a rename hint (`'old'` or `'db.old'`) against the database of the MV it names. */
const resolveHint = (hint: string, schema: string | undefined, options: ResolveOptions): string =>
  hint.includes('.') ? hint : QualifiedName.key(QualifiedName.create(hint, schema ?? options.defaultSchema))

const resolveKey = (key: string, options: ResolveOptions): string =>
  key.includes('.') || options.defaultSchema === undefined ? key : `${options.defaultSchema}.${key}`

const deferredRefresh = (r: RefreshSpec | undefined): RefreshSpec =>
  r === undefined ? { kind: 'manual', deferred: true } : { ...r, deferred: true }

/**
 * The plan that turns `from` (a snapshot, or a state reflected from a server: compared
 * canonically, as with `compare: 'live'`) into `to` (the desired state).
 *
 * Rules: a new MV is created; a removed MV is dropped (the op carries its definition so it can be
 * reversed); a refresh change is an `ALTER ... REFRESH`; alterable properties added or changed
 * are one `ALTER ... SET`, and a removed one is set back to its catalog default (a problem when
 * none is known); a rename comes only from a hint (`renamedFrom` on the desired MV, or
 * `options.renames`), never from a guess, and further changes apply to the new name; on StarRocks
 * 4.2+, an output column appended to or removed from the select list (and the column list) is
 * `ALTER ... ADD COLUMN` / `DROP COLUMN` when StarRocks can do it (see `columnEvolution`), and, in
 * a live comparison, a new sort key of a range-distributed MV is `ALTER ... ORDER BY` (`sortKeyAlter`);
 * everything else StarRocks cannot alter follows the MV's `rebuild` intent or `options.rebuild`.
 *
 * Order: drops (dependents first), renames, alters, then creates and swap rebuilds (an MV after
 * the MVs it reads), then `ALTER ... ACTIVE` for the MVs that read a rebuilt MV (StarRocks
 * deactivates them on DROP and SWAP; before 3.1, which has no ACTIVE, they are rebuilt too).
 * In a live comparison, an MV the server reports inactive is re-activated too (rebuilt before 3.1).
 * A dependency cycle in `to` is reported as a `DEPENDENCY_CYCLE` problem (`dependencyOrder`
 * throws instead).
 *
 * @example
 * ```ts
 * const { ops, problems } = diff(parseState(readFileSync('snapshot.json', 'utf8')), snapshot(mvs), { rebuild: 'swap' })
 * if (problems.length === 0) console.log(toStatements(ops).join(';\n'))
 * ```
 */
export const diff = (from: SchemaState, to: SchemaState, options: DiffOptions = {}): DiffResult => {
  const mode = options.compare ?? (from.origin === 'server' ? 'live' : 'snapshot')
  const versionGiven = options.version ?? (mode === 'live' ? from.serverVersion : undefined)
  const version = versionGiven ?? DEFAULT_VERSION
  const suffix = options.tempSuffix ?? DEFAULT_TEMP_SUFFIX
  const resolve: ResolveOptions = options.defaultSchema === undefined ? {} : { defaultSchema: options.defaultSchema }
  // each MV's key made once (the plan asks for it several times per MV)
  const keys = new Map<MvDefinition, string>()
  const key = (d: MvDefinition): string => {
    let k = keys.get(d)
    if (k === undefined) keys.set(d, (k = mvKey(d, resolve)))
    return k
  }

  const fromByKey = new Map<string, MvDefinition>()
  for (const d of from.mvs) fromByKey.set(key(d), d)
  const toByKey = new Map<string, MvDefinition>()
  for (const d of to.mvs) toByKey.set(key(d), d)
  const problems: Problem[] = []
  const problem = (p: Problem): void => {
    problems.push(freeze(p))
  }

  // -- renames, from hints only
  const renames = new Map<string, string>() // new key → old key
  const hints: [string, string][] = []
  for (const [k, d] of toByKey) if (d.renamedFrom !== undefined) hints.push([k, resolveHint(d.renamedFrom, d.schema, resolve)])
  for (const [n, o] of Object.entries(options.renames ?? {})) hints.push([resolveKey(n, resolve), resolveKey(o, resolve)])
  const claimed = new Map<string, string>()
  // A hint applies when its new name is wanted and its old name is deployed; a new name that is
  // already deployed means the rename already ran, unless another hint moves that MV away.
  const candidates = hints.filter(([n, o]) => toByKey.has(n) && fromByKey.has(o))
  const movedAway = new Set(candidates.map(([, o]) => o))
  const renameTargets = new Set(candidates.map(([n]) => n))
  for (const [newKey, oldKey] of candidates) {
    if (renames.get(newKey) === oldKey) continue
    const target = toByKey.get(newKey) as MvDefinition
    const source = fromByKey.get(oldKey) as MvDefinition
    if (fromByKey.has(newKey) && !movedAway.has(newKey)) continue
    if (toByKey.has(oldKey) && !renameTargets.has(oldKey)) {
      problem({
        code: 'RENAME_CONFLICT', mv: newKey, attribute: 'name', from: oldKey, to: newKey,
        message: `${newKey} is marked as renamed from ${oldKey}, but ${oldKey} is still in the desired schema. Remove ${oldKey} from the schema, or drop the rename hint to create ${newKey} as a new MV.`,
      })
      continue
    }
    const other = claimed.get(oldKey)
    if (other !== undefined || renames.has(newKey)) {
      problem({
        code: 'RENAME_CONFLICT', mv: newKey, attribute: 'name', from: oldKey, to: newKey,
        message: `${oldKey} cannot be renamed to both ${other ?? renames.get(newKey)} and ${newKey}. Keep one rename hint.`,
      })
      continue
    }
    if (source.schema !== target.schema && (source.schema ?? resolve.defaultSchema) !== (target.schema ?? resolve.defaultSchema)) {
      problem({
        code: 'RENAME_ACROSS_DATABASES', mv: newKey, attribute: 'name', from: oldKey, to: newKey,
        message: `${oldKey} cannot be renamed to ${newKey}: ALTER MATERIALIZED VIEW ... RENAME keeps the database. Drop the rename hint (the MV is then dropped and created) or keep the database.`,
      })
      continue
    }
    renames.set(newKey, oldKey)
    claimed.set(oldKey, newKey)
  }
  const renamedOld = new Set(renames.values())

  // -- changes
  const changes: Change[] = []
  const pairs: { key: string; oldKey: string; from: MvDefinition; to: MvDefinition }[] = []
  for (const k of [...toByKey.keys()].sort(cmp)) {
    const d = toByKey.get(k) as MvDefinition
    const oldKey = renames.get(k) ?? k
    const previous = fromByKey.get(oldKey)
    if (previous === undefined) {
      changes.push({ kind: 'added', mv: k, definition: d })
      continue
    }
    if (oldKey !== k) changes.push({ kind: 'renamed', mv: k, from: oldKey, definition: d, previous })
    changes.push(
      ...definitionChanges(previous, d, {
        mode, version, versionKnown: versionGiven !== undefined, mv: k,
      }),
    )
    const status = mode === 'live' ? from.status?.[QualifiedName.key(previous)] : undefined
    if (status?.active === false) changes.push({ kind: 'inactive', mv: k, ...(status.inactiveReason === undefined ? {} : { reason: status.inactiveReason }) })
    pairs.push({ key: k, oldKey, from: previous, to: d })
  }
  for (const k of [...fromByKey.keys()].filter((k) => !toByKey.has(k) && !renamedOld.has(k)).sort(cmp)) {
    changes.push({ kind: 'removed', mv: k, definition: fromByKey.get(k) as MvDefinition })
  }

  // -- what each MV needs
  const alters = new Map<string, AlterChange[]>()
  const needsRebuild = new Map<string, Change[]>()
  const softProblems = new Map<string, Problem[]>()
  const added: string[] = []
  const removed: string[] = []
  const renamedKeys: string[] = []
  const inactive = new Set<string>()
  for (const change of changes) {
    const effect = effectOf(change)
    match(effect)
      .with({ kind: 'create' }, () => added.push(change.mv))
      .with({ kind: 'drop' }, () => removed.push(change.mv))
      .with({ kind: 'rename' }, () => renamedKeys.push(change.mv))
      .with({ kind: 'activate' }, () => inactive.add(change.mv))
      .with({ kind: 'alter' }, (e) => alters.set(change.mv, [...(alters.get(change.mv) ?? []), e.change]))
      .with({ kind: 'rebuild' }, () => needsRebuild.set(change.mv, [...(needsRebuild.get(change.mv) ?? []), change]))
      .with({ kind: 'problem' }, (e) => {
        const d = describeChange(change)
        softProblems.set(change.mv, [
          ...(softProblems.get(change.mv) ?? []),
          { code: e.code, mv: change.mv, attribute: d.attribute, ...(d.from === undefined ? {} : { from: d.from }), ...(d.to === undefined ? {} : { to: d.to }), message: e.message },
        ])
      })
      .exhaustive()
  }

  const pairByKey = new Map(pairs.map((p) => [p.key, p] as const))
  const dropCreate = new Set<string>()
  const swaps = new Set<string>()
  const canSwap = atLeast(version, SWAP_SINCE)
  // Before 3.1 there is no ACTIVE: an inactive MV can only be rebuilt.
  if (!canSwap) {
    for (const change of changes) if (change.kind === 'inactive') needsRebuild.set(change.mv, [...(needsRebuild.get(change.mv) ?? []), change])
  }
  for (const [k, list] of needsRebuild) {
    const pair = pairByKey.get(k) as (typeof pairs)[number]
    // An output column added or dropped, or (live, range-distributed) a new sort key, is an ALTER on StarRocks 4.2+.
    const evolution = columnEvolution(pair.from, pair.to, list, version) ?? sortKeyAlter(pair.from, pair.to, list, version, mode === 'live')
    if (evolution !== undefined) {
      alters.set(k, [...(alters.get(k) ?? []), ...evolution])
      continue
    }
    const strategy = pair.to.rebuild ?? options.rebuild ?? 'error'
    if (strategy === 'error') {
      for (const c of list) problem(immutableProblem(c))
      continue
    }
    if (strategy === 'drop-create') {
      dropCreate.add(k)
      continue
    }
    const temp = mvKey({ name: `${pair.to.name}${suffix}`, ...(pair.to.schema === undefined ? {} : { schema: pair.to.schema }) }, resolve)
    const why = !canSwap
      ? `StarRocks ${typeof version === 'string' ? version : version.text} has no SWAP WITH (it came in ${SWAP_SINCE})`
      : pair.to.sync || pair.from.sync
        ? 'SWAP WITH works on asynchronous MVs only, and this one is (or was) synchronous'
        : undefined
    if (why !== undefined) {
      problem({
        code: 'SWAP_UNSUPPORTED', mv: k, attribute: describeChange(list[0] as Change).attribute,
        message: `${k} needs a rebuild (${list.map((c) => describeChange(c).summary.replace(`${k}: `, '')).join('; ')}), but cannot be swapped: ${why}. Rebuild it with --rebuild drop-create or .rebuild('drop-create') (downtime until it is refreshed), or give it a new name.`,
      })
      continue
    }
    const tempName = `${pair.to.name}${suffix}`
    if (tempName.length > MAX_MV_NAME_LENGTH) {
      problem({
        code: 'TEMP_NAME_TOO_LONG', mv: k, attribute: 'name', to: tempName,
        message: `${k} would be rebuilt through a temporary MV named ${tempName}, which is ${tempName.length} characters long; StarRocks allows at most ${MAX_MV_NAME_LENGTH}. Rebuild it with --rebuild drop-create or .rebuild('drop-create') (downtime until it is refreshed), give the MV a name of at most ${MAX_MV_NAME_LENGTH - suffix.length} characters, or choose a shorter suffix (tempSuffix).`,
      })
      continue
    }
    if (fromByKey.has(temp) || toByKey.has(temp)) {
      problem({
        code: 'TEMP_NAME_TAKEN', mv: k, attribute: 'name', to: temp,
        message: `${k} would be rebuilt through a temporary MV named ${temp}, but that name is taken. Drop or rename ${temp}, or choose another suffix (tempSuffix).`,
      })
      continue
    }
    swaps.add(k)
  }

  const toDefs = [...toByKey.values()]
  // only MVs are looked up (the MVs of both states), so texts that name none of them are not read
  const mvNames = mvNameSet([...fromByKey.values(), ...toDefs])
  // asked up to three times per MV (cascades before 3.1, missing dependencies, re-activations)
  const reads = new Map<MvDefinition, readonly string[]>()
  const readsOf = (d: MvDefinition): readonly string[] => {
    let read = reads.get(d)
    if (read === undefined) {
      const deps = mvDependenciesAmong(d, mvNames)
      read = deps.length === 0 ? [] : deps.map((dep) => dependencyKey(d, dep, resolve))
      reads.set(d, read)
    }
    return read
  }

  // Before 3.1 there is no ACTIVE: whatever reads a dropped MV is rebuilt as well.
  const cascaded = new Set<string>()
  if (!canSwap) {
    for (let grew = true; grew; ) {
      grew = false
      for (const p of pairs) {
        if (dropCreate.has(p.key) || swaps.has(p.key)) continue
        if (readsOf(p.to).some((dep) => dropCreate.has(dep))) {
          dropCreate.add(p.key)
          cascaded.add(p.key)
          grew = true
        }
      }
    }
  }
  const rebuiltKeys = new Set([...dropCreate, ...swaps])
  for (const [k, list] of softProblems) if (!rebuiltKeys.has(k)) for (const p of list) problem(p)

  // -- dependencies that disappear (only an MV of `from` that `to` lacks can), and cycles
  const leaving = [...fromByKey.keys()].some((k) => !toByKey.has(k))
  for (const d of leaving ? toDefs : []) {
    for (const dep of readsOf(d)) {
      if (!toByKey.has(dep) && fromByKey.has(dep)) {
        const newName = claimed.get(dep)
        problem({
          code: 'MISSING_DEPENDENCY', mv: key(d), attribute: 'dependencies', from: dep,
          message:
            `${key(d)} reads ${dep}, which this plan ${newName === undefined ? 'drops' : `renames to ${newName}`}. ` +
            (newName === undefined ? `Keep ${dep} in the schema, or change ${key(d)} not to read it.` : `Change ${key(d)} to read ${newName}.`),
        })
      }
    }
  }
  // the order of the creates (step 4 below), and the cycle that leaves none
  const { order: toInOrder, cycle } = orderOrCycle(toDefs, resolve)
  if (cycle !== undefined) {
    problem({
      code: 'DEPENDENCY_CYCLE', mv: cycle[0] as string, attribute: 'dependencies', to: cycle.join(' → '),
      message: `Materialized views read each other in a cycle: ${cycle.join(' → ')}. StarRocks cannot create them in any order; break the cycle by making one of them read base tables only.`,
    })
  }

  // -- ops
  const ops: Op[] = []
  const dropOp = (def: MvDefinition, target: QualifiedName = nameOf(def)): Op => ({
    kind: 'dropMaterializedView', target, ifExists: false, force: false, definition: deployedDefinition(def),
  })
  const createOp = (def: MvDefinition): Op => ({ kind: 'createMaterializedView', definition: deployedDefinition(def), ifNotExists: false })

  // 1. drops, readers first
  const dropKeys = new Set([...removed, ...[...dropCreate].map((k) => pairByKey.get(k)?.oldKey as string)])
  if (dropKeys.size > 0) for (const d of orderOrSorted([...fromByKey.values()], resolve).reverse()) if (dropKeys.has(key(d))) ops.push(dropOp(d))

  // 2. renames, each after the one that frees its new name
  const pendingRenames = renamedKeys.filter((k) => !dropCreate.has(k)).sort(cmp)
  while (pendingRenames.length > 0) {
    const pendingOld = new Set(pendingRenames.map((k) => renames.get(k)))
    const i = pendingRenames.findIndex((k) => !pendingOld.has(k) || renames.get(k) === k)
    if (i < 0) {
      for (const k of pendingRenames) {
        problem({
          code: 'RENAME_CONFLICT', mv: k, attribute: 'name', from: renames.get(k) as string, to: k,
          message: `The renames ${pendingRenames.map((n) => `${renames.get(n)} → ${n}`).join(', ')} form a cycle, so no order of RENAMEs carries them out. Rename through a temporary name in two migrations.`,
        })
      }
      break
    }
    const k = pendingRenames.splice(i, 1)[0] as string
    const p = pairByKey.get(k) as (typeof pairs)[number]
    ops.push({ kind: 'alterMaterializedView', target: nameOf(p.from), changes: [{ kind: 'rename', newName: p.to.name }] })
  }

  // 3. alters, on the new names
  for (const [k, list] of [...alters].sort(([a], [b]) => cmp(a, b))) {
    if (rebuiltKeys.has(k)) continue
    const p = pairByKey.get(k) as (typeof pairs)[number]
    const refresh = list.filter((c) => c.kind === 'refresh')
    const sets = list.filter((c): c is Extract<AlterChange, { kind: 'set' }> => c.kind === 'set')
    const merged: AlterChange[] = [...refresh]
    if (sets.length > 0) {
      merged.push({
        kind: 'set',
        properties: Object.assign({}, ...sets.map((s) => s.properties)) as Record<string, string>,
        previous: Object.assign({}, ...sets.map((s) => s.previous ?? {})) as Record<string, string | null>,
      })
    }
    merged.push(...list.filter((c) => c.kind === 'addColumn' || c.kind === 'dropColumn' || c.kind === 'orderBy'))
    ops.push({ kind: 'alterMaterializedView', target: nameOf(p.to), changes: merged })
  }

  // 4. creates and swap rebuilds, an MV after what it reads
  const addedKeys = new Set(added)
  for (const d of toInOrder) {
    const k = key(d)
    if (addedKeys.has(k) || dropCreate.has(k)) ops.push(createOp(d))
    else if (swaps.has(k)) {
      const p = pairByKey.get(k) as (typeof pairs)[number]
      const tempName = `${d.name}${suffix}`
      const temp = QualifiedName.create(tempName, d.schema)
      ops.push(
        { kind: 'createMaterializedView', definition: deployedDefinition(MvDefinition.with(d, { name: tempName, refresh: deferredRefresh(d.refresh) })), ifNotExists: false },
        { kind: 'refreshMaterializedView', target: temp, force: false, wait: true },
        { kind: 'alterMaterializedView', target: nameOf(d), changes: [{ kind: 'swap', other: tempName }] },
        dropOp(MvDefinition.with(p.from, { name: tempName, schema: d.schema }), temp),
      )
    }
  }

  // 5. re-activate what reads a rebuilt MV, and what reads those in turn (StarRocks deactivates
  // the readers of an inactive MV too); readers first-to-last, so each reads an active MV
  const reactivated: string[] = []
  if (canSwap) {
    const deactivated = new Set(rebuiltKeys)
    for (const d of toInOrder) {
      const k = key(d)
      if (!pairByKey.has(k) || rebuiltKeys.has(k)) continue
      if (inactive.has(k) || readsOf(d).some((dep) => deactivated.has(dep))) {
        deactivated.add(k)
        reactivated.push(k)
        ops.push({ kind: 'alterMaterializedView', target: nameOf(d), changes: [{ kind: 'active' }] })
      }
    }
  }

  // -- managed tables: creates, renames and alters before the MVs, drops after, then the MVs they deactivate re-activated
  const tables = planTables(from, to, {
    ...resolve, version: parseVersion(version), live: mode === 'live', ...(options.renames === undefined ? {} : { renames: options.renames }),
    handledMvs: new Set([...added, ...removed, ...rebuiltKeys]),
    ...(options.tableRebuild === undefined ? {} : { tableRebuild: options.tableRebuild }),
    ...(options.allowPartitionDrop === undefined ? {} : { allowPartitionDrop: options.allowPartitionDrop }),
    ...(options.tempSuffix === undefined ? {} : { tempSuffix: options.tempSuffix }),
  })
  const views = planViews(from, to, {
    ...resolve, version: parseVersion(version), live: mode === 'live',
    handledMvs: new Set([...added, ...removed, ...rebuiltKeys]),
  })
  for (const p of [...tables.problems, ...views.problems]) problem(p)
  const reactivatedSet = new Set(reactivated)
  const tableReactivations: Op[] = []
  if (canSwap) {
    for (const d of orderOrSorted([...tables.reactivate, ...views.reactivate.filter((m) => !tables.reactivate.includes(m))], resolve)) {
      if (reactivatedSet.has(key(d))) continue
      reactivated.push(key(d))
      tableReactivations.push({ kind: 'alterMaterializedView', target: nameOf(d), changes: [{ kind: 'active' }] })
    }
  }
  const allOps = [...tables.before, ...views.early, ...ops, ...views.late, ...views.drops, ...tables.after, ...tableReactivations]
  const impacts = [...tables.impacts, ...views.impacts]

  return freeze({
    ops: allOps,
    problems,
    changes,
    rebuilt: [...rebuiltKeys].sort(cmp),
    reactivated,
    ...(impacts.length === 0 ? {} : { impacts }),
    ...(tables.rebuilds.length === 0 ? {} : { tableRebuilds: tables.rebuilds }),
  })
}
