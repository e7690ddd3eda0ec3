import picocolors from 'picocolors'
import { match } from 'ts-pattern'
import { QualifiedName, type Version } from '../model/index.js'
import type { AlterChange, Op, TableAlterChange } from '../ops/op.js'
import { toStatements } from '../ops/to-statements.js'
import type { Change } from './change.js'
import { describeChange } from './describe-change.js'
import type { DiffResult, Problem } from './diff.js'

/** Options of {@link formatPlan} and {@link planToJSON}. */
export interface FormatPlanOptions {
  /** The StarRocks version the SQL is rendered for (default 3.5). */
  readonly version?: string | Version
  /** ANSI colours (default false). */
  readonly color?: boolean
}

const alterTitle = (c: AlterChange): string =>
  match(c)
    .returnType<string>()
    .with({ kind: 'refresh' }, () => 'change refresh')
    .with({ kind: 'set' }, (s) => `set ${Object.entries(s.properties).map(([k, v]) => `${k} = "${v}"`).join(', ')}`)
    .with({ kind: 'rename' }, (r) => `rename to ${r.newName}`)
    .with({ kind: 'active' }, () => 're-activate')
    .with({ kind: 'inactive' }, () => 'deactivate')
    .with({ kind: 'swap' }, (s) => `swap with ${s.other}`)
    .with({ kind: 'addColumn' }, (x) => `add column ${x.name}`)
    .with({ kind: 'dropColumn' }, (x) => `drop column ${x.name}`)
    .with({ kind: 'orderBy' }, (x) => `order by ${x.columns.join(', ')}`)
    .exhaustive()

const tableAlterTitle = (changes: readonly TableAlterChange[]): string =>
  changes
    .map((ch) =>
      match(ch)
        .returnType<string>()
        .with({ kind: 'addColumn' }, (x) => `add column ${x.column.name}`)
        .with({ kind: 'dropColumn' }, (x) => `drop column ${x.name}`)
        .with({ kind: 'modifyColumn' }, (x) => `modify column ${x.column.name}`)
        .with({ kind: 'setProperty' }, (x) => `set ${x.key} = "${x.value}"`)
        .with({ kind: 'comment' }, () => 'change comment')
        .with({ kind: 'rename' }, (x) => `rename to ${x.newName}`)
        .with({ kind: 'orderBy' }, (x) => `order by ${x.columns.join(', ')}`)
        .with({ kind: 'distribution' }, () => 'change distribution')
        .with({ kind: 'addPartition' }, (x) => `add partition ${x.entry.partition.name}`)
        .with({ kind: 'dropPartition' }, (x) => `drop partition ${x.name}`)
        .with({ kind: 'addIndex' }, (x) => `add index ${x.index.name}`)
        .with({ kind: 'dropIndex' }, (x) => `drop index ${x.name}`)
        .with({ kind: 'swap' }, (x) => `swap with ${x.other}`)
        .exhaustive(),
    )
    .join(', ')

/** A one-line title of an op: what it does to which MV. */
export const opTitle = (o: Op): string =>
  match(o)
    .returnType<string>()
    .with({ kind: 'createMaterializedView' }, (c) => `create ${QualifiedName.key(c.definition)}`)
    .with({ kind: 'dropMaterializedView' }, (d) => `drop ${QualifiedName.key(d.target)}`)
    .with({ kind: 'alterMaterializedView' }, (a) => `alter ${QualifiedName.key(a.target)}: ${a.changes.map(alterTitle).join(', then ')}`)
    .with({ kind: 'refreshMaterializedView' }, (r) => `refresh ${QualifiedName.key(r.target)}${r.wait ? ' and wait for it' : ''}`)
    .with({ kind: 'cancelRefreshMaterializedView' }, (c) => `cancel the refresh of ${QualifiedName.key(c.target)}`)
    .with({ kind: 'execute' }, () => 'execute SQL')
    .with({ kind: 'createTable' }, (c) => `create table ${QualifiedName.key(c.definition)}`)
    .with({ kind: 'dropTable' }, (d) => `drop table ${QualifiedName.key(d.target)}`)
    .with({ kind: 'alterTable' }, (a) => `alter table ${QualifiedName.key(a.target)}: ${tableAlterTitle(a.changes)}`)
    .with({ kind: 'copyRows' }, (c) => `copy the rows of ${QualifiedName.key(c.from)} into ${QualifiedName.key(c.to)}`)
    .with({ kind: 'createView' }, (c) => `create view ${QualifiedName.key(c.definition)}`)
    .with({ kind: 'dropView' }, (d) => `drop view ${QualifiedName.key(d.target)}`)
    .with({ kind: 'alterView' }, (a) => `alter view ${QualifiedName.key(a.definition)}: new query`)
    .exhaustive()

