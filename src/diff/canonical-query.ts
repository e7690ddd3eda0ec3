import { significant, tokenize, type Token } from '../sql/tokenizer.js'

/**
 * One token of a canonical query: `id` (identifier, lower-cased, quoting removed), `kw` (keyword,
 * upper-cased), `str` (string literal, unescaped), `num`, or `op` (punctuation and operators).
 */
export interface CanonicalToken {
  readonly k: 'id' | 'kw' | 'str' | 'num' | 'op'
  readonly v: string
}

/**
 * How far a query is normalised.
 * - `light`: only what cannot change meaning: whitespace, comments, a trailing `;`, the case of
 *   keywords and function names, back-quotes around names that need none.
 * - `full`: also the rewrite StarRocks applies before 4.0.6 when it prints a query back: qualifiers
 *   dropped (`db.t.c` → `c`), implicit aliases (`sum(x) AS \`sum(x)\``) removed, `INNER JOIN` → `JOIN`,
 *   `LEFT OUTER JOIN` → `LEFT JOIN`, `AS` removed, `ASC` removed, redundant parentheses removed,
 *   identifiers lower-cased. Lossy on purpose: two queries equal here may still differ (a changed
 *   table alias, say), which is why a live comparison says when a difference may only be a rewrite.
 */
export type QueryCanonicalMode = 'light' | 'full'

const KEYWORDS: ReadonlySet<string> = new Set([
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'UNION', 'ALL', 'DISTINCT',
  'AS', 'ON', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'CROSS', 'SEMI', 'ANTI', 'USING', 'AND', 'OR',
  'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'RLIKE', 'REGEXP', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'ASC',
  'DESC', 'WITH', 'OVER', 'PARTITION', 'ROWS', 'RANGE', 'INTERVAL', 'EXISTS', 'TRUE', 'FALSE', 'CAST', 'LATERAL',
  'EXCEPT', 'INTERSECT', 'MINUS', 'DIV', 'MOD', 'XOR', 'NULLS', 'FIRST', 'LAST', 'UNBOUNDED', 'PRECEDING',
  'FOLLOWING', 'CURRENT', 'ROW', 'WINDOW', 'QUALIFY', 'VALUES',
  'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'MILLISECOND', 'MICROSECOND',
])

/** Keywords that end a SELECT list at its own nesting depth. */
const LIST_END: ReadonlySet<string> = new Set([
  'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WINDOW', 'QUALIFY',
])

/** Keywords after which `(` opens a grouping (not a call, a subquery or an IN list). */
const GROUPING_AFTER: ReadonlySet<string> = new Set([
  'SELECT', 'WHERE', 'ON', 'AND', 'OR', 'HAVING', 'WHEN', 'THEN', 'ELSE', 'BY', 'NOT', 'DISTINCT', 'CASE', 'XOR',
])

/** Keywords before which a whole condition ends. */
const CONDITION_END: ReadonlySet<string> = new Set([
  'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WHERE', 'JOIN', 'INNER', 'LEFT',
  'RIGHT', 'FULL', 'CROSS', 'THEN', 'WINDOW', 'QUALIFY', 'SEMI', 'ANTI',
])

const toCanonical = (t: Token, mode: QueryCanonicalMode, next: Token | undefined): CanonicalToken => {
  switch (t.kind) {
    case 'word': {
      const upper = t.value.toUpperCase()
      if (KEYWORDS.has(upper)) return { k: 'kw', v: upper }
      const isCall = next?.kind === 'punct' && next.value === '('
      return { k: 'id', v: mode === 'full' || isCall ? t.value.toLowerCase() : t.value }
    }
    case 'quoted':
      return { k: 'id', v: mode === 'full' ? t.value.toLowerCase() : t.value }
    case 'string':
      return { k: 'str', v: t.value }
    case 'number':
      return { k: 'num', v: t.value }
    default:
      return { k: 'op', v: t.value }
  }
}

const isOp = (t: CanonicalToken | undefined, v: string): boolean => t !== undefined && t.k === 'op' && t.v === v
const isKw = (t: CanonicalToken | undefined, v: string): boolean => t !== undefined && t.k === 'kw' && t.v === v

