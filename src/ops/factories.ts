import { StarRocksMvError } from '../errors.js'
import { freezeDeep as freeze, QualifiedName, QualifiedName as QName, stripUndefined as strip, TableDefinition, ViewDefinition, type AlterChange, type MvDefinition, type TableAlterChange } from '../model/index.js'
import type { RefreshPartition } from '../render/render-refresh.js'
import { isManagedTable, tableDefinition } from '../schema/table.js'
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

const mvOps = {
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

/** A managed table (declared with DDL options) or its {@link TableDefinition}. */
export type TableSource = { readonly [tableDefinition]: TableDefinition } | TableDefinition

const tableDefinitionOf = (t: unknown, what: string): TableDefinition => {
  if (isManagedTable(t)) return t[tableDefinition]
  if (t !== null && typeof t === 'object' && (t as { kind?: unknown }).kind === 'TableDefinition') return TableDefinition.fromJSON(t)
  throw new StarRocksMvError('INVALID_OP', `${what} takes a managed table (table(name, columns, { ...DDL options })) or a TableDefinition.`)
}

const tableTarget = (t: unknown, what: string): QualifiedName => {
  if (typeof t === 'string') {
    const at = t.indexOf('.')
    return at < 0 ? QName.create(t) : QName.create(t.slice(at + 1), t.slice(0, at))
  }
  if (t !== null && typeof t === 'object' && typeof (t as { name?: unknown }).name === 'string' && !isManagedTable(t)) {
    const q = t as QualifiedName
    return QName.create(q.name, q.schema)
  }
  const def = tableDefinitionOf(t, what)
  return QName.create(def.name, def.schema)
}

/** Factories for table operations (merged into {@link op}). */
const tableOps = {
  /** `CREATE TABLE` from a managed table. */
  createTable(table: TableSource, options: { readonly ifNotExists?: boolean } = {}): Extract<Op, { kind: 'createTable' }> {
    return freeze({ kind: 'createTable', definition: tableDefinitionOf(table, 'op.createTable()'), ifNotExists: options.ifNotExists ?? false })
  },
  /** `DROP TABLE`, with its data. Given the managed table (or `definition`), the op records it, so the drop can be reversed (the table comes back empty). */
  dropTable(
    tableOrName: TableSource | QualifiedName | string,
    options: { readonly ifExists?: boolean; readonly force?: boolean; readonly definition?: TableSource } = {},
  ): Extract<Op, { kind: 'dropTable' }> {
    const definition = options.definition !== undefined
      ? tableDefinitionOf(options.definition, 'the definition option')
      : isManagedTable(tableOrName) || (tableOrName as { kind?: unknown }).kind === 'TableDefinition' ? tableDefinitionOf(tableOrName, 'op.dropTable()') : undefined
    return freeze(strip({
      kind: 'dropTable' as const,
      target: tableTarget(tableOrName, 'op.dropTable()'),
      ifExists: options.ifExists ?? false,
      force: options.force ?? false,
      definition,
    }))
  },
  /** `ALTER TABLE`: column changes in one statement, the others one statement each. */
  alterTable(
    tableOrName: TableSource | QualifiedName | string | { readonly target: QualifiedName; readonly changes: readonly TableAlterChange[] },
    changesGiven?: readonly TableAlterChange[],
  ): Extract<Op, { kind: 'alterTable' }> {
    // An alterTable(...) builder carries its target and changes.
    const built = changesGiven === undefined && typeof tableOrName === 'object' && tableOrName !== null && 'changes' in tableOrName && 'target' in tableOrName
      ? (tableOrName as { readonly target: QualifiedName; readonly changes: readonly TableAlterChange[] })
      : undefined
    const changes = built?.changes ?? changesGiven ?? []
    if (built !== undefined) tableOrName = built.target
    if (!Array.isArray(changes) || changes.length === 0) {
      throw new StarRocksMvError('EMPTY_ALTER', 'op.alterTable() needs at least one change, e.g. [{ kind: \'addColumn\', column: {...}, after: \'id\' }].')
    }
    return freeze({ kind: 'alterTable', target: tableTarget(tableOrName, 'op.alterTable()'), changes: structuredClone([...changes]) })
  },
  /**
   * `INSERT INTO to (columns) SELECT columns FROM from`: copy rows between two tables (the copy step
   * of a table rebuild). Reverses to the copy the other way.
   */
  copyRows(from: TableSource | QualifiedName | string, to: TableSource | QualifiedName | string, columns: readonly string[]): Extract<Op, { kind: 'copyRows' }> {
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string' || c.length === 0)) {
      throw new StarRocksMvError('INVALID_OP', 'op.copyRows() needs the names of the columns to copy, e.g. [\'id\', \'amount\'].')
    }
    return freeze({ kind: 'copyRows', from: tableTarget(from, 'op.copyRows()'), to: tableTarget(to, 'op.copyRows()'), columns: [...columns] })
  },
}
/** A view (`view(...).as(...)`) or its {@link ViewDefinition}. */
export type ViewSource = { readonly definition: ViewDefinition } | ViewDefinition

const viewDefinitionOf = (v: unknown, what: string): ViewDefinition => {
  if (v !== null && typeof v === 'object') {
    if ((v as { kind?: unknown }).kind === 'ViewDefinition') return ViewDefinition.fromJSON(v)
    const d = (v as { definition?: unknown }).definition
    if (d !== null && typeof d === 'object' && (d as { kind?: unknown }).kind === 'ViewDefinition') return d as ViewDefinition
  }
  throw new StarRocksMvError('INVALID_OP', `${what} takes a view (view(name).as(sql\`...\`)) or a ViewDefinition.`)
}

/** Factories for view operations (merged into {@link op}). */
const viewOps = {
  /** `CREATE VIEW`. */
  createView(v: ViewSource, options: { readonly ifNotExists?: boolean } = {}): Extract<Op, { kind: 'createView' }> {
    return freeze({ kind: 'createView', definition: viewDefinitionOf(v, 'op.createView()'), ifNotExists: options.ifNotExists ?? false })
  },
  /** `DROP VIEW`; given the view (or `definition`), the drop can be reversed. */
  dropView(viewOrName: ViewSource | QualifiedName | string, options: { readonly ifExists?: boolean; readonly definition?: ViewSource } = {}): Extract<Op, { kind: 'dropView' }> {
    const definition = options.definition !== undefined ? viewDefinitionOf(options.definition, 'the definition option')
      : typeof viewOrName === 'object' && viewOrName !== null && ((viewOrName as { kind?: unknown }).kind === 'ViewDefinition' || 'definition' in viewOrName) ? viewDefinitionOf(viewOrName, 'op.dropView()') : undefined
    const target = definition !== undefined && options.definition === undefined ? QName.create(definition.name, definition.schema) : tableTarget(viewOrName, 'op.dropView()')
    return freeze(strip({ kind: 'dropView' as const, target, ifExists: options.ifExists ?? false, definition }))
  },
  /** `ALTER VIEW ... AS`: give the view its new query; `previous` (the old view) makes it reversible. */
  alterView(v: ViewSource, options: { readonly previous?: ViewSource } = {}): Extract<Op, { kind: 'alterView' }> {
    return freeze(strip({
      kind: 'alterView' as const,
      definition: viewDefinitionOf(v, 'op.alterView()'),
      previous: options.previous === undefined ? undefined : viewDefinitionOf(options.previous, 'the previous option'),
    }))
  },
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
export const op = { ...mvOps, ...tableOps, ...viewOps }

/** The factories' type: what `up(op)` and `down(op)` receive. */
export type OpFactories = typeof op
