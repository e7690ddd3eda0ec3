import { atLeast, MV_COLUMN_ALTER_SINCE, MV_ORDER_BY_ALTER_SINCE, type AlterChange, type MvColumn, type MvDefinition, type Version } from '../model/index.js'
import { expressionAggregation, selectShape, type SelectListItem, type SelectShape } from '../sql/index.js'
import { canonicalExpressionText, canonicalQuery } from './canonical-query.js'
import type { Change } from './change.js'

const same = (a: string, b: string): boolean => canonicalQuery(a, 'light') === canonicalQuery(b, 'light')

const sameItem = (a: SelectListItem, b: SelectListItem): boolean =>
  same(a.expression, b.expression) && (a.alias ?? '').toLowerCase() === (b.alias ?? '').toLowerCase()

const sameColumn = (a: MvColumn | undefined, b: MvColumn | undefined): boolean =>
  a !== undefined && b !== undefined && a.name.toLowerCase() === b.name.toLowerCase() && a.comment === b.comment

/** The output name of a select-list item: its alias, or a bare (possibly qualified) column's name. */
const itemName = (item: SelectListItem): string | undefined => {
  if (item.alias !== undefined) return item.alias
  const m = /^(?:(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*\.\s*)*(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)$/.exec(item.expression.trim())
  return m === null ? undefined : (m[1] as string).replace(/^`|`$/g, '')
}

/** Both queries simple enough for StarRocks's ADD/DROP COLUMN: one plain SELECT over one table, no window. */
const shapes = (from: MvDefinition, to: MvDefinition): { a: SelectShape; b: SelectShape } | undefined => {
  const a = selectShape(from.query)
  const b = selectShape(to.query)
  if (a === undefined || b === undefined) return undefined
  if (!a.singleTable || !b.singleTable || a.hasWindow || b.hasWindow) return undefined
  return { a, b }
}

/** Columns that may be part of the MV's sort, partition, distribution or index keys. */
const keyColumns = (def: MvDefinition): Set<string> => {
  const names = new Set<string>()
  for (const c of def.orderBy ?? []) names.add(c.toLowerCase())
  if (def.distribution?.kind === 'hash') for (const c of def.distribution.columns) names.add(c.toLowerCase())
  for (const ix of def.indexes ?? []) for (const c of ix.columns) names.add(c.toLowerCase())
  return names
}

const mentions = (expressions: readonly string[], name: string): boolean =>
  expressions.some((e) => new RegExp(`(^|[^A-Za-z0-9_$])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_$])`, 'i').test(e))

const added = (from: MvDefinition, to: MvDefinition, a: SelectShape, b: SelectShape): AlterChange[] | undefined => {
  if (b.items.length !== a.items.length + 1 || !same(a.tail, b.tail)) return undefined
  if (!a.items.every((item, i) => sameItem(item, b.items[i] as SelectListItem))) return undefined
  const item = b.items[b.items.length - 1] as SelectListItem
  // The column list, if any, must grow by the same column at the end.
  let name: string | undefined
  let comment: string | undefined
  if (to.columns !== undefined) {
    if (from.columns === undefined || to.columns.length !== from.columns.length + 1) return undefined
    if (!from.columns.every((c, i) => sameColumn(c, to.columns?.[i]))) return undefined
    const last = to.columns[to.columns.length - 1] as MvColumn
    name = last.name
    comment = last.comment
  } else {
    name = item.alias
  }
  if (name === undefined) return undefined
  const taken = (from.columns?.map((c) => c.name) ?? a.items.map(itemName)).some((n) => n?.toLowerCase() === name.toLowerCase())
  if (taken) return undefined
  const agg = expressionAggregation(item.expression)
  // StarRocks takes exactly one column reference (`the added column expression must be a simple column reference`).
  if (agg.columnReferences !== 1) return undefined
  if (agg.isAggregateCall) {
    // An aggregate needs a GROUP BY, which stays as it is.
    if (a.groupBy === undefined || a.groupBy.length === 0) return undefined
  } else {
    // A plain expression: StarRocks would add it to the GROUP BY of an aggregate MV; keep to non-aggregate MVs.
    if (agg.containsAggregate || a.groupBy !== undefined || a.items.some((i) => expressionAggregation(i.expression).containsAggregate)) return undefined
  }
  return [{ kind: 'addColumn', name, expression: item.expression.trim(), ...(comment === undefined ? {} : { comment }) }]
}

const dropped = (from: MvDefinition, to: MvDefinition, a: SelectShape, b: SelectShape): AlterChange[] | undefined => {
  if (b.items.length !== a.items.length - 1 || !same(a.tail, b.tail)) return undefined
  const index = a.items.findIndex((_, i) => b.items.every((item, j) => sameItem(a.items[j < i ? j : j + 1] as SelectListItem, item)))
  if (index < 0) return undefined
  const item = a.items[index] as SelectListItem
  let name: string | undefined
  let comment: string | undefined
  if (to.columns !== undefined) {
    if (from.columns === undefined || to.columns.length !== from.columns.length - 1) return undefined
    if (!to.columns.every((c, j) => sameColumn(from.columns?.[j < index ? j : j + 1], c))) return undefined
    name = from.columns[index]?.name
    comment = from.columns[index]?.comment
  } else {
    name = from.columns?.[index]?.name ?? itemName(item)
  }
  if (name === undefined) return undefined
  // StarRocks refuses a GROUP BY column; an ordinal GROUP BY or a key column is left to a rebuild.
  const groupBy = a.groupBy ?? []
  if (groupBy.some((g) => /^\d+$/.test(g.expression.trim()) || canonicalExpressionText(g.expression) === canonicalExpressionText(item.expression))) return undefined
  if (keyColumns(from).has(name.toLowerCase()) || mentions(from.partitionBy ?? [], name)) return undefined
  // Without ORDER BY, StarRocks takes leading columns as the sort key: keep the first column.
  if (from.orderBy === undefined && index === 0) return undefined
  return [{
    kind: 'dropColumn',
    name,
    previous: { expression: item.expression.trim(), ...(comment === undefined ? {} : { comment }), last: index === a.items.length - 1 },
  }]
}

/**
 * The `ALTER MATERIALIZED VIEW ... ADD COLUMN` / `DROP COLUMN` that turns `from` into `to`, when
 * that is all that differs and StarRocks (4.2+) can do it; `undefined` means "rebuild as before".
 *
 * Conservative on purpose (StarRocks's own checks, AlterMVJobExecutor, plus what cannot be known
 * offline): both queries are one plain SELECT over one table without window functions, equal but
 * for one select-list item appended at the end (ADD) or removed (DROP); a desired column list
 * changes the same way (without one, ADD needs the item's alias: the column's name). ADD takes an expression with exactly one column reference: an aggregate
 * call on an MV with GROUP BY, or a plain expression on an MV without aggregation. DROP refuses a
 * GROUP BY item, ordinal GROUP BYs, sort / distribution / partition / index columns, and the first
 * column of an MV without ORDER BY (StarRocks then takes leading columns as the sort key).
 *
 * @example
 * ```ts
 * columnEvolution(deployed, desired, changes, '4.2')
 * // [{ kind: 'addColumn', name: 'orders', expression: 'count(`id`)' }]
 * ```
 */
export const columnEvolution = (
  from: MvDefinition,
  to: MvDefinition,
  changes: readonly Change[],
  version: string | Version,
): AlterChange[] | undefined => {
  if (!atLeast(version, MV_COLUMN_ALTER_SINCE) || from.sync || to.sync) return undefined
  if (changes.length === 0 || !changes.every((c) => c.kind === 'queryChanged' || c.kind === 'columnsChanged')) return undefined
  if (!changes.some((c) => c.kind === 'queryChanged')) return undefined
  let s: { a: SelectShape; b: SelectShape } | undefined
  try {
    s = shapes(from, to)
  } catch {
    return undefined
  }
  if (s === undefined) return undefined
  return added(from, to, s.a, s.b) ?? dropped(from, to, s.a, s.b)
}

/**
 * The `ALTER MATERIALIZED VIEW ... ORDER BY (cols)` that turns `from` into `to`, when only the sort
 * key differs and StarRocks (4.2+) can change it online; `undefined` means "rebuild as before".
 *
 * StarRocks takes it only on asynchronous, range-distributed MVs of shared-data clusters. That can
 * be told only from a live server: a range-distributed MV is printed without `DISTRIBUTED BY`
 * (every other MV is printed with one), so `live` must be true and the reflected MV must have no
 * distribution; a snapshot cannot say, and is rebuilt. The new key must not be empty.
 *
 * @example
 * ```ts
 * sortKeyAlter(reflectedMv, desiredMv, [{ kind: 'orderByChanged', ... }], '4.2', true)
 * // [{ kind: 'orderBy', columns: ['k2', 'k1'], previous: ['k1'] }]
 * ```
 */
export const sortKeyAlter = (
  from: MvDefinition,
  to: MvDefinition,
  changes: readonly Change[],
  version: string | Version,
  live: boolean,
): AlterChange[] | undefined => {
  if (!live || !atLeast(version, MV_ORDER_BY_ALTER_SINCE) || from.sync || to.sync) return undefined
  if (changes.length === 0 || !changes.every((c) => c.kind === 'orderByChanged')) return undefined
  if (from.distribution !== undefined || to.distribution !== undefined) return undefined
  const columns = to.orderBy ?? []
  if (columns.length === 0) return undefined
  return [{ kind: 'orderBy', columns: [...columns], ...(from.orderBy === undefined ? {} : { previous: [...from.orderBy] }) }]
}
