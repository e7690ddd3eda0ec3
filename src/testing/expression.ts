import type { Token } from '../reflect/tokenizer.js'
import { quoteIdentifier, quoteString } from '../sql/index.js'
import { syntaxError } from './emulator-error.js'
import type { TokenCursor } from './token-cursor.js'

/** An expression of the emulator's SQL subset. `text` is its source as written. */
export type Expr = ExprNode & { readonly text: string }

type ExprNode =
  | { readonly k: 'col'; readonly parts: readonly string[]; readonly tok: Token }
  | { readonly k: 'star'; readonly table: readonly string[] }
  | { readonly k: 'num'; readonly value: string }
  | { readonly k: 'str'; readonly value: string }
  | { readonly k: 'null' }
  | { readonly k: 'bool'; readonly value: boolean }
  | { readonly k: 'var'; readonly name: string; readonly system: boolean }
  | { readonly k: 'func'; readonly name: string; readonly args: readonly Expr[]; readonly distinct: boolean; readonly star: boolean }
  | { readonly k: 'bin'; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'not'; readonly e: Expr }
  | { readonly k: 'neg'; readonly e: Expr }
  | { readonly k: 'isnull'; readonly e: Expr; readonly not: boolean }
  | { readonly k: 'in'; readonly e: Expr; readonly list: readonly Expr[]; readonly not: boolean }
  | { readonly k: 'between'; readonly e: Expr; readonly lo: Expr; readonly hi: Expr; readonly not: boolean }
  | { readonly k: 'like'; readonly e: Expr; readonly pattern: Expr; readonly not: boolean }
  | { readonly k: 'paren'; readonly e: Expr }
  | { readonly k: 'cast'; readonly e: Expr; readonly type: string }
  | { readonly k: 'case'; readonly operand?: Expr; readonly whens: readonly (readonly [Expr, Expr])[]; readonly otherwise?: Expr }
  | { readonly k: 'interval'; readonly e: Expr; readonly unit: string }

/** Words that end an expression (clause keywords), so `a FROM t` is not read as `a` aliased `FROM`. */
export const RESERVED = new Set([
  'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'UNION', 'EXCEPT', 'INTERSECT', 'JOIN', 'INNER', 'LEFT',
  'RIGHT', 'FULL', 'CROSS', 'OUTER', 'ON', 'USING', 'AS', 'AND', 'OR', 'NOT', 'IS', 'IN', 'BETWEEN', 'LIKE', 'CASE', 'WHEN',
  'THEN', 'ELSE', 'END', 'SELECT', 'BY', 'ASC', 'DESC', 'SET', 'VALUES', 'INTO', 'DISTINCT', 'ALL', 'INTERVAL', 'LATERAL',
  'SEMI', 'ANTI', 'WITH', 'REGEXP', 'RLIKE', 'DIV', 'MOD', 'NULL', 'TRUE', 'FALSE', 'EXISTS', 'SEPARATOR',
])

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '<=>'])

const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'avg', 'bitmap_union', 'hll_union', 'percentile_union', 'group_concat', 'array_agg', 'any_value', 'bitmap_union_count', 'count_distinct'])

/** True for an aggregate function name. */
export const isAggregateName = (name: string): boolean => AGGREGATES.has(name.toLowerCase())

/** True when the expression contains an aggregate call. */
export const hasAggregate = (e: Expr): boolean => {
  let found = false
  walk(e, (x) => {
    if (x.k === 'func' && isAggregateName(x.name)) found = true
  })
  return found
}

/** Visit every node. */
export const walk = (e: Expr, visit: (e: Expr) => void): void => {
  visit(e)
  for (const c of children(e)) walk(c, visit)
}

const children = (e: Expr): readonly Expr[] => {
  switch (e.k) {
    case 'func': return e.args
    case 'bin': return [e.l, e.r]
    case 'not': case 'neg': case 'paren': case 'cast': case 'interval': case 'isnull': return [e.e]
    case 'in': return [e.e, ...e.list]
    case 'between': return [e.e, e.lo, e.hi]
    case 'like': return [e.e, e.pattern]
    case 'case': return [...(e.operand === undefined ? [] : [e.operand]), ...e.whens.flat(), ...(e.otherwise === undefined ? [] : [e.otherwise])]
    default: return []
  }
}

/** Parse one expression at the cursor. */
export const parseExpr = (c: TokenCursor): Expr => parseOr(c)

const make = (c: TokenCursor, from: number, node: ExprNode): Expr => ({ ...node, text: c.textFrom(from) }) as Expr

const parseOr = (c: TokenCursor): Expr => {
  const from = c.pos
  let l = parseAnd(c)
  while (c.isKw('OR') || c.isPunct('||')) {
    c.next()
    const r = parseAnd(c)
    l = make(c, from, { k: 'bin', op: 'OR', l, r })
  }
  return l
}