/** Warnings for the destructive steps of a plan: drops, rebuilds, and the MVs they touch. */
export const planWarnings = (result: Pick<DiffResult, 'changes' | 'rebuilt' | 'reactivated' | 'ops'> & Pick<Partial<DiffResult>, 'impacts' | 'tableRebuilds'>): string[] => {
  const warnings: string[] = []
  // The temporary table of a rebuild by copy is dropped by the rebuild (its key may carry the default database).
  const isRebuildTemp = (q: QualifiedName): boolean => (result.tableRebuilds ?? []).some((r) => r.temp === QualifiedName.key(q) || r.temp.endsWith(`.${QualifiedName.key(q)}`))
  for (const r of result.tableRebuilds ?? []) warnings.push(r.message)
  for (const o of result.ops) {
    if (o.kind === 'dropTable' && !isRebuildTemp(o.target)) warnings.push(`table ${QualifiedName.key(o.target)} is dropped, with its data.`)
    if (o.kind === 'alterTable') {
      for (const c of o.changes) if (c.kind === 'dropPartition') warnings.push(`partition ${c.name} of table ${QualifiedName.key(o.target)} is dropped, with its data.`)
    }
  }
  for (const i of result.impacts ?? []) warnings.push(i.message)
  const removed = result.changes.filter((c): c is Extract<Change, { kind: 'removed' }> => c.kind === 'removed')
  for (const c of removed) warnings.push(`${c.mv} is dropped, with its data.`)
  const swapped = new Set(
    result.ops.flatMap((o) => (o.kind === 'alterMaterializedView' ? o.changes.filter((c) => c.kind === 'swap').map(() => QualifiedName.key(o.target)) : [])),
  )
  for (const k of result.rebuilt) {
    warnings.push(
      swapped.has(k)
        ? `${k} is rebuilt by SWAP: a new copy is built and fully refreshed first (this can take long and needs space for both), then swapped in and the old one dropped.`
        : `${k} is dropped and created again: it is unavailable, then empty until its refresh finishes.`,
    )
  }
  const inactive = new Set(result.changes.filter((c) => c.kind === 'inactive').map((c) => c.mv))
  for (const k of result.reactivated.filter((r) => inactive.has(r))) warnings.push(`${k} is inactive on the server; the plan re-activates it (ALTER ... ACTIVE), which fails if its base tables no longer fit its query.`)
  const readers = result.reactivated.filter((r) => !inactive.has(r))
  if (readers.length > 0) {
    const one = readers.length === 1
    warnings.push(
      `${readers.join(', ')} read${one ? 's' : ''} a rebuilt MV: StarRocks deactivates ${one ? 'it' : 'them'} on DROP and SWAP; the plan re-activates ${one ? 'it' : 'them'} (ALTER ... ACTIVE) at the end.`,
    )
  }
  return warnings
}

const isDestructive = (o: Op): boolean =>
  o.kind === 'dropMaterializedView' || o.kind === 'dropTable' ||
  (o.kind === 'alterMaterializedView' && o.changes.some((c) => c.kind === 'swap')) ||
  (o.kind === 'alterTable' && o.changes.some((c) => c.kind === 'swap' || c.kind === 'dropPartition' || c.kind === 'dropColumn'))

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n')

