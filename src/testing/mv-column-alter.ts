import { quoteIdentifier, selectShape, significant, tokenize, type SelectShape } from '../sql/index.js'
import { readersOfColumn } from './alter-table.js'
import type { Catalog, MvObject } from './catalog.js'
import { EmulatorError, analysisError } from './emulator-error.js'
import { isAggregateName, parseExpr } from './expression.js'
import { analyseQuery, isAggregateQuery, parseQuery } from './select-query.js'
import { shapeLookup } from './session.js'
import { TokenCursor } from './token-cursor.js'

// The checks and messages below follow StarRocks's AlterMVClauseAnalyzerVisitor and
// AlterMVJobExecutor (visitAddMVColumnClause / visitDropMVColumnClause / visitReorderColumnsClause,
// StarRocks PR #67915 and the ORDER BY analyzer of 4.2). What the emulator does not model: the
// fast-schema-evolution safety checks on base-column creation time and base partitions changed
// since the last refresh, shared-data clusters, and range distribution.

const fail = (detail: string): EmulatorError => analysisError(detail)

/** An expression's tokens without layout, quoting or case: enough to tell a GROUP BY item. */
const exprKey = (text: string): string =>
  significant(tokenize(text)).map((t) => (t.kind === 'word' || t.kind === 'quoted' ? t.value.toLowerCase() : t.text)).join(' ')

/** The MV's query as a plain SELECT over one table, or StarRocks's refusal. */
const simpleSelect = (mv: MvObject): SelectShape => {
  if (mv.query.k !== 'select') throw fail('Materialized view definition is invalid: only support SELECT statement')
  const shape = selectShape(mv.queryText)
  if (shape === undefined) throw fail('Materialized view definition is invalid: only support SELECT statement')
  if (!shape.singleTable || mv.query.from === undefined || mv.query.from.joins.length > 0 || mv.query.from.first.k !== 'table') {
    throw fail('Materialized view based on multiple tables is not supported')
  }
  if (shape.hasWindow) throw fail('Materialized view with analytic functions is not supported')
  return shape
}

/** Re-analyse the MV with a new query text and store it. */
const replaceQuery = (cat: Catalog, mv: MvObject, text: string, columns: MvObject['columns']): void => {
  const c = new TokenCursor(text)
  const query = parseQuery(c)
  c.expectEnd()
  const analysed = analyseQuery(query, shapeLookup(cat), mv.db)
  mv.query = query
  mv.queryText = text
  mv.rewrittenQuery = analysed.rewritten
  mv.columns = columns.map((col, i) => ({ ...col, type: analysed.columns[i]?.type ?? col.type }))
}

const slotCount = (e: ReturnType<typeof parseExpr>): number => {
  let n = 0
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return
    if ((x as { k?: unknown }).k === 'col') n++
    for (const v of Object.values(x as Record<string, unknown>)) {
      if (Array.isArray(v)) v.forEach(visit)
      else if (v !== null && typeof v === 'object') visit(v)
    }
  }
  visit(e)
  return n
}

/**
 * `ALTER MATERIALIZED VIEW mv ADD COLUMN c AS <expr> [DEFAULT ...] [COMMENT '...']` (cursor after
 * `ADD COLUMN`): appends `<expr> AS c` to the select list (and a non-aggregate expression to the
 * GROUP BY of an aggregate MV) and `c` to the columns. SHOW CREATE prints the new column list and
 * query afterwards.
 */
