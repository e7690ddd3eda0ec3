import type { Token } from '../reflect/tokenizer.js'
import { isKeyword } from '../reflect/tokenizer.js'
import { quoteIdentifier } from '../sql/index.js'
import { EmulatorError, analysisError, syntaxError } from './emulator-error.js'
import { RESERVED, hasAggregate, parseExpr, printExpr, walk, type Expr, type PrintContext } from './expression.js'
import type { TokenCursor } from './token-cursor.js'

/** A SELECT of the emulator's subset, or a UNION of them. */
export type Query = SelectQuery | UnionQuery

export interface SelectItem {
  readonly expr: Expr
  readonly alias?: string
}

export interface TableRef {
  readonly k: 'table'
  readonly db?: string
  readonly name: string
  readonly alias?: string
  readonly tok: Token
}

export interface SubqueryRef {
  readonly k: 'sub'
  readonly query: Query
  readonly alias: string
}

export type FromItem = TableRef | SubqueryRef

export interface Join {
  readonly type: string
  readonly ref: FromItem
  readonly on?: Expr
}

export interface OrderItem {
  readonly expr: Expr
  readonly desc: boolean
}

export interface SelectQuery {
  readonly k: 'select'
  readonly distinct: boolean
  readonly items: readonly SelectItem[]
  readonly from?: { readonly first: FromItem; readonly joins: readonly Join[] }
  readonly where?: Expr
  readonly groupBy: readonly Expr[]
  readonly having?: Expr
  readonly orderBy: readonly OrderItem[]
  readonly limit?: { readonly count: number; readonly offset: number }
}

export interface UnionQuery {
  readonly k: 'union'
  readonly all: boolean
  readonly left: Query
  readonly right: SelectQuery
}

const isAliasWord = (t: Token | undefined): boolean =>
  t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !RESERVED.has(t.value.toUpperCase())))

/** Parse a query (SELECT ... [UNION [ALL] SELECT ...]) at the cursor. */
export const parseQuery = (c: TokenCursor): Query => {
  let q: Query = parseSelect(c)
  while (c.isKw('UNION')) {
    c.next()
    const all = c.acceptKw('ALL')
    if (!all) c.acceptKw('DISTINCT')
    q = { k: 'union', all, left: q, right: parseSelect(c) }
  }
  return q
}

const parseSelect = (c: TokenCursor): SelectQuery => {
  if (c.isPunct('(')) {
    c.next()
    const inner = parseQuery(c)
    c.expectPunct(')')
    if (inner.k !== 'select') throw syntaxError(c.peek())
    return inner
  }
  c.expectKw('SELECT')
  const distinct = c.acceptKw('DISTINCT')
  if (!distinct) c.acceptKw('ALL')
  const items: SelectItem[] = []
  do {
    const expr = parseExpr(c)
    let alias: string | undefined
    if (c.acceptKw('AS')) {
      const t = c.next()
      if (t.kind !== 'word' && t.kind !== 'quoted' && t.kind !== 'string') throw syntaxError(t, 'alias')
      alias = t.value
    } else if (isAliasWord(c.peek()) || c.peek()?.kind === 'string') {
      alias = c.next().value
    }
    items.push(alias === undefined ? { expr } : { expr, alias })
  } while (c.acceptPunct(','))
  let from: SelectQuery['from']
  if (c.acceptKw('FROM')) {
    const first = parseFromItem(c)
    const joins: Join[] = []
    for (;;) {
      if (c.acceptPunct(',')) {
        joins.push({ type: 'CROSS JOIN', ref: parseFromItem(c) })
        continue
      }
      const type = parseJoinType(c)
      if (type === undefined) break
      const ref = parseFromItem(c)
      if (c.acceptKw('ON')) joins.push({ type, ref, on: parseExpr(c) })
      else joins.push({ type, ref })
    }
    from = { first, joins }
  }
  const where = c.acceptKw('WHERE') ? parseExpr(c) : undefined
  const groupBy: Expr[] = []
  if (c.acceptKw('GROUP', 'BY')) {
    do groupBy.push(parseExpr(c))
    while (c.acceptPunct(','))
  }
  const having = c.acceptKw('HAVING') ? parseExpr(c) : undefined
  const orderBy: OrderItem[] = []
  if (c.acceptKw('ORDER', 'BY')) {
    do {
      const expr = parseExpr(c)
      const desc = c.acceptKw('DESC')
      if (!desc) c.acceptKw('ASC')
      orderBy.push({ expr, desc })
    } while (c.acceptPunct(','))
  }
  let limit: SelectQuery['limit']
  if (c.acceptKw('LIMIT')) {
    const a = c.integer('LIMIT count')
    if (c.acceptPunct(',')) limit = { offset: a, count: c.integer('LIMIT count') }
    else if (c.acceptKw('OFFSET')) limit = { count: a, offset: c.integer('OFFSET') }
    else limit = { count: a, offset: 0 }
  }
  return {
    k: 'select', distinct, items, groupBy, orderBy,
    ...(from === undefined ? {} : { from }),
    ...(where === undefined ? {} : { where }),
    ...(having === undefined ? {} : { having }),
    ...(limit === undefined ? {} : { limit }),
  }
}

