import { match } from 'ts-pattern'
import type { Version } from '../model/index.js'
import { renderAlterView, renderCreateView, renderDropView, renderAlterStatements, renderAlterTableStatements, renderCancelRefresh, renderCopyRows, renderCreate, renderCreateTable, renderDrop, renderDropTable, renderRefresh } from '../render/index.js'
import type { Op } from './op.js'

/** Options of {@link toStatements}. */
export interface ToStatementsOptions {
  /** Target StarRocks version (default: the renderer's default, 3.5). */
  readonly version?: string | Version
}

const stripTerminator = (text: string): string => text.trim().replace(/;\s*$/, '').trimEnd()

const opStatements = (o: Op, options: ToStatementsOptions): string[] =>
  match(o)
    .with({ kind: 'createMaterializedView' }, (c) => [renderCreate(c.definition, { ...options, ifNotExists: c.ifNotExists })])
    .with({ kind: 'dropMaterializedView' }, (d) => [renderDrop(d.target, { ifExists: d.ifExists, force: d.force })])
    .with({ kind: 'alterMaterializedView' }, (a) => renderAlterStatements(a.target, a.changes, options))
    .with({ kind: 'refreshMaterializedView' }, (r) => [
      renderRefresh(r.target, {
        ...options,
        force: r.force,
        wait: r.wait,
        ...(r.partition === undefined ? {} : { partition: r.partition }),
        ...(r.priority === undefined ? {} : { priority: r.priority }),
      }),
    ])
    .with({ kind: 'cancelRefreshMaterializedView' }, (c) => [renderCancelRefresh(c.target, { force: c.force })])
    .with({ kind: 'execute' }, (e) => [stripTerminator(e.sql)])
    .with({ kind: 'createTable' }, (c) => [renderCreateTable(c.definition, { ...options, ifNotExists: c.ifNotExists })])
    .with({ kind: 'dropTable' }, (d) => [renderDropTable(d.target, { ifExists: d.ifExists, force: d.force })])
    .with({ kind: 'alterTable' }, (a) => renderAlterTableStatements(a.target, a.changes, options))
    .with({ kind: 'copyRows' }, (c) => [renderCopyRows(c.from, c.to, c.columns)])
    .with({ kind: 'createView' }, (c) => [renderCreateView(c.definition, { ...options, ifNotExists: c.ifNotExists })])
    .with({ kind: 'dropView' }, (d) => [renderDropView(d.target, { ifExists: d.ifExists })])
    .with({ kind: 'alterView' }, (a) => [renderAlterView(a.definition, options)])
    .exhaustive()

/**
 * Render one op or a list of ops as exact StarRocks statements, without trailing semicolons, one
 * statement per ALTER clause (StarRocks takes one clause per ALTER).
 *
 * @example
 * ```ts
 * toStatements(op.alterMaterializedView(alter('analytics.daily_sales_mv').refresh.manual().set({ task_priority: 5 })))
 * // ['ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH MANUAL',
 * //  'ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` SET ("task_priority" = "5")']
 * ```
 */
export const toStatements = (opOrOps: Op | readonly Op[], options: ToStatementsOptions = {}): string[] =>
  (Array.isArray(opOrOps) ? (opOrOps as readonly Op[]) : [opOrOps as Op]).flatMap((o) => cachedStatements(o, options))

/**
 * A frozen op (every factory freezes what it makes) renders the same for one version every time:
 * `srmv generate` renders a plan's statements to check them, to print them and to write them.
 */
const rendered = new WeakMap<Op, Map<string, readonly string[]>>()

const cachedStatements = (o: Op, options: ToStatementsOptions): readonly string[] => {
  if (!Object.isFrozen(o)) return opStatements(o, options)
  const version = options.version === undefined ? '' : typeof options.version === 'string' ? options.version : options.version.text
  let byVersion = rendered.get(o)
  const hit = byVersion?.get(version)
  if (hit !== undefined) return hit
  const statements = Object.freeze(opStatements(o, options))
  if (byVersion === undefined) rendered.set(o, (byVersion = new Map()))
  byVersion.set(version, statements)
  return statements
}
