import { isDeepStrictEqual } from 'node:util'
import {
  atLeast,
  QualifiedName,
  TableDefinition,
  type MvDefinition,
  type SchemaState,
  type TableAlterChange,
  type TableRebuildStrategy,
  type Version,
} from '../model/index.js'
import type { Op } from '../ops/op.js'
import { isAlterableTableProperty, tablePropertySpec } from '../schema/property-catalog.js'
import { canonicalColumn, defaultDuplicateKey, indexListChange, partitionListChange, tableChanges, type TableAttributeChange } from './canonical-table.js'
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
  readonly code: 'IMMUTABLE_CHANGE' | 'UNRESETTABLE_PROPERTY' | 'MISSING_DEPENDENCY' | 'RENAME_CONFLICT' | 'PARTITION_DROP' | 'TEMP_NAME_TAKEN'
  readonly mv: string
  readonly attribute: string
  readonly from?: string
  readonly to?: string
  readonly message: string
}

/** A table the plan rebuilds by copying its rows (CREATE, INSERT INTO ... SELECT, SWAP WITH, DROP). */
export interface TableRebuild {
  /** The table (qualified key). */
  readonly table: string
  /** The temporary table that takes the new definition and the rows, then the name (qualified key). */
  readonly temp: string
  /** The columns copied (those both definitions have). */
  readonly copied: readonly string[]
  /** Columns of the old table that the new one does not have: their data is not copied. */
  readonly dropped: readonly string[]
  /** New columns: they take their defaults. */
  readonly added: readonly string[]
  /** What the rebuild costs and risks, in words (a plan warning). */
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
  /** The tables rebuilt by copy. */
  readonly rebuilds: readonly TableRebuild[]
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
  /** For changes StarRocks cannot ALTER: `'error'` (default) reports a problem; `'copy'` rebuilds the table by copy. A table's own `rebuild` intent overrides it. */
  readonly tableRebuild?: 'error' | TableRebuildStrategy
  /** Acknowledge every DROP PARTITION of the plan (and the data lost with it); a table's own `allowPartitionDrop` does it for one table. */
  readonly allowPartitionDrop?: boolean
  /** Suffix of the temporary table of a copy rebuild (default `__srmv_new`). */
  readonly tempSuffix?: string
}

/** The default suffix of the temporary table a copy rebuild creates. */
export const TABLE_TEMP_SUFFIX = '__srmv_new'

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v))

const REBUILD_WAY_OUT =
  "StarRocks cannot ALTER this. Ways out: rebuild the table by copy — mark it with rebuild: 'copy' in its table() options, or plan with --table-rebuild copy " +
  '(a new table with the new definition, INSERT INTO new SELECT ... FROM old, ALTER TABLE old SWAP WITH new, then the copy dropped), ' +
  'or drop and re-create the table (its data is lost).'