/** `a.b.c` → `c`, `t.*` → `*`. */
const dropQualifiers = (tokens: readonly CanonicalToken[]): CanonicalToken[] => {
  const out: CanonicalToken[] = []
  for (const t of tokens) {
    const prev = out[out.length - 1]
    const prevPrev = out[out.length - 2]
    if ((t.k === 'id' || isOp(t, '*')) && isOp(prev, '.') && prevPrev?.k === 'id') {
      out.length -= 2
    }
    out.push(t)
  }
  return out
}

/** `INNER JOIN` → `JOIN`; `LEFT|RIGHT|FULL OUTER JOIN` → `LEFT|RIGHT|FULL JOIN`. */
const joinSpellings = (tokens: readonly CanonicalToken[]): CanonicalToken[] => {
  const out: CanonicalToken[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as CanonicalToken
    if (isKw(t, 'INNER') && isKw(tokens[i + 1], 'JOIN')) continue
    if (isKw(t, 'OUTER') && isKw(tokens[i + 1], 'JOIN') && ['LEFT', 'RIGHT', 'FULL'].some((k) => isKw(out[out.length - 1], k))) continue
    out.push(t)
  }
  return out
}

/** Index of the `)` matching the `(` at `open`, or -1. */
const matching = (tokens: readonly CanonicalToken[], open: number): number => {
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], '(')) depth++
    else if (isOp(tokens[i], ')')) {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

/** Split at `sep` tokens at nesting depth 0. */
const splitTopLevel = (tokens: readonly CanonicalToken[], sep: string): CanonicalToken[][] => {
  const parts: CanonicalToken[][] = [[]]
  let depth = 0
  for (const t of tokens) {
    if (isOp(t, '(')) depth++
    else if (isOp(t, ')')) depth--
    if (depth === 0 && isOp(t, sep)) parts.push([])
    else (parts[parts.length - 1] as CanonicalToken[]).push(t)
  }
  return parts
}

/** End (exclusive) of the SELECT list starting at `from`. */
const selectListEnd = (tokens: readonly CanonicalToken[], from: number): number => {
  let depth = 0
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i] as CanonicalToken
    if (isOp(t, '(')) depth++
    else if (isOp(t, ')')) {
      if (depth === 0) return i
      depth--
    } else if (depth === 0 && ((t.k === 'kw' && LIST_END.has(t.v)) || isOp(t, ';'))) return i
  }
  return tokens.length
}

/** Split a select item into its expression and its alias (explicit `AS x` or implicit `expr x`). */
const splitAlias = (item: readonly CanonicalToken[]): { expr: CanonicalToken[]; alias?: string } => {
  const last = item[item.length - 1]
  const before = item[item.length - 2]
  if (last?.k === 'id' && item.length >= 2) {
    if (isKw(before, 'AS')) return { expr: item.slice(0, -2), alias: last.v }
    const implicit =
      before !== undefined &&
      (before.k === 'id' || before.k === 'str' || before.k === 'num' || isOp(before, ')') || isKw(before, 'END'))
    if (implicit) return { expr: item.slice(0, -1), alias: last.v }
  }
  return { expr: [...item] }
}

const render = (tokens: readonly CanonicalToken[]): string =>
  tokens.map((t) => (t.k === 'str' ? JSON.stringify(t.v) : t.v)).join(' ')

/** Canonical text of an alias read as an expression (the server names unaliased items by their text). */
const aliasAsExpression = (alias: string): string | undefined => {
  try {
    return render(canonicalTokens(alias, 'full'))
  } catch {
    return undefined
  }
}

