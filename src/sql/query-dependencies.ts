import { dependencyIdentity, isDefaultCatalog, type SqlDependency } from './sql.js'
import { isKeyword, significantTokens, type Token } from './tokenizer.js'

/** Words that follow FROM/JOIN or a comma in a FROM list but do not start a table name. */
const NOT_A_TABLE: ReadonlySet<string> = new Set([
  'SELECT', 'LATERAL', 'UNNEST', 'VALUES', 'WITH', 'TABLE', 'FILES', 'DUAL',
])

/** Words that end a FROM item's alias position (so they are not taken as an alias). */
const CLAUSE_WORDS: ReadonlySet<string> = new Set([
  'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'JOIN', 'INNER',
  'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'SEMI', 'ANTI', 'ON', 'USING', 'LATERAL', 'NATURAL', 'WINDOW',
  'QUALIFY', 'FOR', 'TABLESAMPLE', 'PARTITION', 'TEMPORARY', 'BRACKET', 'SHUFFLE', 'BROADCAST', 'COLOCATE',
])

/** Functions whose argument syntax uses FROM: `EXTRACT(YEAR FROM dt)`, `TRIM(BOTH ' ' FROM s)`. */
const FROM_FUNCTIONS: ReadonlySet<string> = new Set(['EXTRACT', 'SUBSTRING', 'SUBSTR', 'TRIM', 'POSITION', 'OVERLAY'])

/** Words that close a FROM list at their depth. */
const END_OF_FROM: ReadonlySet<string> = new Set([
  'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'WINDOW', 'QUALIFY', 'SELECT',
])

const isName = (t: Token | undefined): t is Token =>
  t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !NOT_A_TABLE.has(t.value.toUpperCase())))

const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.value === p