const parseAnd = (c: TokenCursor): Expr => {
  const from = c.pos
  let l = parseNot(c)
  while (c.isKw('AND') || c.isPunct('&&')) {
    c.next()
    const r = parseNot(c)
    l = make(c, from, { k: 'bin', op: 'AND', l, r })
  }
  return l
}

const parseNot = (c: TokenCursor): Expr => {
  const from = c.pos
  if (c.acceptKw('NOT')) return make(c, from, { k: 'not', e: parseNot(c) })
  return parseComparison(c)
}

const parseComparison = (c: TokenCursor): Expr => {
  const from = c.pos
  let l = parseAdditive(c)
  for (;;) {
    const t = c.peek()
    if (t?.kind === 'punct' && COMPARISONS.has(t.value)) {
      c.next()
      const r = parseAdditive(c)
      l = make(c, from, { k: 'bin', op: t.value === '!=' ? '!=' : t.value, l, r })
      continue
    }
    if (c.isKw('IS')) {
      c.next()
      const not = c.acceptKw('NOT')
      if (c.acceptKw('NULL')) {
        l = make(c, from, { k: 'isnull', e: l, not })
        continue
      }
      throw syntaxError(c.peek(), 'NULL')
    }
    const not = c.isKw('NOT') && (c.isKw('NOT', 'IN') || c.isKw('NOT', 'LIKE') || c.isKw('NOT', 'BETWEEN'))
    if (not) c.next()
    if (c.acceptKw('IN')) {
      c.expectPunct('(')
      const list: Expr[] = [parseExpr(c)]
      while (c.acceptPunct(',')) list.push(parseExpr(c))
      c.expectPunct(')')
      l = make(c, from, { k: 'in', e: l, list, not })
      continue
    }
    if (c.acceptKw('LIKE')) {
      l = make(c, from, { k: 'like', e: l, pattern: parseAdditive(c), not })
      continue
    }
    if (c.acceptKw('BETWEEN')) {
      const lo = parseAdditive(c)
      c.expectKw('AND')
      const hi = parseAdditive(c)
      l = make(c, from, { k: 'between', e: l, lo, hi, not })
      continue
    }
    if (not) throw syntaxError(c.peek())
    return l
  }
}

const parseAdditive = (c: TokenCursor): Expr => {
  const from = c.pos
  let l = parseMultiplicative(c)
  for (;;) {
    const t = c.peek()
    if (t?.kind === 'punct' && (t.value === '+' || t.value === '-')) {
      c.next()
      l = make(c, from, { k: 'bin', op: t.value, l, r: parseMultiplicative(c) })
    } else {
      return l
    }
  }
}

const parseMultiplicative = (c: TokenCursor): Expr => {
  const from = c.pos
  let l = parseUnary(c)
  for (;;) {
    const t = c.peek()
    if (t?.kind === 'punct' && (t.value === '*' || t.value === '/' || t.value === '%')) {
      c.next()
      l = make(c, from, { k: 'bin', op: t.value, l, r: parseUnary(c) })
    } else if (c.isKw('DIV') || c.isKw('MOD')) {
      const op = c.next().value.toUpperCase()
      l = make(c, from, { k: 'bin', op, l, r: parseUnary(c) })
    } else {
      return l
    }
  }
}

const parseUnary = (c: TokenCursor): Expr => {
  const from = c.pos
  if (c.acceptPunct('-')) return make(c, from, { k: 'neg', e: parseUnary(c) })
  if (c.acceptPunct('+')) return parseUnary(c)
  return parsePrimary(c)
}

const parseType = (c: TokenCursor): string => {
  const from = c.pos
  c.ident('type')
  if (c.isPunct('(')) c.skipGroup()
  while (c.isKw('UNSIGNED') || c.isKw('SIGNED')) c.next()
  return c.textFrom(from).replace(/\s+/g, '').toUpperCase()
}

