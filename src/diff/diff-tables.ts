import { isDeepStrictEqual } from 'node:util'
import {
  atLeast,
  QualifiedName,
  TableDefinition,
  type MvDefinition,
  type SchemaState,
  type TableAlterChange,
  type Version,
} from '../model/index.js'
import type { Op } from '../ops/op.js'
import { isAlterableTableProperty, tablePropertySpec } from '../schema/property-catalog.js'
import { canonicalColumn, defaultDuplicateKey, tableChanges, type TableAttributeChange } from './canonical-table.js'
import { dependencyKey, mvKey, type ResolveOptions } from './dependency-order.js'
import { deployedTable } from './snapshot.js'

/** A table change StarRocks answers by deactivating the MVs that read the table. */
export interface TableImpact {
  /** The table (qualified key). */
  readonly table: string
  /** What happens to it: `drops column note`, `changes the type of column amount`, `is renamed to x`, `is dropped`. */
  readonly change: string
  /** The MVs it deactivates (qualified keys). */
  readonly mvs: readonly string[]
  /** What the plan does about it, in one sentence. */
  readonly message: string
}

/** A table problem, in the shape of the MV problems of {@link diff} (`mv` holds the table's key). */
export interface TableProblem {
  readonly code: 'IMMUTABLE_CHANGE' | 'UNRESETTABLE_PROPERTY' | 'MISSING_DEPENDENCY' | 'RENAME_CONFLICT'
  readonly mv: string
  readonly attribute: string
  readonly from?: string
  readonly to?: string
  readonly message: string
}

/** The table part of a plan. */
export interface TablePlan {
  /** Table creates, renames and alters: run before the MV ops (an MV may read a new table or column). */
  readonly before: readonly Op[]
  /** Table drops: run after the MV ops (the MVs that read them are dropped first). */
  readonly after: readonly Op[]
  /** MVs to re-activate after everything else, in the order given. */
  readonly reactivate: readonly MvDefinition[]
  readonly impacts: readonly TableImpact[]
  readonly problems: readonly TableProblem[]
  /** Every table difference, by table key. */
  readonly changes: readonly { readonly table: string; readonly change: TableAttributeChange }[]
}

/** Options of {@link planTables}. */
export interface PlanTablesOptions extends ResolveOptions {
  readonly version: Version
  /** `live`: `from` was read from a server (what servers add is not a change). */
  readonly live: boolean
  /** Rename hints: new table key → old key. */
  readonly renames?: Readonly<Record<string, string>>
  /** Keys of the MVs the MV plan creates, drops or rebuilds: they need no re-activation. */
  readonly handledMvs: ReadonlySet<string>
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v))

const REBUILD_WAY_OUT =
  'StarRocks cannot ALTER this. Ways out: create the table under a new name with the new definition, copy the data (INSERT INTO new SELECT ... FROM old), ' +
  'then ALTER TABLE old SWAP WITH new and drop the copy (op.execute in a migration of your own), or drop and re-create the table (its data is lost).'