const problemText = (p: Problem): string => `[${p.code}] ${p.message}`

/**
 * A plan for people: a summary line, each op with its SQL, warnings for destructive steps, and
 * the problems (a plan with problems must not be applied). Returns text; never prints.
 *
 * @example
 * ```ts
 * console.log(formatPlan(diff(before, after, { rebuild: 'swap' }), { version: '3.5', color: true }))
 * ```
 */
export const formatPlan = (result: DiffResult, options: FormatPlanOptions = {}): string => {
  const c = picocolors.createColors(options.color ?? false)
  const render = options.version === undefined ? {} : { version: options.version }
  const lines: string[] = []
  if (result.ops.length === 0 && result.problems.length === 0) return 'No changes: the schema matches.\n'

  const counts = new Map<string, number>()
  for (const o of result.ops) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1)
  const label: Record<Op['kind'], string> = {
    createMaterializedView: 'create',
    dropMaterializedView: 'drop',
    alterMaterializedView: 'alter',
    refreshMaterializedView: 'refresh',
    cancelRefreshMaterializedView: 'cancel',
    execute: 'execute',
    createTable: 'create table',
    dropTable: 'drop table',
    alterTable: 'alter table',
    copyRows: 'copy rows',
    createView: 'create view',
    dropView: 'drop view',
    alterView: 'alter view',
  }
  const summary = [...counts].map(([k, n]) => `${n} ${label[k as Op['kind']]}`).join(', ')
  lines.push(
    c.bold(
      result.ops.length === 0
        ? 'Plan: no operations until the problems below are solved'
        : `Plan: ${result.ops.length} operation${result.ops.length === 1 ? '' : 's'} (${summary})`,
    ),
  )

  const width = String(result.ops.length).length
  result.ops.forEach((o, i) => {
    const n = `${String(i + 1).padStart(width)}.`
    const title = isDestructive(o) ? c.red(opTitle(o)) : opTitle(o)
    lines.push('', `${n} ${title}`)
    for (const statement of toStatements(o, render)) lines.push(c.dim(indent(`${statement};`, ' '.repeat(width + 2))))
  })

  const warnings = planWarnings(result)
  if (warnings.length > 0) {
    lines.push('', c.yellow(c.bold('Warnings:')))
    for (const w of warnings) lines.push(c.yellow(`  ! ${w}`))
  }
  if (result.problems.length > 0) {
    lines.push('', c.red(c.bold(`Problems (${result.problems.length}) — this plan cannot be applied as it stands:`)))
    for (const p of result.problems) lines.push(c.red(indent(problemText(p), '    ').replace(/^ {4}/, '  ✗ ')))
  }
  return `${lines.join('\n')}\n`
}

/** The JSON form of a plan: {@link planToJSON}. */
export interface PlanJSON {
  readonly format: 1
  readonly ops: readonly { readonly op: Op; readonly title: string; readonly sql: readonly string[] }[]
  readonly problems: readonly Problem[]
  readonly changes: readonly (Change & { readonly summary: string })[]
  readonly rebuilt: readonly string[]
  readonly reactivated: readonly string[]
  readonly warnings: readonly string[]
}

/**
 * A plan as plain JSON-serialisable data for `--json`: each op with its title and SQL, the
 * problems, the changes with a one-line summary, warnings.
 *
 * @example
 * ```ts
 * process.stdout.write(JSON.stringify(planToJSON(plan, { version: '3.5' }), null, 2))
 * ```
 */
export const planToJSON = (result: DiffResult, options: Pick<FormatPlanOptions, 'version'> = {}): PlanJSON => {
  const render = options.version === undefined ? {} : { version: options.version }
  return {
    format: 1,
    ops: result.ops.map((op) => ({ op, title: opTitle(op), sql: toStatements(op, render) })),
    problems: result.problems,
    changes: result.changes.map((change) => ({ ...change, summary: describeChange(change).summary })),
    rebuilt: result.rebuilt,
    reactivated: result.reactivated,
    warnings: planWarnings(result),
  }
}