const parsePrimary = (c: TokenCursor): Expr => {
  const from = c.pos
  const t = c.peek()
  if (t === undefined) throw syntaxError(undefined)
  if (t.kind === 'number') {
    c.next()
    return make(c, from, { k: 'num', value: t.value })
  }
  if (t.kind === 'string') {
    c.next()
    return make(c, from, { k: 'str', value: t.value })
  }
  if (t.kind === 'punct' && t.value === '(') {
    c.next()
    const e = parseExpr(c)
    c.expectPunct(')')
    return make(c, from, { k: 'paren', e })
  }
  if (t.kind === 'punct' && t.value === '*') {
    c.next()
    return make(c, from, { k: 'star', table: [] })
  }
  if (t.kind === 'punct' && t.value === '@') {
    c.next()
    const system = c.acceptPunct('@')
    let name = c.ident('variable')
    if (system && c.acceptPunct('.')) name = `${name}.${c.ident('variable')}`
    return make(c, from, { k: 'var', name, system })
  }
  if (t.kind === 'word') {
    const up = t.value.toUpperCase()
    if (up === 'NULL') {
      c.next()
      return make(c, from, { k: 'null' })
    }
    if (up === 'TRUE' || up === 'FALSE') {
      c.next()
      return make(c, from, { k: 'bool', value: up === 'TRUE' })
    }
    if (up === 'CASE') {
      c.next()
      const operand = c.isKw('WHEN') ? undefined : parseExpr(c)
      const whens: (readonly [Expr, Expr])[] = []
      while (c.acceptKw('WHEN')) {
        const w = parseExpr(c)
        c.expectKw('THEN')
        whens.push([w, parseExpr(c)])
      }
      const otherwise = c.acceptKw('ELSE') ? parseExpr(c) : undefined
      c.expectKw('END')
      return make(c, from, {
        k: 'case', whens,
        ...(operand === undefined ? {} : { operand }),
        ...(otherwise === undefined ? {} : { otherwise }),
      })
    }
    if (up === 'INTERVAL') {
      c.next()
      const e = parseAdditive(c)
      const unit = c.ident('unit').toUpperCase()
      return make(c, from, { k: 'interval', e, unit })
    }
    if (up === 'CAST' && c.peek(1)?.kind === 'punct' && c.peek(1)?.value === '(') {
      c.next()
      c.expectPunct('(')
      const e = parseExpr(c)
      c.expectKw('AS')
      const type = parseType(c)
      c.expectPunct(')')
      return make(c, from, { k: 'cast', e, type })
    }
    if (RESERVED.has(up) && !(c.peek(1)?.kind === 'punct' && c.peek(1)?.value === '(')) throw syntaxError(t)
  }
  if (t.kind === 'word' || t.kind === 'quoted') {
    c.next()
    const next = c.peek()
    if (t.kind === 'word' && next?.kind === 'punct' && next.value === '(') {
      c.next()
      const args: Expr[] = []
      let distinct = false
      let star = false
      if (c.acceptPunct(')')) return make(c, from, { k: 'func', name: t.value, args, distinct, star })
      if (c.acceptKw('DISTINCT')) distinct = true
      if (c.isPunct('*') && (c.peek(1)?.value === ')')) {
        c.next()
        star = true
      } else {
        args.push(parseExpr(c))
        while (c.acceptPunct(',')) args.push(parseExpr(c))
      }
      c.expectPunct(')')
      return make(c, from, { k: 'func', name: t.value, args, distinct, star })
    }
    const parts = [t.value]
    while (c.isPunct('.')) {
      c.next()
      if (c.acceptPunct('*')) return make(c, from, { k: 'star', table: parts })
      parts.push(c.ident('column'))
    }
    return make(c, from, { k: 'col', parts, tok: t })
  }
  throw syntaxError(t)
}

/** How a printer spells column references. */
export interface PrintContext {
  column(e: Extract<Expr, { k: 'col' }>): string
}

/** Bare printing: columns back-quoted as written. */
export const plainContext: PrintContext = { column: (e) => e.parts.map(quoteIdentifier).join('.') }

/** Print an expression the way StarRocks's SQL printer does (lower-case function names, spaced operators). */
export const printExpr = (e: Expr, ctx: PrintContext): string => {
  const p = (x: Expr): string => printExpr(x, ctx)
  switch (e.k) {
    case 'col': return ctx.column(e)
    case 'star': return e.table.length === 0 ? '*' : `${e.table.map(quoteIdentifier).join('.')}.*`
    case 'num': return e.value
    case 'str': return quoteString(e.value)
    case 'null': return 'NULL'
    case 'bool': return e.value ? 'TRUE' : 'FALSE'
    case 'var': return `${e.system ? '@@' : '@'}${e.name}`
    case 'func': return `${e.name.toLowerCase()}(${e.distinct ? 'DISTINCT ' : ''}${e.star ? '*' : e.args.map(p).join(', ')})`
    case 'bin': return `${p(e.l)} ${e.op} ${p(e.r)}`
    case 'not': return `NOT ${p(e.e)}`
    case 'neg': return `-${p(e.e)}`
    case 'isnull': return `${p(e.e)} IS ${e.not ? 'NOT ' : ''}NULL`
    case 'in': return `${p(e.e)} ${e.not ? 'NOT ' : ''}IN (${e.list.map(p).join(', ')})`
    case 'between': return `${p(e.e)} ${e.not ? 'NOT ' : ''}BETWEEN ${p(e.lo)} AND ${p(e.hi)}`
    case 'like': return `${p(e.e)} ${e.not ? 'NOT ' : ''}LIKE ${p(e.pattern)}`
    case 'paren': return `(${p(e.e)})`
    case 'cast': return `CAST(${p(e.e)} AS ${e.type})`
    case 'case': return `CASE${e.operand === undefined ? '' : ` ${p(e.operand)}`}${e.whens.map(([w, t]) => ` WHEN ${p(w)} THEN ${p(t)}`).join('')}${e.otherwise === undefined ? '' : ` ELSE ${p(e.otherwise)}`} END`
    case 'interval': return `INTERVAL ${p(e.e)} ${e.unit}`
  }
}
