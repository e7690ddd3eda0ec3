import { isKeyword, significant, tokenize, type Token } from './tokenizer.js'

/** One item of a SELECT list, as written: its whole text, the expression and the alias (if any). */
export interface SelectListItem {
  /** The item as written (`sum(amount) AS total`). */
  readonly text: string
  /** The expression without the alias (`sum(amount)`). */
  readonly expression: string
  /** The alias, unquoted (`total`), when the item has one. */
  readonly alias?: string
  /** Where the item starts and ends in the query text. */
  readonly start: number
  readonly end: number
}

/**
 * The top-level layout of a plain `SELECT ... FROM ...` query: where the select list and the
 * GROUP BY list are in the text, for callers that compare or splice select-list items (the
 * differ's ADD/DROP COLUMN planning and the emulator's fast schema evolution).
 */
export interface SelectShape {
  readonly items: readonly SelectListItem[]
  /** Offset just after the last select-list item. */
  readonly itemsEnd: number
  /** The text from the top-level `FROM` to the end (without a trailing `;`). */
  readonly tail: string
  /** True when the FROM clause is one table: no JOIN, no comma-join, no subquery. */
  readonly singleTable: boolean
  /** The top-level GROUP BY items (`undefined` when there is no GROUP BY). */
  readonly groupBy?: readonly SelectListItem[]
  /** True when the query uses a window (`OVER`) anywhere. */
  readonly hasWindow: boolean
}

const CLAUSE_ENDS_GROUP_BY = ['HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'QUALIFY', 'WINDOW']
const CLAUSE_ENDS_FROM = ['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'QUALIFY', 'WINDOW']
const NOT_ALIAS = new Set(['END', 'NULL', 'TRUE', 'FALSE', 'DESC', 'ASC'])

const isPunct = (t: Token | undefined, v: string): boolean => t !== undefined && t.kind === 'punct' && t.value === v

/** Split `tokens[from, to)` on top-level commas into items with their source spans. */
const splitItems = (source: string, tokens: readonly Token[], from: number, to: number): SelectListItem[] => {
  const items: SelectListItem[] = []
  let depth = 0
  let first = from
  const flush = (last: number): void => {
    const part = tokens.slice(first, last)
    if (part.length === 0) return
    const start = (part[0] as Token).start
    const end = (part[part.length - 1] as Token).end
    const lastTok = part[part.length - 1] as Token
    const before = part[part.length - 2]
    let alias: string | undefined
    let exprEnd = end
    if (part.length >= 3 && isKeyword(before, 'AS') && (lastTok.kind === 'word' || lastTok.kind === 'quoted' || lastTok.kind === 'string')) {
      alias = lastTok.value
      exprEnd = (part[part.length - 3] as Token).end
    } else if (
      part.length >= 2 &&
      (lastTok.kind === 'quoted' || (lastTok.kind === 'word' && !NOT_ALIAS.has(lastTok.value.toUpperCase()))) &&
      before !== undefined &&
      (before.kind === 'quoted' || before.kind === 'word' || isPunct(before, ')')) &&
      !isKeyword(before, 'CASE') && !isKeyword(before, 'ELSE') && !isKeyword(before, 'THEN') && !isKeyword(before, 'DISTINCT')
    ) {
      alias = lastTok.value
      exprEnd = before.end
    }
    items.push({
      text: source.slice(start, end),
      expression: source.slice(start, exprEnd),
      ...(alias === undefined ? {} : { alias }),
      start,
      end,
    })
  }
  for (let i = from; i < to; i++) {
    const t = tokens[i] as Token
    if (isPunct(t, '(')) depth++
    else if (isPunct(t, ')')) depth--
    else if (depth === 0 && isPunct(t, ',')) {
      flush(i)
      first = i + 1
    }
  }
  flush(to)
  return items
}

/** Index of the first top-level token in `[from, tokens.length)` that is one of `keywords`. */
const topLevelKeyword = (tokens: readonly Token[], from: number, keywords: readonly string[]): number => {
  let depth = 0
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i] as Token
    if (isPunct(t, '(')) depth++
    else if (isPunct(t, ')')) depth--
    else if (depth === 0 && keywords.some((k) => isKeyword(t, k))) return i
  }
  return tokens.length
}

/**
 * The layout of a plain `SELECT [DISTINCT] items FROM ...` query, or `undefined` for anything else
 * (a CTE, a parenthesised query, a UNION / EXCEPT / INTERSECT at the top level, no FROM).
 * Throws `PARSE_ERROR` on unterminated quotes or comments.
 *
 * @example
 * ```ts
 * selectShape('SELECT k, sum(v) AS s FROM t GROUP BY k')?.items.map((i) => i.alias ?? i.expression)
 * // ['k', 's']
 * ```
 */