/** Word-boundary test for a column name in a query (case-insensitive; a back-quoted name matches too). */
const mentions = (query: string, column: string): boolean =>
  new RegExp(`(^|[^A-Za-z0-9_$])\`?${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`?($|[^A-Za-z0-9_$])`, 'i').test(query)

/**
 * Plan the managed tables of `from` → `to`: CREATE / DROP TABLE, RENAME (from hints only),
 * ALTER TABLE ADD / DROP / MODIFY COLUMN (one statement, one schema-change job), ADD / DROP INDEX
 * (one job each), ADD / DROP PARTITION of RANGE and LIST tables (a dropped partition loses its data:
 * a `PARTITION_DROP` problem unless the table says `allowPartitionDrop` or the options do), SET for
 * alterable properties, COMMENT, ORDER BY and DISTRIBUTED BY (3.2+). Key-model, partition-scheme,
 * column-order and aggregate-type changes and create-only properties are `IMMUTABLE_CHANGE` problems
 * with the ways out, unless the table (`rebuild: 'copy'`) or the options (`tableRebuild: 'copy'`) ask
 * for a rebuild by copy: CREATE TABLE under a temporary name, INSERT INTO ... SELECT the columns both
 * definitions have, SWAP WITH, DROP the old table (listed in `rebuilds` with what it costs). A dropped
 * or retyped column, a rebuild, a rename or a drop of a table that MVs read is listed with those MVs,
 * which the plan re-activates (`ALTER MATERIALIZED VIEW ... ACTIVE`) afterwards; an MV whose query
 * still names a dropped column, or that reads a dropped table, is a `MISSING_DEPENDENCY` problem.
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
  const rebuilds: TableRebuild[] = []
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
    const local: TableProblem[] = []
    const impactsBefore = impacts.length
    const problem = (attribute: string, fromV: unknown, toV: unknown, message: string, code: TableProblem['code'] = 'IMMUTABLE_CHANGE'): void => {
      local.push({ code, mv: k, attribute, from: show(fromV), to: show(toV), message })
    }
    for (const change of tableChanges(previous, t, live)) {
      changes.push({ table: k, change })
      switch (change.attribute) {
        case 'key':
          problem('key', change.from, change.to, `${k}: the key model or key columns changed from ${show(change.from)} to ${show(change.to)}. ${REBUILD_WAY_OUT}`)
          break
        case 'partitionBy': {
          const list = partitionListChange(previous, t)
          const count = previous.partitionBy !== undefined && previous.partitionBy.kind !== 'expression' ? previous.partitionBy.partitions.length : 0
          if (list === undefined) {
            problem('partitionBy', change.from, change.to, `${k}: the partitioning changed from ${show(change.from)} to ${show(change.to)}. ${REBUILD_WAY_OUT}`)
          } else if (count > 0 && list.dropped.length === count) {
            problem('partitionBy', change.from, change.to, `${k}: every partition is dropped or changed, and StarRocks keeps at least one partition of a table. ${REBUILD_WAY_OUT}`)
          } else {
            const acknowledged = t.allowPartitionDrop === true || options.allowPartitionDrop === true
            for (const e of list.dropped) {
              alters.push({ kind: 'dropPartition', name: e.partition.name, previous: e })
              const changed = list.added.some((a) => a.partition.name.toLowerCase() === e.partition.name.toLowerCase())
              if (!acknowledged) {
                problem(`partition ${e.partition.name}`, e.partition, undefined,
                  `${k}: partition ${e.partition.name} ${changed ? 'changes its bounds or values, so it is dropped and added again' : 'is dropped'}; its data is lost with it. ` +
                  "Acknowledge it with allowPartitionDrop: true in the table's options (or plan with --allow-partition-drop), keep the partition, or rebuild the table by copy (rebuild: 'copy') to keep the data.",
                  'PARTITION_DROP')
              }
            }
            for (const e of list.added) alters.push({ kind: 'addPartition', entry: e })
          }
          break
        }
        case 'indexes': {
          const list = indexListChange(previous, t)
          for (const ix of list.dropped) alters.push({ kind: 'dropIndex', name: ix.name, previous: ix })
          for (const ix of list.added) {
            const since = ix.using === 'NGRAMBF' ? '3.2' : ix.using === 'GIN' ? '3.1' : undefined
            if (since !== undefined && !atLeast(options.version, since)) {
              problem(`index ${ix.name}`, undefined, ix, `${k}: index ${ix.name} uses ${ix.using}, which needs StarRocks ${since} (the target is ${options.version.text}). Use a BITMAP index, or upgrade.`)
              continue
            }
            alters.push({ kind: 'addIndex', index: ix })
          }
          break
        }
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
        local.push({
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
    const strategy = t.rebuild ?? options.tableRebuild ?? 'error'
    const rebuildable = local.filter((p) => p.code === 'IMMUTABLE_CHANGE' || p.code === 'UNRESETTABLE_PROPERTY')
    if (strategy === 'copy' && rebuildable.length > 0 && oldKey === k) {
      // Rebuild by copy: what the ALTERs would have done is done by the new definition instead.
      impacts.length = impactsBefore
      const rebuild = copyRebuild(k, previous, t, key, options.tempSuffix ?? TABLE_TEMP_SUFFIX)
      const taken = [...fromByKey.keys(), ...toByKey.keys(), ...[...from.mvs, ...to.mvs, ...(from.views ?? []), ...(to.views ?? [])].map((d) => key(d))].includes(rebuild.info.temp)
      if (taken) {
        problems.push({ code: 'TEMP_NAME_TAKEN', mv: k, attribute: 'name', to: rebuild.info.temp, message: `${k} would be rebuilt through a temporary table named ${rebuild.info.temp}, but that name is taken. Drop or rename ${rebuild.info.temp}, or choose another suffix (tempSuffix).` })
        continue
      }
      // The ALTERs' problems are gone with them; the data-loss acknowledgement still counts.
      problems.push(...local.filter((p) => p.code === 'PARTITION_DROP'), ...rebuild.problems)
      for (const c of rebuild.info.dropped) {
        for (const m of readers(k)) {
          if (options.handledMvs.has(mvKey(m, resolve)) || !mentions(m.query, c)) continue
          problems.push({
            code: 'MISSING_DEPENDENCY', mv: mvKey(m, resolve), attribute: 'dependencies', from: `${k}.${c}`,
            message: `${mvKey(m, resolve)} reads column ${c} of ${k}, which the rebuild of ${k} does not keep: StarRocks deactivates the MV and cannot re-activate it. Change the MV's query not to read ${c} (the MV is then rebuilt), or keep the column.`,
          })
        }
      }
      impact(k, `is rebuilt by copy and swapped in (SWAP WITH ${rebuild.info.temp})`, readers(k))
      before.push(...rebuild.ops)
      rebuilds.push(rebuild.info)
      continue
    }
    problems.push(...local)
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
  return { before, after, reactivate, impacts, problems, rebuilds, changes }
}

