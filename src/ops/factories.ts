import { StarRocksMvError } from '../errors.js'
import { QualifiedName, freezeDeep as freeze, stripUndefined as strip, type AlterChange, type MvDefinition } from '../model/index.js'
import type { RefreshPartition } from '../render/render-refresh.js'
import { isSql, type Sql } from '../sql/sql.js'
import type { Op } from './op.js'
import { definitionOf, toQualifiedName, type MvTarget } from './target.js'

/** A complete MV: a builder with `.as(...)` or its definition. */
export type CompleteMv = { readonly definition: MvDefinition } | MvDefinition

/** What `op.alterMaterializedView` reads from an `alter(...)` builder. */
export interface AlterSource {
  readonly target: QualifiedName
  readonly changes: readonly AlterChange[]
}

const textOf = (value: Sql | string, what: string): string => {
  if (typeof value === 'string') return value
  if (isSql(value)) return value.toSQL()
  throw new StarRocksMvError('INVALID_OP', `${what} must be a sql fragment or a string.`)
}

const copyPartition = (p: RefreshPartition): RefreshPartition =>
  'values' in p ? { values: p.values.map((v) => (Array.isArray(v) ? [...(v as (string | null)[])] : v)) } : { start: p.start, end: p.end }

const requireDefinition = (mv: CompleteMv, what: string): MvDefinition => {
  const def = definitionOf(mv as MvTarget)
  if (def === undefined) {
    throw new StarRocksMvError(
      'INCOMPLETE_MV',
      `${what} needs a complete materialized view: call .as(sql\`SELECT ...\`) on the builder first.`,
    )
  }
  return def
}

/**
 * Factories for migration operations. Each returns frozen plain data (JSON round-trips).
 *
 * @example
 * ```ts
 * const create = op.createMaterializedView(dailySales)
 * toStatements(create) // ['CREATE MATERIALIZED VIEW `analytics`.`daily_sales_mv` ...']
 * ```
 */
export const op = {
  /** `CREATE MATERIALIZED VIEW` from a complete MV. */
  createMaterializedView(mv: CompleteMv, options: { readonly ifNotExists?: boolean } = {}): Extract<Op, { kind: 'createMaterializedView' }> {
    const definition = requireDefinition(mv, 'op.createMaterializedView()')
    return freeze({ kind: 'createMaterializedView', definition, ifNotExists: options.ifNotExists ?? false })
  },
  /**
   * `DROP MATERIALIZED VIEW`. Given an MV or definition, the op records it, so the drop can be
   * reversed; given a name, it cannot.
   */
  dropMaterializedView(
    mvOrName: MvTarget | MvDefinition,
    options: { readonly ifExists?: boolean; readonly force?: boolean; readonly definition?: CompleteMv } = {},
  ): Extract<Op, { kind: 'dropMaterializedView' }> {
    const definition = options.definition === undefined ? definitionOf(mvOrName) : requireDefinition(options.definition, 'the definition option')
    return freeze(
      strip({
        kind: 'dropMaterializedView' as const,
        target: toQualifiedName(mvOrName),
        ifExists: options.ifExists ?? false,
        force: options.force ?? false,
        definition,
      }),
    )
  },
  /** `ALTER MATERIALIZED VIEW`, one statement per change of the `alter(...)` builder. */
  alterMaterializedView(alterBuilder: AlterSource): Extract<Op, { kind: 'alterMaterializedView' }> {
    if (alterBuilder === null || typeof alterBuilder !== 'object' || !Array.isArray(alterBuilder.changes)) {
      throw new StarRocksMvError('INVALID_OP', 'op.alterMaterializedView() takes an alter(...) builder, e.g. alter(mv).refresh.manual().')
    }
    if (alterBuilder.changes.length === 0) {
      throw new StarRocksMvError(
        'EMPTY_ALTER',
        `op.alterMaterializedView(): the alter builder for ${toQualifiedName(alterBuilder.target).name} has no changes; add .refresh..., .set(...), .rename(...), .active(), .inactive() or .swapWith(...).`,
      )
    }
    return freeze({
      kind: 'alterMaterializedView',
      target: toQualifiedName(alterBuilder.target),
      changes: structuredClone(alterBuilder.changes),
    })
  },
  /** `REFRESH MATERIALIZED VIEW` (data only); `wait: true` renders `WITH SYNC MODE`. */
  refreshMaterializedView(
    mvOrName: MvTarget | MvDefinition,
    options: { readonly partition?: RefreshPartition; readonly force?: boolean; readonly wait?: boolean; readonly priority?: number } = {},
  ): Extract<Op, { kind: 'refreshMaterializedView' }> {
    const target = toQualifiedName(mvOrName)
    // StarRocks refuses FORCE and partition refreshes of MVs that are maintained incrementally.
    const mode = definitionOf(mvOrName as MvTarget)?.properties.refresh_mode?.toUpperCase()
    if ((mode === 'INCREMENTAL' || mode === 'AUTO') && (options.force === true || options.partition !== undefined)) {
      const what = options.force === true ? 'FORCE' : 'a partition refresh'
      throw new StarRocksMvError(
        'INVALID_REFRESH',
        `${QualifiedName.key(target)} has refresh_mode ${mode}: StarRocks refreshes it as a whole, incrementally, and refuses ${what}. ` +
          'Refresh it without FORCE and PARTITION; to rebuild its data from scratch, drop and create it (or rebuild it with swap).',
        { mv: QualifiedName.key(target), refreshMode: mode },
      )
    }
    return freeze(
      strip({
        kind: 'refreshMaterializedView' as const,
        target,
        partition: options.partition === undefined ? undefined : copyPartition(options.partition),
        force: options.force ?? false,
        wait: options.wait ?? false,
        priority: options.priority,
      }),
    )
  },
  /** `CANCEL REFRESH MATERIALIZED VIEW`. */
  cancelRefreshMaterializedView(mvOrName: MvTarget | MvDefinition, options: { readonly force?: boolean } = {}): Extract<Op, { kind: 'cancelRefreshMaterializedView' }> {
    return freeze({ kind: 'cancelRefreshMaterializedView', target: toQualifiedName(mvOrName), force: options.force ?? false })
  },
  /**
   * Run one statement of your own. Give `down` to make it reversible. The text is sent as written:
   * build it with the `sql` tag so names and values are quoted.
   */
  execute(statement: Sql | string, options: { readonly down?: Sql | string } = {}): Extract<Op, { kind: 'execute' }> {
    const text = textOf(statement, 'op.execute()').trim()
    if (text === '') throw new StarRocksMvError('INVALID_OP', 'op.execute() needs a non-empty statement.')
    return freeze(strip({ kind: 'execute' as const, sql: text, down: options.down === undefined ? undefined : textOf(options.down, 'The down statement').trim() }))
  },
}

/** The factories' type: what `up(op)` and `down(op)` receive. */
export type OpFactories = typeof op