const parseJoinType = (c: TokenCursor): string | undefined => {
  if (c.acceptKw('JOIN') || c.acceptKw('INNER', 'JOIN')) return 'INNER JOIN'
  if (c.acceptKw('CROSS', 'JOIN')) return 'CROSS JOIN'
  for (const side of ['LEFT', 'RIGHT', 'FULL']) {
    if (c.acceptKw(side, 'OUTER', 'JOIN') || c.acceptKw(side, 'JOIN')) return `${side} OUTER JOIN`
    if (c.acceptKw(side, 'SEMI', 'JOIN')) return `${side} SEMI JOIN`
    if (c.acceptKw(side, 'ANTI', 'JOIN')) return `${side} ANTI JOIN`
  }
  return undefined
}

const parseFromItem = (c: TokenCursor): FromItem => {
  if (c.acceptPunct('(')) {
    const query = parseQuery(c)
    c.expectPunct(')')
    c.acceptKw('AS')
    return { k: 'sub', query, alias: c.ident('alias') }
  }
  const tok = c.peek()
  if (tok === undefined) throw syntaxError(tok, 'table')
  const q = c.qualifiedName()
  let alias: string | undefined
  if (c.acceptKw('AS')) alias = c.ident('alias')
  else if (isAliasWord(c.peek())) alias = c.next().value
  return { k: 'table', name: q.name, tok, ...(q.db === undefined ? {} : { db: q.db }), ...(alias === undefined ? {} : { alias }) }
}

/** Every table a query reads (database-qualified with `currentDb` where unqualified). */
export const baseTablesOf = (q: Query, currentDb: string | undefined): { db: string | undefined; name: string; tok: Token }[] => {
  const out: { db: string | undefined; name: string; tok: Token }[] = []
  const visit = (x: Query): void => {
    if (x.k === 'union') {
      visit(x.left)
      visit(x.right)
      return
    }
    if (x.from === undefined) return
    for (const ref of [x.from.first, ...x.from.joins.map((j) => j.ref)]) {
      if (ref.k === 'table') out.push({ db: ref.db ?? currentDb, name: ref.name, tok: ref.tok })
      else visit(ref.query)
    }
  }
  visit(q)
  return out
}

/** What the analyser needs to know about a relation: its columns (with types). */
export interface RelationShape {
  readonly db: string
  readonly name: string
  readonly columns: readonly { readonly name: string; readonly type: string }[]
}

/** Finds a relation; `undefined` when it does not exist. */
export type RelationLookup = (db: string, name: string) => RelationShape | undefined

interface ScopeEntry {
  readonly qualifier: string
  readonly db: string
  readonly name: string
  readonly columns: readonly { readonly name: string; readonly type: string }[]
  readonly derived: boolean
}