/** Drop aliases that only repeat their expression's text; keep the rest as `expr AS alias`. */
const implicitAliases = (tokens: readonly CanonicalToken[]): CanonicalToken[] => {
  const out: CanonicalToken[] = []
  let i = 0
  while (i < tokens.length) {
    const t = tokens[i] as CanonicalToken
    out.push(t)
    i++
    if (!isKw(t, 'SELECT')) continue
    while (isKw(tokens[i], 'DISTINCT') || isKw(tokens[i], 'ALL')) out.push(tokens[i++] as CanonicalToken)
    const end = selectListEnd(tokens, i)
    const items = splitTopLevel(tokens.slice(i, end), ',')
    items.forEach((item, n) => {
      if (n > 0) out.push({ k: 'op', v: ',' })
      const { expr, alias } = splitAlias(implicitAliases(item))
      out.push(...expr)
      if (alias !== undefined) {
        const exprText = render(expr)
        const implied = alias === exprText || aliasAsExpression(alias) === exprText || (expr.length === 1 && expr[0]?.k === 'id' && expr[0].v === alias)
        if (!implied) out.push({ k: 'kw', v: 'AS' }, { k: 'id', v: alias })
      }
    })
    i = end
  }
  return out
}

/** True when `tokens[from, to)` is one primary: a name, a literal, a call, a parenthesised group or a CASE. */
const isPrimary = (tokens: readonly CanonicalToken[], from: number, to: number): boolean => {
  if (to - from === 1) {
    const t = tokens[from] as CanonicalToken
    return t.k === 'id' || t.k === 'str' || t.k === 'num' || isOp(t, '*') || isKw(t, 'NULL') || isKw(t, 'TRUE') || isKw(t, 'FALSE')
  }
  const first = tokens[from]
  if (isOp(first, '(')) return matching(tokens, from) === to - 1
  if (first?.k === 'id' && isOp(tokens[from + 1], '(')) return matching(tokens, from + 1) === to - 1
  if (isKw(first, 'CASE') && isKw(tokens[to - 1], 'END')) {
    let depth = 0
    for (let i = from; i < to; i++) {
      if (isKw(tokens[i], 'CASE')) depth++
      else if (isKw(tokens[i], 'END') && --depth === 0) return i === to - 1
    }
  }
  return false
}

const hasTopLevel = (tokens: readonly CanonicalToken[], from: number, to: number, test: (t: CanonicalToken) => boolean): boolean => {
  let depth = 0
  for (let i = from; i < to; i++) {
    const t = tokens[i] as CanonicalToken
    if (isOp(t, '(')) depth++
    else if (isOp(t, ')')) depth--
    else if (depth === 0 && test(t)) return true
  }
  return false
}

/** Remove parentheses that group nothing: around one primary, a whole condition, or a comparison between AND/OR. */
const redundantParentheses = (input: readonly CanonicalToken[]): CanonicalToken[] => {
  let tokens = [...input]
  for (let changed = true; changed; ) {
    changed = false
    for (let i = 0; i < tokens.length; i++) {
      if (!isOp(tokens[i], '(')) continue
      const prev = tokens[i - 1]
      const grouping =
        prev === undefined || (prev.k === 'op' && prev.v !== ')') || (prev.k === 'kw' && GROUPING_AFTER.has(prev.v))
      if (!grouping) continue
      const close = matching(tokens, i)
      if (close < 0) continue
      const next = tokens[close + 1]
      const atEnd = next === undefined || isOp(next, ')') || isOp(next, ';') || (next.k === 'kw' && CONDITION_END.has(next.v))
      const prevCondition = prev !== undefined && prev.k === 'kw' && ['WHERE', 'ON', 'HAVING', 'WHEN'].includes(prev.v)
      const prevLogical = prevCondition || isKw(prev, 'AND') || isKw(prev, 'OR')
      const nextLogical = atEnd || isKw(next, 'AND') || isKw(next, 'OR')
      const content = (t: CanonicalToken): boolean => (t.k === 'kw' && ['AND', 'OR', 'SELECT', 'BETWEEN', 'XOR'].includes(t.v)) || isOp(t, ',')
      const drop =
        (isPrimary(tokens, i + 1, close) && !hasTopLevel(tokens, i + 1, close, (t) => isKw(t, 'SELECT'))) ||
        (isOp(prev, '(') && isOp(next, ')')) ||
        (prevCondition && atEnd && !hasTopLevel(tokens, i + 1, close, (t) => isKw(t, 'SELECT'))) ||
        (prevLogical && nextLogical && !hasTopLevel(tokens, i + 1, close, content))
      if (drop) {
        tokens = [...tokens.slice(0, i), ...tokens.slice(i + 1, close), ...tokens.slice(close + 1)]
        changed = true
        break
      }
    }
  }
  return tokens
}

