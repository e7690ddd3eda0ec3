import { StarRocksMvError } from '../errors.js'
import {
  INDEX_KINDS,
  INTERVAL_UNITS,
  MvDefinition,
  type Distribution,
  type IndexKind,
  type Interval,
  type IntervalUnit,
  type MvColumn,
  type MvIndex,
  type RefreshSpec,
} from '../model/index.js'
import { quoteIdentifier } from '../sql/index.js'
import { canonicalExpression, isPlainIdentifier } from './canonical-expression.js'
import { parseError } from './parse-error.js'
import { queryDependencies } from './query-dependencies.js'
import { isKeyword, tokenize, type Token } from './tokenizer.js'

/** The comment old StarRocks versions print when the user gave none: not a user comment. */
export const DEFAULT_MV_COMMENT = 'MATERIALIZED_VIEW'

/** Words that start a clause between the MV name and `AS`. */
const CLAUSE_STARTS = ['COMMENT', 'PARTITION', 'DISTRIBUTED', 'ORDER', 'REFRESH', 'PROPERTIES', 'AS'] as const

const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.value === p
const isIdent = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'word' || t.kind === 'quoted')

/** A cursor over the significant tokens of one statement; `context` names the statement in errors. */
export class Cursor {
  readonly #source: string
  readonly #toks: readonly Token[]
  readonly #context: string
  #i = 0

  constructor(source: string, toks: readonly Token[], context = 'CREATE MATERIALIZED VIEW') {
    this.#source = source
    this.#toks = toks
    this.#context = context
    // `` names nothing, and StarRocks refuses it anywhere: refused here, once for every clause
    const empty = toks.find((t) => t.kind === 'quoted' && t.value === '')
    if (empty !== undefined) this.fail('a name inside the back quotes (`` is empty)', empty)
  }