/** Word-boundary test for a column name in a query (case-insensitive; a back-quoted name matches too). */
const mentions = (query: string, column: string): boolean =>
  new RegExp(`(^|[^A-Za-z0-9_$])\`?${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`?($|[^A-Za-z0-9_$])`, 'i').test(query)

/**
 * Plan the managed tables of `from` → `to`: CREATE / DROP TABLE, RENAME (from hints only),
 * ALTER TABLE ADD / DROP / MODIFY COLUMN (one statement, one schema-change job), SET for alterable
 * properties, COMMENT, ORDER BY and DISTRIBUTED BY (3.2+). Key-model, partition-scheme, column-order,
 * aggregate-type and index changes and create-only properties are `IMMUTABLE_CHANGE` problems with
 * the ways out. A dropped or retyped column, a rename or a drop of a table that MVs read is listed
 * with those MVs, which the plan re-activates (`ALTER MATERIALIZED VIEW ... ACTIVE`) afterwards;
 * an MV whose query still names a dropped column, or that reads a dropped table, is a
 * `MISSING_DEPENDENCY` problem.
 */
export const planTables = (from: SchemaState, to: SchemaState, options: PlanTablesOptions): TablePlan => {
  const resolve: ResolveOptions = options.defaultSchema === undefined ? {} : { defaultSchema: options.defaultSchema }
  const key = (d: Pick<TableDefinition, 'name' | 'schema'>): string => mvKey(d, resolve)
  const fromByKey = new Map((from.tables ?? []).map((t) => [key(t), t] as const))
  const toByKey = new Map((to.tables ?? []).map((t) => [key(t), t] as const))
  const problems: TableProblem[] = []
  const impacts: TableImpact[] = []
  const changes: { table: string; change: TableAttributeChange }[] = []
  const before: Op[] = []
  const after: Op[] = []
  const deactivated = new Set<string>()
  const live = { live: options.live }

  const readers = (tableKey: string): MvDefinition[] =>
    to.mvs.filter((m) => m.dependencies.some((d) => dependencyKey(m, d, resolve) === tableKey))
  const impact = (table: string, change: string, mvs: readonly MvDefinition[]): void => {
    const hit = mvs.map((m) => mvKey(m, resolve)).filter((k) => !options.handledMvs.has(k)).sort(cmp)
    if (hit.length === 0) return
    for (const k of hit) deactivated.add(k)
    impacts.push({
      table, change, mvs: hit,
      message: `${table} ${change}: StarRocks deactivates ${hit.join(', ')}; the plan re-activates ${hit.length === 1 ? 'it' : 'them'} afterwards (ALTER MATERIALIZED VIEW ... ACTIVE).`,
    })
  }

  // -- renames, from hints only
  const renames = new Map<string, string>()
  const hints: [string, string][] = []
  for (const [k, t] of toByKey) if (t.renamedFrom !== undefined) hints.push([k, t.renamedFrom.includes('.') ? t.renamedFrom : key({ name: t.renamedFrom, ...(t.schema === undefined ? {} : { schema: t.schema }) })])
  for (const [n, o] of Object.entries(options.renames ?? {})) if (toByKey.has(n) && fromByKey.has(o)) hints.push([n, o])
  for (const [n, o] of hints) {
    if (!fromByKey.has(o) || fromByKey.has(n)) continue
    if (toByKey.has(o)) {
      problems.push({ code: 'RENAME_CONFLICT', mv: n, attribute: 'name', from: o, to: n, message: `${n} is marked as renamed from ${o}, but ${o} is still in the desired schema. Remove ${o} from the schema, or drop the rename hint.` })
      continue
    }
    renames.set(n, o)
  }
  const renamedOld = new Set(renames.values())

  for (const [k, t] of [...toByKey].sort(([a], [b]) => cmp(a, b))) {
    const oldKey = renames.get(k) ?? k
    const previous = fromByKey.get(oldKey)
    const target = QualifiedName.create(t.name, t.schema)
    if (previous === undefined) {
      before.push({ kind: 'createTable', definition: deployedTable(t), ifNotExists: false })
      continue
    }
    const alters: TableAlterChange[] = []
    const problem = (attribute: string, fromV: unknown, toV: unknown, message: string, code: TableProblem['code'] = 'IMMUTABLE_CHANGE'): void => {
      problems.push({ code, mv: k, attribute, from: show(fromV), to: show(toV), message })
    }
    for (const change of tableChanges(previous, t, live)) {
      changes.push({ table: k, change })
      switch (change.attribute) {
        case 'key':
          problem('key', change.from, change.to, `${k}: the key model or key columns changed from ${show(change.from)} to ${show(change.to)}. ${REBUILD_WAY_OUT}`)
          break
        case 'partitionBy':
          problem('partitionBy', change.from, change.to, `${k}: the partitioning changed from ${show(change.from)} to ${show(change.to)}. ${REBUILD_WAY_OUT}`)
          break
        case 'indexes':
          problem('indexes', change.from, change.to, `${k}: the indexes changed from ${show(change.from)} to ${show(change.to)}. This plan does not alter indexes: run CREATE INDEX / DROP INDEX with op.execute in a migration of your own.`)
          break
        case 'comment':
          if (!atLeast(options.version, '3.1')) problem('comment', change.from, change.to, `${k}: the comment changed, and ALTER TABLE ... COMMENT needs StarRocks 3.1. ${REBUILD_WAY_OUT}`)
          else alters.push({ kind: 'comment', comment: t.comment ?? '', previous: previous.comment ?? '' })
          break
        case 'orderBy':
          if (!atLeast(options.version, '3.2')) problem('orderBy', change.from, change.to, `${k}: ORDER BY changed, and ALTER TABLE ... ORDER BY needs StarRocks 3.2. ${REBUILD_WAY_OUT}`)
          else alters.push({ kind: 'orderBy', columns: t.orderBy ?? (t.key ?? defaultDuplicateKey(t.columns)).columns, previous: previous.orderBy ?? (previous.key ?? defaultDuplicateKey(previous.columns)).columns })
          break
        case 'distribution':
          if (!atLeast(options.version, '3.2') || t.distribution === undefined) problem('distribution', change.from, change.to, `${k}: DISTRIBUTED BY changed${t.distribution === undefined ? ' to the default' : ''}, and ${t.distribution === undefined ? 'the plan cannot ALTER a table back to an unstated distribution: state it' : 'ALTER TABLE ... DISTRIBUTED BY needs StarRocks 3.2'}. ${REBUILD_WAY_OUT}`)
          else alters.push({ kind: 'distribution', distribution: t.distribution, ...(previous.distribution === undefined ? {} : { previous: previous.distribution }) })
          break
        case 'properties': {
          const a = change.from as Record<string, string>
          const b = change.to as Record<string, string>
          for (const p of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(cmp)) {
            if (a[p] === b[p]) continue
            if (!isAlterableTableProperty(p)) {
              problem(`property ${p}`, a[p], b[p], `${k}: property "${p}" changed from ${show(a[p])} to ${show(b[p])}; it can only be set when the table is created. ${REBUILD_WAY_OUT}`)
            } else if (b[p] !== undefined) {
              alters.push({ kind: 'setProperty', key: p, value: b[p], previous: a[p] ?? null })
            } else {
              const dflt = tablePropertySpec(p)?.default
              if (dflt === undefined) {
                problem(`property ${p}`, a[p], undefined, `${k}: property "${p}" = "${a[p] ?? ''}" was removed, but StarRocks cannot unset a property and its default is not known. Set it explicitly to the value you want.`, 'UNRESETTABLE_PROPERTY')
              } else {
                alters.push({ kind: 'setProperty', key: p, value: dflt, previous: a[p] ?? null })
              }
            }
          }
          break
        }
        case 'columns':
          alters.push(...columnChanges(k, previous, t, problem, (c, why) => impact(k, `${why} ${c}`, readers(k))))
          break
      }
    }
    // Dropped columns still named by an MV's query make ACTIVE fail: say so.
    for (const c of alters) {
      if (c.kind !== 'dropColumn') continue
      for (const m of readers(k)) {
        if (options.handledMvs.has(mvKey(m, resolve)) || !mentions(m.query, c.name)) continue
        problems.push({
          code: 'MISSING_DEPENDENCY', mv: mvKey(m, resolve), attribute: 'dependencies', from: `${k}.${c.name}`,
          message: `${mvKey(m, resolve)} reads column ${c.name} of ${k}, which this plan drops: StarRocks deactivates the MV and cannot re-activate it. Change the MV's query not to read ${c.name} (the MV is then rebuilt), or keep the column.`,
        })
      }
    }
    if (oldKey !== k) {
      alters.push({ kind: 'rename', newName: t.name })
      // An MV that still reads the old name cannot be re-activated: its query names a table that is gone.
      for (const m of readers(oldKey)) {
        if (options.handledMvs.has(mvKey(m, resolve))) continue
        problems.push({
          code: 'MISSING_DEPENDENCY', mv: mvKey(m, resolve), attribute: 'dependencies', from: oldKey, to: k,
          message: `${mvKey(m, resolve)} reads ${oldKey}, which this plan renames to ${k}: StarRocks deactivates the MV and cannot re-activate it. Change its query to read ${k} (the MV is then rebuilt).`,
        })
      }
      const moved = from.mvs.filter((m) => m.dependencies.some((d) => dependencyKey(m, d, resolve) === oldKey)).map((m) => mvKey(m, resolve)).sort(cmp)
      if (moved.length > 0) {
        impacts.push({ table: oldKey, change: `is renamed to ${k}`, mvs: moved, message: `${oldKey} is renamed to ${k}: StarRocks deactivates ${moved.join(', ')}, which the plan rebuilds to read ${k}.` })
      }
    }
    if (alters.length > 0) before.push({ kind: 'alterTable', target: oldKey !== k ? QualifiedName.create(previous.name, previous.schema) : target, changes: alters })
  }

  for (const [k, t] of [...fromByKey].sort(([a], [b]) => cmp(a, b))) {
    if (toByKey.has(k) || renamedOld.has(k)) continue
    after.push({ kind: 'dropTable', target: QualifiedName.create(t.name, t.schema), ifExists: false, force: false, definition: t })
    for (const m of readers(k)) {
      if (options.handledMvs.has(mvKey(m, resolve))) continue
      problems.push({
        code: 'MISSING_DEPENDENCY', mv: mvKey(m, resolve), attribute: 'dependencies', from: k,
        message: `${mvKey(m, resolve)} reads ${k}, which this plan drops. Keep ${k} in the schema, or change ${mvKey(m, resolve)} not to read it.`,
      })
    }
  }

  const reactivate = to.mvs.filter((m) => deactivated.has(mvKey(m, resolve)))
  if (reactivate.length > 0 && !atLeast(options.version, '3.1')) {
    for (const m of reactivate) {
      problems.push({
        code: 'IMMUTABLE_CHANGE', mv: mvKey(m, resolve), attribute: 'active',
        message: `${mvKey(m, resolve)} is deactivated by a change to a table it reads, and StarRocks ${options.version.text} has no ALTER MATERIALIZED VIEW ... ACTIVE (3.1+). Rebuild the MV in the same plan (--rebuild drop-create), or upgrade.`,
      })
    }
  }
  return { before, after, reactivate, impacts, problems, changes }
}