/**
 * The canonical tokens of a query (or any SQL text) in the given mode. Throws `PARSE_ERROR` on
 * unterminated quotes or comments.
 */
export const canonicalTokens = (query: string, mode: QueryCanonicalMode): CanonicalToken[] => {
  const sig = significant(tokenize(query))
  while (sig.length > 0 && sig[sig.length - 1]?.kind === 'punct' && sig[sig.length - 1]?.value === ';') sig.pop()
  let tokens = sig.map((t, i) => toCanonical(t, mode, sig[i + 1]))
  if (mode === 'light') return tokens
  tokens = dropQualifiers(tokens)
  tokens = joinSpellings(tokens)
  tokens = implicitAliases(tokens)
  tokens = tokens.filter((t) => !isKw(t, 'AS') && !isKw(t, 'ASC'))
  tokens = redundantParentheses(tokens)
  return tokens
}

/**
 * A query's canonical text: its canonical tokens separated by single spaces.
 *
 * @example
 * ```ts
 * canonicalQuery('select t1.k1, sum(v) from db.t1 group by k1;', 'full')
 * // 'SELECT k1 , sum ( v ) FROM t1 GROUP BY k1'
 * ```
 */
export const canonicalQuery = (query: string, mode: QueryCanonicalMode = 'full'): string => render(canonicalTokens(query, mode))

/** The result of comparing two queries. */
export interface QueryComparison {
  readonly equal: boolean
  /** The canonical texts compared. */
  readonly from: string
  readonly to: string
  /** True when the two differ only by `SELECT *` against an expanded column list (a decision made on the column names). */
  readonly starExpansion: boolean
}

const isStarList = (tokens: readonly CanonicalToken[]): boolean => tokens.length === 1 && isOp(tokens[0], '*')

/** The top-level SELECT list and the rest, for a query that starts with SELECT. */
const selectParts = (tokens: readonly CanonicalToken[]): { list: CanonicalToken[]; rest: CanonicalToken[] } | undefined => {
  if (!isKw(tokens[0], 'SELECT')) return undefined
  const end = selectListEnd(tokens, 1)
  return { list: tokens.slice(1, end), rest: tokens.slice(end) }
}

/**
 * `SELECT * FROM x` against `SELECT a, b FROM x`: equal when the rest of both queries is equal and
 * the expanded list is plain column names equal to the expanded side's column list (which the
 * server derives from the query). Without a column list, it cannot be decided.
 */
const starEquivalent = (
  star: readonly CanonicalToken[],
  expanded: readonly CanonicalToken[],
  expandedColumns: readonly string[] | undefined,
): boolean => {
  const s = selectParts(star)
  const e = selectParts(expanded)
  if (s === undefined || e === undefined || !isStarList(s.list) || expandedColumns === undefined) return false
  if (render(s.rest) !== render(e.rest)) return false
  const items = splitTopLevel(e.list, ',')
  if (!items.every((item) => item.length === 1 && item[0]?.k === 'id')) return false
  const names = items.map((item) => (item[0] as CanonicalToken).v)
  return names.length === expandedColumns.length && names.every((n, i) => n === expandedColumns[i]?.toLowerCase())
}

/**
 * Compare two queries by their canonical forms. In `full` mode, `SELECT *` equals an expanded
 * list when the expanded side's column list (`columns`) names exactly the expanded items.
 */
export const compareQueries = (
  from: string,
  to: string,
  mode: QueryCanonicalMode,
  columns: { readonly from?: readonly string[]; readonly to?: readonly string[] } = {},
): QueryComparison => {
  // the same text has the same canonical form (most queries of a plan did not change)
  const fromText = canonicalText(from, mode)
  const toText = from === to ? fromText : canonicalText(to, mode)
  if (fromText === toText) return { equal: true, from: fromText, to: toText, starExpansion: false }
  if (mode === 'full') {
    const a = canonicalTokens(from, mode)
    const b = canonicalTokens(to, mode)
    if (starEquivalent(a, b, columns.to) || starEquivalent(b, a, columns.from)) return { equal: true, from: fromText, to: toText, starExpansion: true }
  }
  return { equal: false, from: fromText, to: toText, starExpansion: false }
}