export const selectShape = (query: string): SelectShape | undefined => {
  const tokens = significant(tokenize(query))
  while (isPunct(tokens[tokens.length - 1], ';')) tokens.pop()
  if (!isKeyword(tokens[0], 'SELECT')) return undefined
  let first = 1
  if (isKeyword(tokens[1], 'DISTINCT') || isKeyword(tokens[1], 'ALL')) first = 2
  const fromAt = topLevelKeyword(tokens, first, ['FROM'])
  if (fromAt >= tokens.length) return undefined
  if (topLevelKeyword(tokens, fromAt, ['UNION', 'EXCEPT', 'INTERSECT', 'MINUS']) < tokens.length) return undefined
  const items = splitItems(query, tokens, first, fromAt)
  if (items.length === 0) return undefined
  const fromEnd = topLevelKeyword(tokens, fromAt + 1, CLAUSE_ENDS_FROM)
  const fromTokens = tokens.slice(fromAt + 1, fromEnd)
  const singleTable =
    fromTokens.length > 0 &&
    !fromTokens.some((t) => isPunct(t, ',') || isPunct(t, '(') || isKeyword(t, 'JOIN') || isKeyword(t, 'LATERAL') || isKeyword(t, 'SELECT'))
  const groupAt = topLevelKeyword(tokens, fromAt, ['GROUP'])
  let groupBy: SelectListItem[] | undefined
  if (groupAt < tokens.length && isKeyword(tokens[groupAt + 1], 'BY')) {
    const groupEnd = topLevelKeyword(tokens, groupAt + 2, CLAUSE_ENDS_GROUP_BY)
    groupBy = splitItems(query, tokens, groupAt + 2, groupEnd)
  }
  const last = tokens[tokens.length - 1] as Token
  return {
    items,
    itemsEnd: (items[items.length - 1] as SelectListItem).end,
    tail: query.slice((tokens[fromAt] as Token).start, last.end),
    singleTable,
    ...(groupBy === undefined ? {} : { groupBy }),
    hasWindow: tokens.some((t) => isKeyword(t, 'OVER')),
  }
}

/**
 * Aggregate functions StarRocks's docs list (lower-case). Used to tell an aggregate select-list
 * item (`sum(x)`) from a plain expression; a function missing here is treated as not aggregate,
 * which only makes the callers more conservative.
 */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set([
  'sum', 'count', 'min', 'max', 'avg', 'any_value', 'approx_count_distinct', 'ndv', 'bitmap_union', 'bitmap_union_count',
  'bitmap_union_int', 'bitmap_agg', 'hll_union', 'hll_union_agg', 'hll_raw_agg', 'percentile_union', 'percentile_approx',
  'percentile_cont', 'percentile_disc', 'array_agg', 'array_agg_distinct', 'group_concat', 'multi_distinct_count',
  'multi_distinct_sum', 'stddev', 'stddev_pop', 'stddev_samp', 'std', 'variance', 'var_pop', 'var_samp', 'variance_pop',
  'variance_samp', 'covar_pop', 'covar_samp', 'corr', 'max_by', 'min_by', 'retention', 'window_funnel', 'count_if',
  'approx_top_k', 'sum_map', 'ds_hll_count_distinct', 'ds_theta_count_distinct', 'bool_or', 'bool_and', 'every',
])

/** How an expression stands to aggregation. */
export interface ExpressionAggregation {
  /** The whole expression is one call of an aggregate function (`sum(x)`). */
  readonly isAggregateCall: boolean
  /** An aggregate function is called anywhere in it. */
  readonly containsAggregate: boolean
  /** Column references (identifiers that are neither function names, keywords nor qualifiers), counted with repeats. */
  readonly columnReferences: number
}

const EXPRESSION_KEYWORDS = new Set([
  'AS', 'DISTINCT', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'AND', 'OR', 'NOT', 'NULL', 'IS', 'IN', 'LIKE', 'RLIKE',
  'REGEXP', 'BETWEEN', 'INTERVAL', 'TRUE', 'FALSE', 'CAST', 'DIV', 'MOD', 'XOR', 'SECOND', 'MINUTE', 'HOUR', 'DAY',
  'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL', 'OVER', 'PARTITION', 'BY', 'ORDER', 'ASC', 'DESC',
  'BIGINT', 'INT', 'INTEGER', 'SMALLINT', 'TINYINT', 'LARGEINT', 'DOUBLE', 'FLOAT', 'DECIMAL', 'VARCHAR', 'CHAR', 'STRING',
  'DATE', 'DATETIME', 'BOOLEAN', 'JSON',
])

/**
 * Classify an expression: whether it is (or contains) an aggregate call, and how many column
 * references it makes.
 *
 * @example
 * ```ts
 * expressionAggregation('sum(`amount`)') // { isAggregateCall: true, containsAggregate: true, columnReferences: 1 }
 * ```
 */
export const expressionAggregation = (expression: string): ExpressionAggregation => {
  const tokens = significant(tokenize(expression))
  let containsAggregate = false
  let columnReferences = 0
  tokens.forEach((t, i) => {
    const next = tokens[i + 1]
    if (t.kind === 'word' && isPunct(next, '(')) {
      if (AGGREGATE_FUNCTIONS.has(t.value.toLowerCase())) containsAggregate = true
      return
    }
    if (t.kind !== 'word' && t.kind !== 'quoted') return
    if (t.kind === 'word' && EXPRESSION_KEYWORDS.has(t.value.toUpperCase())) return
    if (isPunct(next, '.')) return
    columnReferences++
  })
  const head = tokens[0]
  let isAggregateCall = false
  if (head?.kind === 'word' && AGGREGATE_FUNCTIONS.has(head.value.toLowerCase()) && isPunct(tokens[1], '(')) {
    let depth = 0
    let close = -1
    for (let i = 1; i < tokens.length; i++) {
      if (isPunct(tokens[i], '(')) depth++
      else if (isPunct(tokens[i], ')') && --depth === 0) {
        close = i
        break
      }
    }
    isAggregateCall = close === tokens.length - 1
  }
  return { isAggregateCall, containsAggregate, columnReferences }
}