  get index(): number {
    return this.#i
  }
  peek(k = 0): Token | undefined {
    return this.#toks[this.#i + k]
  }
  next(): Token | undefined {
    const t = this.#toks[this.#i]
    if (t !== undefined) this.#i++
    return t
  }
  slice(from: number, to: number): Token[] {
    return this.#toks.slice(from, to)
  }
  get length(): number {
    return this.#toks.length
  }
  at(i: number): Token | undefined {
    return this.#toks[i]
  }
  seek(i: number): void {
    this.#i = i
  }
  fail(expected: string, found: Token | undefined = this.peek()): never {
    throw parseError(this.#source, expected, found, this.#context)
  }
  keyword(kw: string, expected = kw): Token {
    const t = this.peek()
    if (!isKeyword(t, kw)) this.fail(expected)
    return this.next() as Token
  }
  accept(kw: string): boolean {
    if (isKeyword(this.peek(), kw)) {
      this.#i++
      return true
    }
    return false
  }
  punct(p: string, expected = `"${p}"`): Token {
    if (!isPunct(this.peek(), p)) this.fail(expected)
    return this.next() as Token
  }
  acceptPunct(p: string): boolean {
    if (isPunct(this.peek(), p)) {
      this.#i++
      return true
    }
    return false
  }
  identifier(expected = 'a name'): string {
    const t = this.peek()
    if (!isIdent(t)) this.fail(expected)
    this.#i++
    return t.value
  }
  string(expected = 'a quoted string'): string {
    const t = this.peek()
    if (t?.kind !== 'string') this.fail(expected)
    this.#i++
    return t.value
  }
  /** Index just past the `)` matching the `(` at `open` (or fail at the end). */
  matching(open: number): number {
    let depth = 0
    for (let i = open; i < this.#toks.length; i++) {
      const t = this.#toks[i]
      if (isPunct(t, '(')) depth++
      else if (isPunct(t, ')')) {
        depth--
        if (depth === 0) return i
      }
    }
    return this.fail('a closing ")"', undefined)
  }
}

/** Split tokens on commas at parenthesis depth 0. */
export const splitTopLevel = (toks: readonly Token[]): Token[][] => {
  const parts: Token[][] = [[]]
  let depth = 0
  for (const t of toks) {
    if (isPunct(t, '(')) depth++
    else if (isPunct(t, ')')) depth--
    if (depth === 0 && isPunct(t, ',')) parts.push([])
    else (parts[parts.length - 1] as Token[]).push(t)
  }
  return parts
}

/** The `(` at `toks[0]` closes at the last token. */
const wrappedInParens = (toks: readonly Token[]): boolean => {
  if (!isPunct(toks[0], '(') || !isPunct(toks[toks.length - 1], ')')) return false
  let depth = 0
  for (let i = 0; i < toks.length; i++) {
    if (isPunct(toks[i], '(')) depth++
    else if (isPunct(toks[i], ')')) {
      depth--
      if (depth === 0 && i < toks.length - 1) return false
    }
  }
  return true
}

/** One partition expression in canonical text: a quoted column, or a canonical expression. */
export const partitionEntry = (toks: readonly Token[]): string =>
  isPlainIdentifier(toks)
    ? toks.filter((t) => !isPunct(t, '.')).map((t) => quoteIdentifier(t.value)).join('.')
    : canonicalExpression(toks)

interface Clauses {
  comment?: string
  partitionBy?: string[]
  distribution?: Distribution
  orderBy?: string[]
  refresh?: RefreshSpec
  refreshSync?: boolean
  properties?: Record<string, string>
}

/** `INDEX name (cols) [USING kind [("k" = "v", ...)]] [COMMENT 'text']`, one entry of a column list. */
const parseIndex = (c: Cursor, item: readonly Token[], end: Token | undefined): MvIndex => {
  let i = 1
  const at = (): Token | undefined => item[i] ?? end
  const nameTok = item[i]
  if (!isIdent(nameTok)) return c.fail('an index name after INDEX', at())
  i++
  if (!isPunct(item[i], '(')) return c.fail('"(" and the indexed columns', at())
  i++
  const columns: string[] = []
  for (;;) {
    const t = item[i]
    if (!isIdent(t)) return c.fail('an indexed column', at())
    columns.push(t.value)
    i++
    if (isPunct(item[i], ',')) i++
    else if (isPunct(item[i], ')')) break
    else return c.fail('"," or ")" in the indexed columns', at())
  }
  i++
  let using: IndexKind | undefined
  let properties: Record<string, string> | undefined
  if (isKeyword(item[i], 'USING')) {
    i++
    const kind = item[i]?.value.toUpperCase()
    if (kind === undefined || !(INDEX_KINDS as readonly string[]).includes(kind)) return c.fail(`an index kind (${INDEX_KINDS.join(', ')})`, at())
    using = kind as IndexKind
    i++
    if (isPunct(item[i], '(')) {
      i++
      properties = {}
      for (;;) {
        const k = item[i]
        if (k?.kind !== 'string') return c.fail('a quoted index property name', at())
        i++
        if (!isPunct(item[i], '=')) return c.fail('"=" after the index property name', at())
        i++
        const v = item[i]
        if (v?.kind !== 'string') return c.fail('a quoted index property value', at())
        properties[k.value] = v.value
        i++
        if (isPunct(item[i], ',')) i++
        else if (isPunct(item[i], ')')) break
        else return c.fail('"," or ")" in the index properties', at())
      }
      i++
    }
  }
  let comment: string | undefined
  if (isKeyword(item[i], 'COMMENT')) {
    i++
    const t = item[i]
    if (t?.kind !== 'string') return c.fail('a quoted index comment', at())
    comment = t.value
    i++
  }
  if (i < item.length) return c.fail('"," or ")" after the index', item[i])
  return {
    name: nameTok.value,
    columns,
    ...(using === undefined ? {} : { using }),
    ...(properties === undefined ? {} : { properties }),
    ...(comment === undefined ? {} : { comment }),
  }
}

const parseColumns = (c: Cursor, source: string): { columns: MvColumn[]; indexes: MvIndex[] } => {
  const open = c.index
  const close = c.matching(open)
  const items = splitTopLevel(c.slice(open + 1, close))
  const columns: MvColumn[] = []
  const indexes: MvIndex[] = []
  for (const item of items) {
    const first = item[0]
    if (first === undefined) c.fail('a column name', c.at(close))
    // An index, after the columns: INDEX name (cols) [USING kind [(props)]] [COMMENT ''].
    if (isKeyword(first, 'INDEX') && isIdent(item[1]) && item.length > 2) {
      indexes.push(parseIndex(c, item, c.at(close)))
      continue
    }
    const commentAt = item.findIndex((t, i) => i > 0 && isKeyword(t, 'COMMENT'))
    const nameToks = commentAt < 0 ? item : item.slice(0, commentAt)
    let comment: string | undefined
    if (commentAt >= 0) {
      const s = item[commentAt + 1]
      if (s?.kind !== 'string') c.fail('a quoted column comment', s ?? c.at(close))
      if (item.length > commentAt + 2) c.fail('"," or ")" after the column comment', item[commentAt + 2])
      comment = s.value
    }
    const last = nameToks[nameToks.length - 1] as Token
    // A single name, or the text of an old-style expression entry such as `count(v1)`.
    const name = nameToks.length === 1 && isIdent(first) ? first.value : source.slice(first.start, last.end)
    columns.push(comment === undefined ? { name } : { name, comment })
  }
  c.seek(close + 1)
  return { columns, indexes }
}

/**
 * Where the clause that starts at the cursor ends: the index of the next token, outside parentheses,
 * that is one of the `clauses` keywords (or the end), and the parenthesis depth reached there.
 */
export const clauseEnd = (c: Cursor, clauses: readonly string[]): { readonly end: number; readonly depth: number } => {
  let depth = 0
  let i = c.index
  for (; i < c.length; i++) {
    const t = c.at(i) as Token
    if (isPunct(t, '(')) depth++
    else if (isPunct(t, ')')) depth--
    else if (depth === 0 && clauses.some((k) => isKeyword(t, k))) break
  }
  return { end: i, depth }
}

const parsePartitionBy = (c: Cursor): string[] => {
  const from = c.index
  const { end: i, depth } = clauseEnd(c, CLAUSE_STARTS)
  const toks = c.slice(from, i)
  if (toks.length === 0) c.fail('a partition column or expression after PARTITION BY', c.at(i))
  if (depth !== 0) c.fail('a closing ")" in PARTITION BY', c.at(i))
  const list = wrappedInParens(toks) ? toks.slice(1, -1) : toks
  const entries = splitTopLevel(list)
  for (const e of entries) {
    if (e.length === 0) c.fail('a partition column or expression', c.at(i))
  }
  c.seek(i)
  return entries.map(partitionEntry)
}

/** `a, b, c`: names separated by commas. */
export const identifierList = (c: Cursor, what: string): string[] => {
  const names: string[] = []
  do {
    names.push(c.identifier(`a column name in ${what}`))
  } while (c.acceptPunct(','))
  return names
}

const parseBuckets = (c: Cursor): number | undefined => {
  if (!c.accept('BUCKETS')) return undefined
  const t = c.peek()
  if (t?.kind !== 'number' || !/^\d+$/.test(t.value)) c.fail('a whole number of buckets after BUCKETS')
  c.next()
  return Number(t.value)
}

/** `HASH(cols) [BUCKETS n]` or `RANDOM [BUCKETS n]` (cursor after DISTRIBUTED BY). */
export const parseDistribution = (c: Cursor): Distribution => {
  if (c.accept('HASH')) {
    c.punct('(', '"(" after HASH')
    const columns = identifierList(c, 'DISTRIBUTED BY HASH')
    c.punct(')', '"," or ")" in DISTRIBUTED BY HASH(...)')
    const buckets = parseBuckets(c)
    return buckets === undefined ? { kind: 'hash', columns } : { kind: 'hash', columns, buckets }
  }
  if (c.accept('RANDOM')) {
    const buckets = parseBuckets(c)
    return buckets === undefined ? { kind: 'random' } : { kind: 'random', buckets }
  }
  return c.fail('HASH(...) or RANDOM after DISTRIBUTED BY')
}

const parseInterval = (c: Cursor): Interval => {
  c.keyword('INTERVAL', 'INTERVAL in EVERY(INTERVAL n unit)')
  const n = c.peek()
  const digits = n?.kind === 'number' || n?.kind === 'string' ? n.value.trim() : ''
  if (!/^\d+$/.test(digits)) c.fail('a whole number in EVERY(INTERVAL n unit)')
  c.next()
  const u = c.peek()
  const unit = u?.kind === 'word' ? u.value.toUpperCase() : ''
  if (!(INTERVAL_UNITS as readonly string[]).includes(unit)) c.fail(`an interval unit (${INTERVAL_UNITS.join(', ')})`)
  c.next()
  return { value: Number(digits), unit: unit as IntervalUnit }
}

/** `[START('...')] [EVERY(INTERVAL n unit)]` after ASYNC or SCHEDULE. */
const parseTiming = (c: Cursor): { start?: string; every?: Interval } => {
  const out: { start?: string; every?: Interval } = {}
  if (c.accept('START')) {
    c.punct('(', '"(" after START')
    out.start = c.string('a quoted start time in START(...)')
    c.punct(')', '")" after the start time')
  }
  if (c.accept('EVERY')) {
    c.punct('(', '"(" after EVERY')
    out.every = parseInterval(c)
    c.punct(')', '")" after the interval')
  }
  return out
}

const parseRefresh = (c: Cursor, clauses: Clauses): void => {
  let deferred = false
  if (c.accept('DEFERRED')) deferred = true
  else c.accept('IMMEDIATE')
  const schemes = 'a refresh scheme (ASYNC, SCHEDULE, ON_CHANGE or MANUAL)'
  const t = c.peek()
  if (isKeyword(t, 'ASYNC')) {
    c.next()
    const { start, every } = parseTiming(c)
    clauses.refresh = { kind: 'async', deferred, ...(start === undefined ? {} : { start }), ...(every === undefined ? {} : { every }) }
  } else if (isKeyword(t, 'SCHEDULE')) {
    c.next()
    const { start, every } = parseTiming(c)
    if (every === undefined) c.fail('EVERY(INTERVAL n unit) after SCHEDULE')
    clauses.refresh = { kind: 'async', deferred, ...(start === undefined ? {} : { start }), every }
  } else if (isKeyword(t, 'ON_CHANGE')) {
    c.next()
    clauses.refresh = { kind: 'async', deferred }
  } else if (isKeyword(t, 'MANUAL')) {
    c.next()
    clauses.refresh = { kind: 'manual', deferred }
  } else if (isKeyword(t, 'SYNC')) {
    c.next()
    clauses.refreshSync = true
  } else if (isKeyword(t, 'INCREMENTAL')) {
    c.fail(`${schemes}; REFRESH INCREMENTAL (an experimental 2.x scheme) is not supported`)
  } else {
    c.fail(schemes)
  }
}

/** `("k" = "v", ...)` (cursor after PROPERTIES). */
export const parseProperties = (c: Cursor): Record<string, string> => {
  c.punct('(', '"(" after PROPERTIES')
  const props: Record<string, string> = {}
  if (c.acceptPunct(')')) return props
  do {
    const k = c.peek()
    if (k?.kind !== 'string' && !isIdent(k)) c.fail('a quoted property name')
    c.next()
    c.punct('=', `"=" after the property name ${JSON.stringify(k.value)}`)
    const v = c.peek()
    if (v === undefined || !(v.kind === 'string' || v.kind === 'number' || v.kind === 'word')) c.fail(`a quoted value for property ${JSON.stringify(k.value)}`)
    c.next()
    props[k.value] = v.value
  } while (c.acceptPunct(','))
  c.punct(')', '"," or ")" in PROPERTIES')
  return props
}

/**
 * Parse the tokens `[from, to)` of `source` as one CREATE MATERIALIZED VIEW statement (trailing `;`
 * excluded). `toks` holds every token of `source`, whitespace included.
 */
const parseStatement = (source: string, toks: readonly Token[]): MvDefinition => {
  const sig = toks.filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment')
  const c: Cursor = new Cursor(source, sig)
  c.keyword('CREATE', 'CREATE MATERIALIZED VIEW')
  if (isKeyword(c.peek(), 'OR')) {
    c.fail('MATERIALIZED VIEW (StarRocks has no CREATE OR REPLACE MATERIALIZED VIEW: drop and create, or create a new MV and SWAP WITH)')
  }
  c.keyword('MATERIALIZED', 'MATERIALIZED VIEW after CREATE')
  c.keyword('VIEW', 'VIEW after CREATE MATERIALIZED')
  if (c.accept('IF')) {
    c.keyword('NOT', 'NOT EXISTS after IF')
    c.keyword('EXISTS', 'EXISTS after IF NOT')
  }
  const parts = [c.identifier('the materialized view name')]
  while (c.acceptPunct('.')) parts.push(c.identifier('a name after "."'))
  if (parts.length > 3) c.fail('a name of at most catalog.database.view', sig[c.index - 1])
  const name = parts[parts.length - 1] as string
  const schema = parts.length >= 2 ? parts[parts.length - 2] : undefined

  const list = isPunct(c.peek(), '(') ? parseColumns(c, source) : undefined
  const columns = list?.columns
  const indexes = list === undefined || list.indexes.length === 0 ? undefined : list.indexes

  const clauses: Clauses = {}
  const seen = new Set<string>()
  const once = (clause: string, t: Token): void => {
    if (seen.has(clause)) c.fail(`each clause at most once (${clause} is repeated)`, t)
    seen.add(clause)
  }
  let asToken: Token | undefined
  let partitionToken: Token | undefined
  while (asToken === undefined) {
    const t = c.peek()
    if (isKeyword(t, 'AS')) {
      asToken = c.next()
    } else if (isKeyword(t, 'COMMENT')) {
      once('COMMENT', c.next() as Token)
      const text = c.string('a quoted comment after COMMENT')
      if (text !== DEFAULT_MV_COMMENT) clauses.comment = text
    } else if (isKeyword(t, 'PARTITION')) {
      partitionToken = c.next() as Token
      once('PARTITION BY', partitionToken)
      c.keyword('BY', 'BY after PARTITION')
      clauses.partitionBy = parsePartitionBy(c)
    } else if (isKeyword(t, 'DISTRIBUTED')) {
      once('DISTRIBUTED BY', c.next() as Token)
      c.keyword('BY', 'BY after DISTRIBUTED')
      clauses.distribution = parseDistribution(c)
    } else if (isKeyword(t, 'ORDER')) {
      once('ORDER BY', c.next() as Token)
      c.keyword('BY', 'BY after ORDER')
      const paren = c.acceptPunct('(')
      clauses.orderBy = identifierList(c, 'ORDER BY')
      if (paren) c.punct(')', '"," or ")" in ORDER BY (...)')
    } else if (isKeyword(t, 'REFRESH')) {
      once('REFRESH', c.next() as Token)
      parseRefresh(c, clauses)
    } else if (isKeyword(t, 'PROPERTIES')) {
      once('PROPERTIES', c.next() as Token)
      clauses.properties = parseProperties(c)
    } else {
      c.fail(
        seen.size === 0 && columns === undefined
          ? 'a column list, a clause (COMMENT, PARTITION BY, DISTRIBUTED BY, ORDER BY, REFRESH, PROPERTIES) or AS'
          : 'a clause (COMMENT, PARTITION BY, DISTRIBUTED BY, ORDER BY, REFRESH, PROPERTIES) or AS',
      )
    }
  }

  const queryToks = sig.slice(c.index)
  const last = queryToks[queryToks.length - 1]
  if (last === undefined) c.fail('the query after AS')
  const query = source.slice(asToken.end, last.end).trim()

  // StarRocks's own rule: no REFRESH and no DISTRIBUTED BY is the old (synchronous) syntax.
  const sync = clauses.refreshSync === true || (clauses.refresh === undefined && clauses.distribution === undefined)
  if (sync && partitionToken !== undefined) {
    throw new StarRocksMvError(
      'PARSE_ERROR',
      `Cannot parse CREATE MATERIALIZED VIEW at line ${partitionToken.line}, column ${partitionToken.column}: ` +
        `materialized view ${JSON.stringify(name)} has PARTITION BY but neither REFRESH nor DISTRIBUTED BY, which makes it a ` +
        'synchronous MV, and StarRocks forbids PARTITION BY there. Add a REFRESH or DISTRIBUTED BY clause to make it asynchronous.',
      { name, line: partitionToken.line, column: partitionToken.column, expected: 'REFRESH or DISTRIBUTED BY with PARTITION BY', found: 'PARTITION' },
    )
  }

  return MvDefinition.create({
    name,
    ...(schema === undefined ? {} : { schema }),
    sync,
    ...(columns === undefined ? {} : { columns }),
    ...(indexes === undefined ? {} : { indexes }),
    ...(clauses.comment === undefined ? {} : { comment: clauses.comment }),
    ...(clauses.partitionBy === undefined ? {} : { partitionBy: clauses.partitionBy }),
    ...(clauses.distribution === undefined ? {} : { distribution: clauses.distribution }),
    ...(clauses.orderBy === undefined ? {} : { orderBy: clauses.orderBy }),
    ...(clauses.refresh === undefined ? {} : { refresh: clauses.refresh }),
    properties: clauses.properties ?? {},
    query,
    dependencies: queryDependencies(queryToks),
  })
}

/** Tokens of each `;`-separated statement that has code (comments and whitespace only: dropped). */
const statements = (toks: readonly Token[]): Token[][] => {
  const out: Token[][] = []
  let current: Token[] = []
  const flush = (): void => {
    if (current.some((t) => t.kind !== 'whitespace' && t.kind !== 'comment')) out.push(current)
    current = []
  }
  for (const t of toks) {
    if (isPunct(t, ';')) flush()
    else current.push(t)
  }
  flush()
  return out
}

/**
 * Parse one `CREATE MATERIALIZED VIEW` statement, as a user wrote it or as any StarRocks version
 * prints it (SHOW CREATE MATERIALIZED VIEW, `information_schema.materialized_views`), into an
 * {@link MvDefinition}. The parse is faithful: it records what the text says and adds nothing.
 *
 * - Clauses in any order; each at most once. Keywords in any case.
 * - Name: `[catalog.][db.]name`, bare or back-quoted; the database becomes `schema`. IF NOT EXISTS is accepted.
 * - Column list: bare or back-quoted names with optional `COMMENT '...'`; an old-style entry such as
 *   `count(v1)` becomes a column named by its text. `INDEX ...` entries after the columns become `indexes`.
 * - `COMMENT "MATERIALIZED_VIEW"` (what old versions print when no comment was given) is no comment.
 * - PARTITION BY: one entry per expression (`(a, b)` gives two); a column is stored back-quoted
 *   (`` `dt` ``), an expression in the canonical spelling of {@link canonicalExpression}
 *   (``date_trunc('month', `k1`)``). Parentheses and quotes are respected: `CAST(x AS DATE)` is whole.
 * - REFRESH: `[IMMEDIATE|DEFERRED]` then `ASYNC [START(..)] [EVERY(..)]`, `SCHEDULE [START(..)] EVERY(..)`
 *   (4.1+), `ON_CHANGE` (26.2+: async without `every`) or `MANUAL`. `start` is kept as written.
 * - Sync MVs: `REFRESH SYNC` (old servers), or neither REFRESH nor DISTRIBUTED BY (StarRocks's own
 *   rule for the old syntax) gives `sync: true` and no refresh. An MV with DISTRIBUTED BY but no
 *   REFRESH is asynchronous with `refresh` absent (the server's default is MANUAL).
 * - PROPERTIES: every value a string, as written (numbers and words are taken as their text).
 * - query: the text after `AS`, trimmed, without the trailing `;` (also ` ;`) or trailing comments.
 * - dependencies: best effort from the query's FROM and JOIN items (see {@link queryDependencies}).
 *
 * Malformed input throws `StarRocksMvError` with code `PARSE_ERROR`, the line and column, what was
 * expected and what was found (also in `details`).
 *
 * @example
 * ```ts
 * const def = parseMaterializedView(
 *   "CREATE MATERIALIZED VIEW shop.daily PARTITION BY date_trunc('day', dt) REFRESH ASYNC EVERY(INTERVAL 1 DAY) AS SELECT dt, sum(x) FROM orders GROUP BY dt;")
 * def.schema        // 'shop'
 * def.partitionBy   // ["date_trunc('day', `dt`)"]
 * def.refresh       // { kind: 'async', deferred: false, every: { value: 1, unit: 'DAY' } }
 * ```
 */
export const parseMaterializedView = (ddl: string): MvDefinition => {
  if (typeof ddl !== 'string') throw new TypeError('parseMaterializedView() takes the DDL text as a string.')
  const stmts = statements(tokenize(ddl))
  const [first, second] = stmts
  if (first === undefined) throw parseError(ddl, 'CREATE MATERIALIZED VIEW', undefined)
  if (second !== undefined) {
    const t = second.find((x) => x.kind !== 'whitespace' && x.kind !== 'comment')
    throw parseError(ddl, 'the end of the statement (this parses one statement; use parseMaterializedViews for a script)', t)
  }
  return parseStatement(ddl, first)
}

/**
 * Parse every `CREATE MATERIALIZED VIEW` statement of a script (statements split on `;` outside
 * quotes and comments), skipping other statements. `USE db` sets the database of the MVs that
 * follow it when they are not qualified, as it does on a server. Errors name lines and columns in
 * the whole script.
 *
 * @example
 * ```ts
 * parseMaterializedViews('USE shop; CREATE TABLE t (a INT); CREATE MATERIALIZED VIEW m REFRESH MANUAL AS SELECT a FROM t;')
 * // [{ name: 'm', schema: 'shop', ... }]
 * ```
 */
export const parseMaterializedViews = (script: string): MvDefinition[] => {
  const out: MvDefinition[] = []
  let database: string | undefined
  for (const stmt of statements(tokenize(script))) {
    const sig = stmt.filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment')
    if (isKeyword(sig[0], 'USE') && isIdent(sig[1])) {
      database = sig.length === 2 ? sig[1].value : (sig[sig.length - 1] as Token).value
    } else if (isKeyword(sig[0], 'CREATE') && isKeyword(sig[1], 'MATERIALIZED')) {
      const def = parseStatement(script, stmt)
      out.push(def.schema === undefined && database !== undefined ? MvDefinition.with(def, { schema: database }) : def)
    }
  }
  return out
}

/**
 * Parse the text of a PARTITION BY clause (without the keywords), as `information_schema.tables_config`
 * reports it in PARTITION_KEY, into canonical entries (see {@link parseMaterializedView}).
 * Empty text gives no entries.
 */
export const parsePartitionExpressions = (text: string): string[] => {
  const sig = tokenize(text).filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment')
  if (sig.length === 0) return []
  const c: Cursor = new Cursor(text, sig)
  const entries = parsePartitionBy(c)
  if (c.peek() !== undefined) c.fail('the end of the PARTITION BY expressions')
  return entries
}

/** Parse a comma-separated list of bare or back-quoted names (DISTRIBUTE_KEY, SORT_KEY). Empty text gives none. */
export const parseIdentifierList = (text: string): string[] => {
  const sig = tokenize(text).filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment')
  if (sig.length === 0) return []
  const c: Cursor = new Cursor(text, sig)
  const names = identifierList(c, 'the column list')
  if (c.peek() !== undefined) c.fail('"," or the end of the column list')
  return names
}