/**
 * Canonical texts by query text, one map per mode, bounded in entries and in characters (a
 * long-lived process may compare many large queries): a plan and its reverse (a migration's
 * `down()`) compare the same changed queries, so each is tokenized once.
 */
const canonicalTexts: Readonly<Record<QueryCanonicalMode, { readonly texts: Map<string, string>; chars: number }>> = {
  light: { texts: new Map(), chars: 0 },
  full: { texts: new Map(), chars: 0 },
}
const CANONICAL_TEXT_LIMIT = 20_000
const CANONICAL_CHARS_LIMIT = 8_000_000

/** {@link canonicalQuery}, kept for the next comparison of the same text (a text that does not tokenize throws, and is not kept). */
const canonicalText = (query: string, mode: QueryCanonicalMode): string => {
  const cache = mode === 'light' || mode === 'full' ? canonicalTexts[mode] : undefined
  let text = cache?.texts.get(query)
  if (text === undefined) {
    text = render(canonicalTokens(query, mode))
    const chars = query.length + text.length
    if (cache !== undefined && chars <= CANONICAL_CHARS_LIMIT) {
      if (cache.texts.size >= CANONICAL_TEXT_LIMIT || cache.chars + chars > CANONICAL_CHARS_LIMIT) {
        cache.texts.clear()
        cache.chars = 0
      }
      cache.texts.set(query, text)
      cache.chars += chars
    }
  }
  return text
}

/** True when a query selects `*` (at any level): such a query may be printed back expanded. */
export const usesStar = (query: string): boolean => {
  const tokens = canonicalTokens(query, 'light')
  return tokens.some((t, i) => isOp(t, '*') && (isKw(tokens[i - 1], 'SELECT') || isOp(tokens[i - 1], '.') || isOp(tokens[i - 1], ',')))
}

/** Canonical text of an SQL expression (a partition expression, say), in `full` mode without the SELECT rules. */
export const canonicalExpressionText = (expression: string): string => {
  let tokens = canonicalTokens(expression, 'light').map((t) => (t.k === 'id' ? { k: t.k, v: t.v.toLowerCase() } : t))
  tokens = redundantParentheses(dropQualifiers(tokens))
  return render(tokens)
}

/**
 * A query laid out one clause per line with single spaces, for readable line diffs of two
 * queries whatever their original layout.
 */
export const layoutQuery = (query: string): string => {
  const sig = significant(tokenize(query))
  while (sig.length > 0 && sig[sig.length - 1]?.kind === 'punct' && sig[sig.length - 1]?.value === ';') sig.pop()
  const breakBefore = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'EXCEPT', 'INTERSECT'])
  const lines: string[] = []
  let line = ''
  let depth = 0
  let prev: Token | undefined
  for (const t of sig) {
    const upper = t.kind === 'word' ? t.value.toUpperCase() : ''
    const joinContinues = (upper === 'JOIN' || upper === 'OUTER') && prev?.kind === 'word' && ['INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'SEMI', 'ANTI'].includes(prev.value.toUpperCase())
    if (depth === 0 && breakBefore.has(upper) && !joinContinues && line !== '') {
      lines.push(line)
      line = ''
    }
    const tight = line === '' || t.text === ',' || t.text === ')' || t.text === '.' || prev?.text === '(' || prev?.text === '.' || (t.text === '(' && (prev?.kind === 'word' || prev?.kind === 'quoted'))
    line += (tight ? '' : ' ') + t.text
    if (t.kind === 'punct' && t.value === '(') depth++
    if (t.kind === 'punct' && t.value === ')') depth = Math.max(0, depth - 1)
    prev = t
  }
  if (line !== '') lines.push(line)
  return lines.join('\n') + '\n'
}