/** An analysed query: its output columns, and its text as a StarRocks server before 4.0.6 prints it. */
export interface AnalysedQuery {
  readonly columns: readonly { readonly name: string; readonly type: string }[]
  readonly rewritten: string
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/**
 * Resolve every name of the query against the catalog and print it the way StarRocks before
 * 4.0.6 stores an MV's definition: tables qualified with their database, columns with their table
 * (or alias), implicit aliases made explicit, `SELECT *` expanded, JOINs spelled out.
 */
export const analyseQuery = (q: Query, lookup: RelationLookup, currentDb: string | undefined): AnalysedQuery => {
  if (q.k === 'union') {
    const l = analyseQuery(q.left, lookup, currentDb)
    const r = analyseQuery(q.right, lookup, currentDb)
    if (l.columns.length !== r.columns.length) {
      throw analysisError('Operands have unequal number of columns')
    }
    return { columns: l.columns, rewritten: `${l.rewritten} UNION${q.all ? ' ALL' : ''} ${r.rewritten}` }
  }
  const scope: ScopeEntry[] = []
  const refText = (ref: FromItem): string => {
    if (ref.k === 'sub') {
      const inner = analyseQuery(ref.query, lookup, currentDb)
      scope.push({ qualifier: ref.alias, db: '', name: ref.alias, columns: inner.columns, derived: true })
      return `(${inner.rewritten}) ${quoteIdentifier(ref.alias)}`
    }
    const db = ref.db ?? currentDb
    if (db === undefined) throw new EmulatorError(1046, 'No database selected', '3D000')
    const rel = lookup(db, ref.name)
    if (rel === undefined) throw analysisError(`Unknown table '${db}.${ref.name}'`)
    const qualifier = ref.alias ?? rel.name
    if (scope.some((s) => s.qualifier === qualifier)) throw new EmulatorError(1066, `Not unique table/alias: '${qualifier}'`)
    scope.push({ qualifier, db: rel.db, name: rel.name, columns: rel.columns, derived: false })
    return `${quoteIdentifier(rel.db)}.${quoteIdentifier(rel.name)}${ref.alias === undefined ? '' : ` AS ${quoteIdentifier(ref.alias)}`}`
  }
  let fromText = ''
  const ons: { type: string; text: string; on?: Expr }[] = []
  if (q.from !== undefined) {
    fromText = refText(q.from.first)
    for (const j of q.from.joins) {
      ons.push({ type: j.type, text: refText(j.ref), ...(j.on === undefined ? {} : { on: j.on }) })
    }
  }
  const aliases = new Set(q.items.flatMap((i) => (i.alias === undefined ? [] : [i.alias.toLowerCase()])))
  const resolve = (e: Extract<Expr, { k: 'col' }>, allowAlias: boolean): { entry: ScopeEntry; column: { name: string; type: string } } | string => {
    const parts = e.parts
    const colName = parts[parts.length - 1] as string
    let candidates = scope
    if (parts.length === 2) candidates = scope.filter((s) => s.qualifier === parts[0])
    if (parts.length === 3) candidates = scope.filter((s) => s.db === parts[0] && s.name === parts[1])
    const hits = candidates.flatMap((entry) => {
      const column = entry.columns.find((col) => same(col.name, colName))
      return column === undefined ? [] : [{ entry, column }]
    })
    if (hits.length > 1) throw new EmulatorError(1052, `Column '${colName}' in field list is ambiguous`, '23000')
    const hit = hits[0]
    if (hit !== undefined) return hit
    if (allowAlias && parts.length === 1 && aliases.has(colName.toLowerCase())) return quoteIdentifier(colName)
    throw analysisError(`Column '${parts.join('.')}' cannot be resolved`)
  }
  const ctx = (allowAlias: boolean): PrintContext => ({
    column: (e) => {
      const r = resolve(e, allowAlias)
      if (typeof r === 'string') return r
      return `${quoteIdentifier(r.entry.qualifier)}.${quoteIdentifier(r.column.name)}`
    },
  })
  const columns: { name: string; type: string }[] = []
  const items: string[] = []
  for (const item of q.items) {
    if (item.expr.k === 'star') {
      const table = item.expr.table
      const entries = table.length === 0 ? scope : scope.filter((s) => s.qualifier === table[table.length - 1])
      if (entries.length === 0) throw analysisError(table.length === 0 ? 'No tables used' : `Unknown table '${table.join('.')}'`)
      for (const entry of entries) {
        for (const col of entry.columns) {
          columns.push(col)
          items.push(`${quoteIdentifier(entry.qualifier)}.${quoteIdentifier(col.name)}`)
        }
      }
      continue
    }
    const printed = printExpr(item.expr, ctx(false))
    if (item.alias !== undefined) {
      columns.push({ name: item.alias, type: typeOf(item.expr, resolve) })
      items.push(`${printed} AS ${quoteIdentifier(item.alias)}`)
    } else if (item.expr.k === 'col') {
      const r = resolve(item.expr, false)
      const name = typeof r === 'string' ? item.expr.parts[item.expr.parts.length - 1] as string : r.column.name
      columns.push({ name, type: typeof r === 'string' ? 'VARCHAR' : r.column.type })
      items.push(printed)
    } else {
      columns.push({ name: item.expr.text, type: typeOf(item.expr, resolve) })
      items.push(`${printed} AS ${quoteIdentifier(item.expr.text)}`)
    }
  }
  let text = `SELECT ${q.distinct ? 'DISTINCT ' : ''}${items.join(', ')}`
  if (q.from !== undefined) {
    text += `\nFROM ${fromText}`
    for (const j of ons) text += ` ${j.type} ${j.text}${j.on === undefined ? '' : ` ON ${printExpr(j.on, ctx(false))}`}`
  }
  if (q.where !== undefined) text += `\nWHERE ${printExpr(q.where, ctx(false))}`
  if (q.groupBy.length > 0) text += `\nGROUP BY ${q.groupBy.map((g) => printExpr(g, ctx(true))).join(', ')}`
  if (q.having !== undefined) text += `\nHAVING ${printExpr(q.having, ctx(true))}`
  if (q.orderBy.length > 0) text += `\nORDER BY ${q.orderBy.map((o) => `${printExpr(o.expr, ctx(true))} ${o.desc ? 'DESC' : 'ASC'}`).join(', ')}`
  if (q.limit !== undefined) text += `\nLIMIT ${q.limit.offset > 0 ? `${q.limit.offset}, ` : ''}${q.limit.count}`
  return { columns, rewritten: text }
}

const typeOf = (
  e: Expr,
  resolve: (e: Extract<Expr, { k: 'col' }>, allowAlias: boolean) => { column: { type: string } } | string,
): string => {
  if (e.k === 'col') {
    const r = resolve(e, false)
    return typeof r === 'string' ? 'VARCHAR' : r.column.type
  }
  if (e.k === 'func') {
    const n = e.name.toLowerCase()
    if (n === 'count') return 'BIGINT'
    if ((n === 'sum' || n === 'max' || n === 'min') && e.args[0] !== undefined) return typeOf(e.args[0], resolve)
    if (n === 'date_trunc' || n === 'str2date') return 'DATETIME'
    return 'VARCHAR'
  }
  if (e.k === 'num') return /^\d+$/.test(e.value) ? 'BIGINT' : 'DOUBLE'
  if (e.k === 'bin' && ['+', '-', '*'].includes(e.op)) return typeOf(e.l, resolve)
  if (e.k === 'paren') return typeOf(e.e, resolve)
  if (e.k === 'cast') return e.type
  return 'VARCHAR'
}

/** True when any select item, HAVING or ORDER BY of a plain SELECT aggregates. */
export const isAggregateQuery = (q: SelectQuery): boolean =>
  q.groupBy.length > 0 || q.items.some((i) => hasAggregate(i.expr)) || (q.having !== undefined && hasAggregate(q.having))

/** Column references of an expression (for ORDER BY on output names). */
export const columnRefs = (e: Expr): Extract<Expr, { k: 'col' }>[] => {
  const out: Extract<Expr, { k: 'col' }>[] = []
  walk(e, (x) => {
    if (x.k === 'col') out.push(x)
  })
  return out
}

/** True when the token is the SELECT keyword (or a parenthesis opening a query). */
export const startsQuery = (t: Token | undefined): boolean => isKeyword(t, 'SELECT') || (t?.kind === 'punct' && t.value === '(')