export const addMvColumn = (c: TokenCursor, cat: Catalog, mv: MvObject): void => {
  const name = c.ident('a column name')
  c.expectKw('AS')
  const exprStart = c.pos
  const expr = parseExpr(c)
  const expression = c.textFrom(exprStart)
  if (c.acceptKw('DEFAULT')) c.next()
  let comment: string | undefined
  if (c.acceptKw('COMMENT')) comment = c.string('a comment')
  c.expectEnd()
  if (expr.k === 'num' || expr.k === 'str' || expr.k === 'null' || expr.k === 'bool') throw fail('Aggregate expression cannot be a constant')
  const shape = simpleSelect(mv)
  if (mv.columns.some((x) => x.name.toLowerCase() === name.toLowerCase())) throw fail(`Column '${name}' already exists in materialized view`)
  if (mv.baseTables.length !== 1) throw fail('Add column to materialized view only supports single base table')
  const isAggregateCall = expr.k === 'func' && isAggregateName(expr.name)
  const query = mv.query as Extract<MvObject['query'], { k: 'select' }>
  if (isAggregateCall && query.groupBy.length === 0) {
    throw fail('Add new aggregate function column failed: Materialized view must contain group by columns.')
  }
  if (slotCount(expr) !== 1) throw fail('Materialized view definition is invalid, the added column expression must be a simple column reference')
  const text = mv.queryText
  let next = `${text.slice(0, shape.itemsEnd)}, ${expression} AS ${quoteIdentifier(name)}`
  let rest = text.slice(shape.itemsEnd)
  if (!isAggregateCall && isAggregateQuery(query)) {
    const groupBy = shape.groupBy
    if (groupBy === undefined || groupBy.length === 0) throw fail('Materialized view definition is invalid')
    const end = (groupBy[groupBy.length - 1] as { end: number }).end - shape.itemsEnd
    rest = `${rest.slice(0, end)}, ${expression}${rest.slice(end)}`
  }
  next += rest
  replaceQuery(cat, mv, next, [...mv.columns, { name, type: 'VARCHAR', ...(comment === undefined ? {} : { comment }) }])
}

/** `ALTER MATERIALIZED VIEW mv DROP COLUMN c` (cursor after `DROP COLUMN`). */
export const dropMvColumn = (c: TokenCursor, cat: Catalog, mv: MvObject): void => {
  const name = c.ident('a column name')
  c.expectEnd()
  const index = mv.columns.findIndex((x) => x.name.toLowerCase() === name.toLowerCase())
  if (index < 0) throw fail(`Column '${name}' does not exist in materialized view`)
  const shape = simpleSelect(mv)
  const item = shape.items[index]
  if (item === undefined || shape.items.length !== mv.columns.length) throw fail('Materialized view definition is invalid')
  const removed = exprKey(item.expression)
  const inGroupBy = (shape.groupBy ?? []).some((g) => exprKey(g.expression) === removed || g.expression.trim() === String(index + 1))
  if (inGroupBy) throw fail(`Cannot drop column '${name}' because it is used in GROUP BY clause`)
  const text = mv.queryText
  const prev = shape.items[index - 1]
  const following = shape.items[index + 1]
  // An MV keeps at least one column (what StarRocks answers here is not documented).
  if (prev === undefined && following === undefined) throw fail('Materialized view definition is invalid')
  const next =
    prev !== undefined
      ? text.slice(0, prev.end) + text.slice(item.end)
      : text.slice(0, item.start) + text.slice((following as { start: number }).start)
  replaceQuery(cat, mv, next, mv.columns.filter((_, i) => i !== index))
  for (const reader of readersOfColumn(cat, mv, name)) {
    reader.active = false
    reader.inactiveReason = `base table schema changed for columns: ${name}`
  }
}

/**
 * `ALTER MATERIALIZED VIEW mv ORDER BY (cols)` (cursor after `ORDER BY`). StarRocks takes it only
 * on range-distributed asynchronous MVs of shared-data clusters; the emulator is a shared-nothing
 * cluster, so after parsing it answers what StarRocks answers there.
 */
export const orderMvBy = (c: TokenCursor): never => {
  c.expectPunct('(')
  do c.ident('a column name')
  while (c.acceptPunct(','))
  c.expectPunct(')')
  c.expectEnd()
  throw fail('ALTER MATERIALIZED VIEW ... ORDER BY is only supported on shared-data (cloud-native) materialized views')
}