/** Index just after the `)` matching the `(` at `open`. */
const skipParens = (toks: readonly Token[], open: number): number => {
  let depth = 0
  for (let i = open; i < toks.length; i++) {
    if (isPunct(toks[i], '(')) depth++
    else if (isPunct(toks[i], ')')) {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return toks.length
}

/**
 * Names bound by every `WITH [RECURSIVE] name [(cols)] AS (...) [, ...]` of the query, at any depth
 * (a CTE may open a subquery too). `WITH ROLLUP` and other `WITH`s bind nothing.
 */
const cteNames = (toks: readonly Token[]): Set<string> => {
  const names = new Set<string>()
  for (let w = 0; w < toks.length; w++) {
    if (!isKeyword(toks[w], 'WITH')) continue
    let i = isKeyword(toks[w + 1], 'RECURSIVE') ? w + 2 : w + 1
    for (;;) {
      const name = toks[i]
      if (!isName(name)) break
      i++
      if (isPunct(toks[i], '(')) i = skipParens(toks, i)
      if (!isKeyword(toks[i], 'AS') || !isPunct(toks[i + 1], '(')) break
      names.add(name.value)
      i = skipParens(toks, i + 1)
      if (!isPunct(toks[i], ',')) break
      i++
    }
  }
  return names
}

/**
 * One place where a query names a table, view or MV (see {@link queryTableReferences}): the name as
 * read, and the tokens of its dotted name (`catalog`, `db`, `name` parts, each with its exact source
 * span), so a caller can tell how it was written.
 */
export interface TableReference {
  /** An external catalog (`hive` in `hive.sales.orders`); absent for `default_catalog` and two-part names. */
  readonly catalog?: string
  readonly schema?: string
  readonly name: string
  /** The name tokens, in order (`db`, `.`-separated parts; dots not included). */
  readonly parts: readonly Token[]
}

/**
 * Best-effort list of the tables and MVs a query reads, in first-seen order, without duplicates.
 *
 * It looks at the tokens (never inside strings or comments) for a name after `FROM`, after `JOIN`,
 * and after a comma in a FROM list (`FROM a, b`). A dotted name gives `schema` and `name` (`db.t`);
 * a three-part name gives `catalog`, `schema` and `name` (`hive.sales.orders`), except that the
 * internal catalog (`default_catalog.db.t`) gives no catalog, as `db.t` does; an unqualified name
 * has no schema.
 * Skipped: subqueries (their own FROMs are found inside them, and their aliases are not tables),
 * table aliases, table functions (`name(...)`, `TABLE(...)`, `UNNEST`, `FILES`), names bound by a
 * `WITH` clause (at any depth), and anything inside string literals and comments. Names are taken
 * as written: nothing resolves views, synonyms or the current database (an unqualified name lives
 * in the reading MV's database; the differ resolves it).
 *
 * It lives with the `sql` tag so that every layer may use it: builders record the dependencies of a
 * query given as text, the differ orders by them, the reflect layer reads them from DDL.
 *
 * @example
 * ```ts
 * queryDependencies('WITH t AS (SELECT * FROM shop.orders) SELECT * FROM t JOIN users u ON u.id = t.user_id')
 * // [{ schema: 'shop', name: 'orders' }, { name: 'users' }]
 * ```
 */
export const queryDependencies = (query: string | readonly Token[]): SqlDependency[] => {
  const out: SqlDependency[] = []
  const seen = new Set<string>()
  for (const r of queryTableReferences(query)) {
    const dep: SqlDependency = Object.freeze({
      ...(r.catalog === undefined ? {} : { catalog: r.catalog }),
      ...(r.schema === undefined ? {} : { schema: r.schema }),
      name: r.name,
    })
    const key = dependencyIdentity(dep)
    if (seen.has(key)) continue
    seen.add(key)
    out.push(dep)
  }
  return out
}

/**
 * Every place where a query reads a table, view or MV, in source order, duplicates included: the
 * positions {@link queryDependencies} reads its names from (same rules: after FROM, JOIN and commas
 * of a FROM list; never subqueries, aliases, table functions, CTE names, strings or comments).
 *
 * @example
 * ```ts
 * queryTableReferences('SELECT * FROM `shop`.`orders` o').map((r) => [r.schema, r.name, r.parts.map((t) => t.text).join('.')])
 * // [['shop', 'orders', '`shop`.`orders`']]
 * queryTableReferences('SELECT * FROM hive.sales.orders').map((r) => [r.catalog, r.schema, r.name])
 * // [['hive', 'sales', 'orders']]
 * ```
 */
export const queryTableReferences = (query: string | readonly Token[]): TableReference[] => {
  const toks = typeof query === 'string' ? significantTokens(query) : query.filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment')
  const ctes = cteNames(toks)
  const out: TableReference[] = []

  /** Read a table reference at `i`; return the index after it (and its alias). */
  const tableAt = (i: number): number => {
    if (isKeyword(toks[i], 'LATERAL')) i++
    if (!isName(toks[i])) return i
    const nameTokens: Token[] = [toks[i] as Token]
    let j = i + 1
    while (isPunct(toks[j], '.') && isName(toks[j + 1])) {
      nameTokens.push(toks[j + 1] as Token)
      j += 2
    }
    const parts = nameTokens.map((t) => t.value)
    if (isPunct(toks[j], '(')) return skipParens(toks, j) // a table function
    const name = parts[parts.length - 1] as string
    const schema = parts.length >= 2 ? parts[parts.length - 2] : undefined
    const written = parts.length >= 3 ? parts[parts.length - 3] : undefined
    const catalog = isDefaultCatalog(written) ? undefined : written
    if (!(schema === undefined && ctes.has(name))) {
      out.push(Object.freeze({ ...(catalog === undefined ? {} : { catalog }), ...(schema === undefined ? {} : { schema }), name, parts: Object.freeze(nameTokens) }))
    }
    // an optional alias: AS x, or a bare word that does not start the next clause
    if (isKeyword(toks[j], 'AS')) return j + 2
    const alias = toks[j]
    if (alias !== undefined && (alias.kind === 'quoted' || (alias.kind === 'word' && !CLAUSE_WORDS.has(alias.value.toUpperCase())))) {
      return j + 1
    }
    return j
  }

  // the innermost open parentheses: true when they belong to a function whose arguments may say FROM
  const parens: boolean[] = []
  // parenthesis depths at which a FROM list is open (a comma there introduces another table)
  const fromLists: number[] = []
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token
    const depth = parens.length
    if (isPunct(t, '(')) {
      const before = toks[i - 1]
      parens.push(before?.kind === 'word' && FROM_FUNCTIONS.has(before.value.toUpperCase()))
    } else if (isPunct(t, ')')) {
      parens.pop()
      while ((fromLists[fromLists.length - 1] ?? -1) > parens.length) fromLists.pop()
    } else if (isKeyword(t, 'FROM') && parens[parens.length - 1] !== true && !isKeyword(toks[i - 1], 'DISTINCT')) {
      if (fromLists[fromLists.length - 1] !== depth) fromLists.push(depth)
      i = tableAt(i + 1) - 1
    } else if (isKeyword(t, 'JOIN')) {
      i = tableAt(i + 1) - 1
    } else if (isPunct(t, ',') && fromLists[fromLists.length - 1] === depth) {
      i = tableAt(i + 1) - 1
    } else if (t.kind === 'word' && END_OF_FROM.has(t.value.toUpperCase()) && fromLists[fromLists.length - 1] === depth) {
      fromLists.pop()
    }
  }
  return out
}