/**
 * The ops of a rebuild by copy: CREATE TABLE under a temporary name with the new definition,
 * INSERT INTO it the columns both definitions have, SWAP WITH the old table, DROP the old table
 * (now under the temporary name). A new NOT NULL column without a default cannot be filled: a problem.
 */
const copyRebuild = (
  k: string,
  previous: TableDefinition,
  next: TableDefinition,
  key: (d: Pick<TableDefinition, 'name' | 'schema'>) => string,
  suffix: string,
): { ops: Op[]; info: TableRebuild; problems: TableProblem[] } => {
  const tempName = `${next.name}${suffix}`
  const target = QualifiedName.create(next.name, next.schema)
  const temp = QualifiedName.create(tempName, next.schema)
  const has = (d: TableDefinition, name: string): boolean => TableDefinition.column(d, name) !== undefined
  const copied = next.columns.filter((c) => has(previous, c.name)).map((c) => c.name)
  const dropped = previous.columns.filter((c) => !has(next, c.name)).map((c) => c.name)
  const addedCols = next.columns.filter((c) => !has(previous, c.name))
  const problems: TableProblem[] = addedCols
    .filter((c) => !c.nullable && c.default === undefined && c.autoIncrement !== true)
    .map((c) => ({
      code: 'IMMUTABLE_CHANGE' as const, mv: k, attribute: `column ${c.name}`, to: show(c),
      message: `${k}: the rebuild by copy cannot fill the new column ${c.name}: it is NOT NULL and has no default. Give it a default, or make it nullable.`,
    }))
  const tempKey = key({ name: tempName, ...(next.schema === undefined ? {} : { schema: next.schema }) })
  const message =
    `${k} is rebuilt by copy: a new table ${tempKey} is created with the new definition, the rows are copied into it (INSERT INTO ... SELECT: ` +
    `this takes time and needs room for both copies), then it is swapped in (SWAP WITH) and the old table dropped. ` +
    `Rows written to ${k} during the copy are lost: pause loads into it until the migration ends.` +
    (dropped.length > 0 ? ` Column${dropped.length === 1 ? '' : 's'} ${dropped.join(', ')} ${dropped.length === 1 ? 'is' : 'are'} not copied: ${dropped.length === 1 ? 'its' : 'their'} data is lost.` : '') +
    (addedCols.length > 0 ? ` New column${addedCols.length === 1 ? '' : 's'} ${addedCols.map((c) => c.name).join(', ')} take${addedCols.length === 1 ? 's' : ''} ${addedCols.length === 1 ? 'its' : 'their'} default.` : '')
  const ops: Op[] = [
    { kind: 'createTable', definition: deployedTable(TableDefinition.with(next, { name: tempName })), ifNotExists: false },
    { kind: 'copyRows', from: target, to: temp, columns: copied },
    { kind: 'alterTable', target, changes: [{ kind: 'swap', other: tempName }] },
    { kind: 'dropTable', target: temp, ifExists: false, force: false, definition: deployedTable(TableDefinition.with(previous, { name: tempName, schema: next.schema })) },
  ]
  return { ops, info: { table: k, temp: tempKey, copied, dropped, added: addedCols.map((c) => c.name), message }, problems }
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