/** ADD / DROP / MODIFY COLUMN for one table; immutable column changes reported through `problem`. */
const columnChanges = (
  k: string,
  previous: TableDefinition,
  next: TableDefinition,
  problem: (attribute: string, from: unknown, to: unknown, message: string) => void,
  hit: (column: string, why: string) => void,
): TableAlterChange[] => {
  const out: TableAlterChange[] = []
  const keyOld = previous.key ?? defaultDuplicateKey(previous.columns)
  const keyNew = next.key ?? defaultDuplicateKey(next.columns)
  const isKey = (key: typeof keyOld, name: string): boolean => key.columns.some((c) => c.toLowerCase() === name.toLowerCase())
  const oldCols = new Map(previous.columns.map((c, i) => [c.name.toLowerCase(), { c, i }] as const))
  const newCols = new Map(next.columns.map((c, i) => [c.name.toLowerCase(), { c, i }] as const))
  // Columns kept on both sides must keep their relative order.
  const keptOld = previous.columns.filter((c) => newCols.has(c.name.toLowerCase())).map((c) => c.name.toLowerCase())
  const keptNew = next.columns.filter((c) => oldCols.has(c.name.toLowerCase())).map((c) => c.name.toLowerCase())
  if (!isDeepStrictEqual(keptOld, keptNew)) {
    problem('column order', keptOld.join(', '), keptNew.join(', '), `${k}: the order of existing columns changed from (${keptOld.join(', ')}) to (${keptNew.join(', ')}). Keep the existing order and add new columns where you like. ${REBUILD_WAY_OUT}`)
  }
  for (const c of previous.columns) {
    if (newCols.has(c.name.toLowerCase())) continue
    if (isKey(keyOld, c.name)) {
      problem(`column ${c.name}`, c, undefined, `${k}: key column ${c.name} is dropped. ${REBUILD_WAY_OUT}`)
      continue
    }
    const i = oldCols.get(c.name.toLowerCase())?.i ?? 0
    const prev = previous.columns[i - 1]
    out.push({ kind: 'dropColumn', name: c.name, previous: prev === undefined ? { column: c } : { column: c, after: prev.name } })
    hit(c.name, 'drops column')
  }
  next.columns.forEach((c, i) => {
    const old = oldCols.get(c.name.toLowerCase())
    if (old === undefined) {
      if (isKey(keyNew, c.name) && !isKey(keyOld, c.name)) {
        problem(`column ${c.name}`, undefined, c, `${k}: key column ${c.name} is added. ${REBUILD_WAY_OUT}`)
        return
      }
      const prev = next.columns[i - 1]
      out.push({ kind: 'addColumn', column: c, ...(prev === undefined ? {} : { after: prev.name }) })
      return
    }
    if (isDeepStrictEqual(canonicalColumn(old.c, keyOld), canonicalColumn(c, keyNew))) return
    if ((old.c.aggregate ?? null) !== (c.aggregate ?? null) || (old.c.autoIncrement === true) !== (c.autoIncrement === true)) {
      problem(`column ${c.name}`, old.c, c, `${k}: column ${c.name} changes its aggregate type or AUTO_INCREMENT, which StarRocks cannot ALTER. ${REBUILD_WAY_OUT}`)
      return
    }
    out.push({ kind: 'modifyColumn', column: c, previous: old.c })
    if (old.c.type !== c.type) hit(c.name, 'changes the type of column')
  })
  return out
}

/** The MVs an ALTER or DROP of `table` deactivates, among `mvs` (for callers planning by hand). */
export const mvsReading = (table: QualifiedName, mvs: readonly MvDefinition[], options: ResolveOptions = {}): MvDefinition[] => {
  const k = mvKey(table, options)
  return mvs.filter((m) => m.dependencies.some((d) => dependencyKey(m, d, options) === k))
}
