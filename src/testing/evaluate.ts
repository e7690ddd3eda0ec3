import { EmulatorError, analysisError } from './emulator-error.js'
import { isAggregateName, type Expr } from './expression.js'
import { isAggregateQuery, type FromItem, type Query, type SelectQuery } from './select-query.js'

/** A cell value. */
export type Value = string | number | null

/** A stored row, keyed by lower-cased column name. */
export type Row = Readonly<Record<string, Value>>

/** Rows and typed columns of a relation or a result. */
export interface RowSet {
  readonly columns: readonly { readonly name: string; readonly type: string }[]
  readonly rows: readonly Row[]
}

/** A result: column metadata and rows as arrays, in column order. */
export interface ResultSet {
  readonly columns: readonly { readonly name: string; readonly type: string }[]
  readonly rows: readonly (readonly Value[])[]
}

/** What evaluation needs from the session and the catalog. */
export interface EvalEnv {
  readonly currentDb: string | undefined
  /** Rows of a relation; throws when it does not exist. */
  rowsOf(db: string | undefined, name: string): RowSet & { readonly db: string; readonly name: string }
  /** A scalar function the session knows (version(), database(), ...); `undefined` when unknown. */
  scalar(name: string, args: readonly Value[]): Value | undefined
  /** A variable (`@@x` system, `@x` user). */
  variable(name: string, system: boolean): Value
}

interface Source {
  readonly qualifier: string
  readonly db: string
  readonly name: string
  readonly columns: readonly { readonly name: string; readonly type: string }[]
}

type Tuple = readonly (Row | null)[]

const isNumeric = (v: Value): boolean => typeof v === 'number' || (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v))

/** Compare two non-null values: numerically when both look numeric, else as strings. */
export const compareValues = (a: Value, b: Value): number => {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  if (isNumeric(a) && isNumeric(b)) return Number(a) - Number(b)
  const x = String(a)
  const y = String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

const truthy = (v: Value): boolean => v !== null && v !== 0 && v !== '0' && v !== ''

const likeToRegExp = (pattern: string): RegExp => {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string
    if (ch === '\\' && i + 1 < pattern.length) {
      re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    } else if (ch === '%') re += '.*'
    else if (ch === '_') re += '.'
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`, 'is')
}

/** SQL LIKE, case-insensitive like StarRocks's default collation for ASCII. */
export const like = (value: string, pattern: string): boolean => likeToRegExp(pattern).test(value)

/** Evaluate a query against the catalog. */
export const evaluateQuery = (q: Query, env: EvalEnv): ResultSet => {
  if (q.k === 'union') {
    const l = evaluateQuery(q.left, env)
    const r = evaluateQuery(q.right, env)
    if (l.columns.length !== r.columns.length) throw analysisError('Operands have unequal number of columns')
    const rows = [...l.rows, ...r.rows]
    return { columns: l.columns, rows: q.all ? rows : dedupe(rows) }
  }
  return evaluateSelect(q, env)
}

const dedupe = (rows: readonly (readonly Value[])[]): (readonly Value[])[] => {
  const seen = new Set<string>()
  return rows.filter((r) => {
    const key = JSON.stringify(r)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

const loadRef = (ref: FromItem, env: EvalEnv): { source: Source; rows: readonly Row[] } => {
  if (ref.k === 'sub') {
    const res = evaluateQuery(ref.query, env)
    const rows = res.rows.map((r) => Object.fromEntries(res.columns.map((c, i) => [c.name.toLowerCase(), r[i] ?? null])))
    return { source: { qualifier: ref.alias, db: '', name: ref.alias, columns: res.columns }, rows }
  }
  const set = env.rowsOf(ref.db, ref.name)
  return { source: { qualifier: ref.alias ?? set.name, db: set.db, name: set.name, columns: set.columns }, rows: set.rows }
}

const evaluateSelect = (q: SelectQuery, env: EvalEnv): ResultSet => {
  const sources: Source[] = []
  let tuples: Tuple[] = [[]]
  if (q.from !== undefined) {
    const first = loadRef(q.from.first, env)
    sources.push(first.source)
    tuples = first.rows.map((r) => [r])
    for (const j of q.from.joins) {
      const right = loadRef(j.ref, env)
      sources.push(right.source)
      const next: Tuple[] = []
      for (const t of tuples) {
        let matched = false
        for (const r of right.rows) {
          const candidate = [...t, r]
          if (j.on === undefined || truthy(scalarEval(j.on, candidate, sources, env, undefined))) {
            next.push(candidate)
            matched = true
          }
        }
        if (!matched && j.type.startsWith('LEFT')) next.push([...t, null])
      }
      tuples = next
    }
  }
  if (q.where !== undefined) {
    const where = q.where
    tuples = tuples.filter((t) => truthy(scalarEval(where, t, sources, env, undefined)))
  }
  const items = q.items.flatMap((item) => {
    if (item.expr.k !== 'star') return [item]
    const table = item.expr.table
    const picked = table.length === 0 ? sources : sources.filter((s) => s.qualifier === table[table.length - 1])
    if (picked.length === 0) throw analysisError(table.length === 0 ? 'No tables used' : `Unknown table '${table.join('.')}'`)
    return picked.flatMap((s) => s.columns.map((c) => ({
      expr: { k: 'col', parts: [s.qualifier, c.name], text: c.name, tok: { kind: 'word', value: c.name, text: c.name, start: 0, end: 0, line: 1, column: 1 } } as Expr,
      alias: c.name,
    })))
  })
  const names = items.map((i) => i.alias ?? (i.expr.k === 'col' ? (i.expr.parts[i.expr.parts.length - 1] as string) : i.expr.text))
  type Out = { values: Value[]; group: readonly Tuple[] }
  let out: Out[]
  if (isAggregateQuery(q)) {
    const groups = new Map<string, Tuple[]>()
    for (const t of tuples) {
      const key = JSON.stringify(q.groupBy.map((g) => scalarEval(g, t, sources, env, undefined)))
      const list = groups.get(key)
      if (list === undefined) groups.set(key, [t])
      else list.push(t)
    }
    if (groups.size === 0 && q.groupBy.length === 0) groups.set('[]', [])
    out = [...groups.values()].map((group) => ({ group, values: items.map((i) => scalarEval(i.expr, group[0] ?? nullTuple(sources), sources, env, group)) }))
    if (q.having !== undefined) {
      const having = q.having
      out = out.filter((o) => truthy(scalarEval(having, o.group[0] ?? nullTuple(sources), sources, env, o.group)))
    }
  } else {
    out = tuples.map((t) => ({ group: [t], values: items.map((i) => scalarEval(i.expr, t, sources, env, undefined)) }))
  }
  if (q.distinct) {
    const seen = new Set<string>()
    out = out.filter((o) => {
      const key = JSON.stringify(o.values)
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  }
  if (q.orderBy.length > 0) {
    const keyOf = (o: Out): Value[] => q.orderBy.map((ob) => {
      if (ob.expr.k === 'col' && ob.expr.parts.length === 1) {
        const wanted = (ob.expr.parts[0] as string).toLowerCase()
        const idx = names.findIndex((n) => n.toLowerCase() === wanted)
        if (idx >= 0) return o.values[idx] ?? null
      }
      if (ob.expr.k === 'num') return o.values[Number(ob.expr.value) - 1] ?? null
      return scalarEval(ob.expr, o.group[0] ?? nullTuple(sources), sources, env, isAggregateQuery(q) ? o.group : undefined)
    })
    const keyed = out.map((o) => ({ o, key: keyOf(o) }))
    keyed.sort((a, b) => {
      for (let i = 0; i < q.orderBy.length; i++) {
        const d = compareValues(a.key[i] ?? null, b.key[i] ?? null)
        if (d !== 0) return q.orderBy[i]?.desc === true ? -d : d
      }
      return 0
    })
    out = keyed.map((k) => k.o)
  }
  if (q.limit !== undefined) out = out.slice(q.limit.offset, q.limit.offset + q.limit.count)
  const columns = items.map((item, i) => ({ name: names[i] as string, type: resultType(item.expr, sources, out.map((o) => o.values[i] ?? null)) }))
  return { columns, rows: out.map((o) => o.values) }
}

const nullTuple = (sources: readonly Source[]): Tuple => sources.map(() => null)

const resultType = (e: Expr, sources: readonly Source[], values: readonly Value[]): string => {
  if (e.k === 'col') {
    const hit = findColumn(e.parts, sources)
    if (hit !== undefined) return hit.type
  }
  if (e.k === 'func' && e.name.toLowerCase() === 'count') return 'BIGINT'
  const present = values.filter((v) => v !== null)
  if (present.length > 0 && present.every((v) => typeof v === 'number')) {
    return present.every((v) => Number.isInteger(v)) ? 'BIGINT' : 'DOUBLE'
  }
  return 'VARCHAR'
}

const findColumn = (parts: readonly string[], sources: readonly Source[]): { index: number; name: string; type: string } | undefined => {
  const colName = (parts[parts.length - 1] as string).toLowerCase()
  const hits: { index: number; name: string; type: string }[] = []
  sources.forEach((s, index) => {
    if (parts.length === 2 && s.qualifier !== parts[0]) return
    if (parts.length === 3 && (s.db !== parts[0] || s.name !== parts[1])) return
    const col = s.columns.find((c) => c.name.toLowerCase() === colName)
    if (col !== undefined) hits.push({ index, name: col.name, type: col.type })
  })
  if (hits.length > 1) throw new EmulatorError(1052, `Column '${parts[parts.length - 1]}' in field list is ambiguous`, '23000')
  return hits[0]
}

const scalarEval = (e: Expr, t: Tuple, sources: readonly Source[], env: EvalEnv, group: readonly Tuple[] | undefined): Value => {
  const ev = (x: Expr): Value => scalarEval(x, t, sources, env, group)
  switch (e.k) {
    case 'col': {
      const hit = findColumn(e.parts, sources)
      if (hit === undefined) throw analysisError(`Column '${e.parts.join('.')}' cannot be resolved`)
      const row = t[hit.index]
      return row === null || row === undefined ? null : (row[hit.name.toLowerCase()] ?? null)
    }
    case 'star': throw analysisError('* is only allowed in a select list or in count(*)')
    case 'num': return Number(e.value)
    case 'str': return e.value
    case 'null': return null
    case 'bool': return e.value ? 1 : 0
    case 'var': return env.variable(e.name, e.system)
    case 'paren': return ev(e.e)
    case 'neg': {
      const v = ev(e.e)
      return v === null ? null : -Number(v)
    }
    case 'not': {
      const v = ev(e.e)
      return v === null ? null : truthy(v) ? 0 : 1
    }
    case 'isnull': return (ev(e.e) === null) !== e.not ? 1 : 0
    case 'in': {
      const v = ev(e.e)
      if (v === null) return null
      const hit = e.list.some((x) => {
        const w = ev(x)
        return w !== null && compareValues(v, w) === 0
      })
      return hit !== e.not ? 1 : 0
    }
    case 'between': {
      const v = ev(e.e)
      const lo = ev(e.lo)
      const hi = ev(e.hi)
      if (v === null || lo === null || hi === null) return null
      return (compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0) !== e.not ? 1 : 0
    }
    case 'like': {
      const v = ev(e.e)
      const p = ev(e.pattern)
      if (v === null || p === null) return null
      return like(String(v), String(p)) !== e.not ? 1 : 0
    }
    case 'cast': {
      const v = ev(e.e)
      if (v === null) return null
      if (/^(INT|BIGINT|TINYINT|SMALLINT|LARGEINT|SIGNED|UNSIGNED)/.test(e.type)) return Math.trunc(Number(v))
      if (/^(DOUBLE|FLOAT|DECIMAL)/.test(e.type)) return Number(v)
      if (e.type.startsWith('DATE') && !e.type.startsWith('DATETIME')) return String(v).slice(0, 10)
      return String(v)
    }
    case 'case': {
      const operand = e.operand === undefined ? undefined : ev(e.operand)
      for (const [w, then] of e.whens) {
        const wv = ev(w)
        if (operand === undefined ? truthy(wv) : operand !== null && wv !== null && compareValues(operand, wv) === 0) return ev(then)
      }
      return e.otherwise === undefined ? null : ev(e.otherwise)
    }
    case 'interval': throw analysisError('INTERVAL is only supported in refresh schedules')
    case 'bin': return binary(e.op, e.l, e.r, ev)
    case 'func': {
      const name = e.name.toLowerCase()
      if (isAggregateName(name)) {
        if (group === undefined) throw new EmulatorError(1111, 'Invalid use of group function', 'HY000')
        return aggregate(name, e, group, sources, env)
      }
      const args = e.args.map(ev)
      const builtin = scalarFunction(name, args)
      if (builtin !== undefined) return builtin.value
      const known = env.scalar(name, args)
      if (known !== undefined) return known
      throw analysisError(`No matching function with signature: ${name}(${args.map((a) => (typeof a === 'number' ? 'bigint' : 'varchar')).join(', ')})`)
    }
  }
}

const binary = (op: string, l: Expr, r: Expr, ev: (x: Expr) => Value): Value => {
  if (op === 'AND') {
    const a = ev(l)
    if (a !== null && !truthy(a)) return 0
    const b = ev(r)
    if (b !== null && !truthy(b)) return 0
    return a === null || b === null ? null : 1
  }
  if (op === 'OR') {
    const a = ev(l)
    if (a !== null && truthy(a)) return 1
    const b = ev(r)
    if (b !== null && truthy(b)) return 1
    return a === null || b === null ? null : 0
  }
  const a = ev(l)
  const b = ev(r)
  if (op === '<=>') return (a === null && b === null) || (a !== null && b !== null && compareValues(a, b) === 0) ? 1 : 0
  if (a === null || b === null) return null
  switch (op) {
    case '=': return compareValues(a, b) === 0 ? 1 : 0
    case '<>': case '!=': return compareValues(a, b) !== 0 ? 1 : 0
    case '<': return compareValues(a, b) < 0 ? 1 : 0
    case '>': return compareValues(a, b) > 0 ? 1 : 0
    case '<=': return compareValues(a, b) <= 0 ? 1 : 0
    case '>=': return compareValues(a, b) >= 0 ? 1 : 0
    case '+': return Number(a) + Number(b)
    case '-': return Number(a) - Number(b)
    case '*': return Number(a) * Number(b)
    case '/': return Number(b) === 0 ? null : Number(a) / Number(b)
    case '%': case 'MOD': return Number(b) === 0 ? null : Number(a) % Number(b)
    case 'DIV': return Number(b) === 0 ? null : Math.trunc(Number(a) / Number(b))
    default: throw analysisError(`Unsupported operator ${op}`)
  }
}

const aggregate = (name: string, e: Extract<Expr, { k: 'func' }>, group: readonly Tuple[], sources: readonly Source[], env: EvalEnv): Value => {
  const arg = e.args[0]
  if (name === 'count' && (e.star || arg === undefined)) return group.length
  if (arg === undefined) throw analysisError(`${name}() needs an argument`)
  let values = group.map((t) => scalarEval(arg, t, sources, env, undefined)).filter((v): v is string | number => v !== null)
  if (e.distinct) values = [...new Map(values.map((v) => [JSON.stringify(v), v])).values()]
  switch (name) {
    case 'count': return values.length
    case 'sum': return values.length === 0 ? null : values.reduce<number>((s, v) => s + Number(v), 0)
    case 'avg': return values.length === 0 ? null : values.reduce<number>((s, v) => s + Number(v), 0) / values.length
    case 'max': return values.length === 0 ? null : values.reduce((m, v) => (compareValues(v, m) > 0 ? v : m))
    case 'min': return values.length === 0 ? null : values.reduce((m, v) => (compareValues(v, m) < 0 ? v : m))
    case 'any_value': return values[0] ?? null
    case 'group_concat': return values.length === 0 ? null : values.map(String).join(',')
    default: throw analysisError(`The emulator cannot compute ${name}()`)
  }
}

const scalarFunction = (name: string, args: readonly Value[]): { value: Value } | undefined => {
  const a0 = args[0] ?? null
  switch (name) {
    case 'concat': return { value: args.some((a) => a === null) ? null : args.map(String).join('') }
    case 'lower': return { value: a0 === null ? null : String(a0).toLowerCase() }
    case 'upper': return { value: a0 === null ? null : String(a0).toUpperCase() }
    case 'length': return { value: a0 === null ? null : Buffer.byteLength(String(a0)) }
    case 'ifnull': case 'nvl': return { value: a0 ?? args[1] ?? null }
    case 'coalesce': return { value: args.find((a) => a !== null) ?? null }
    case 'if': return { value: truthy(a0) ? (args[1] ?? null) : (args[2] ?? null) }
    case 'abs': return { value: a0 === null ? null : Math.abs(Number(a0)) }
    default: return undefined
  }
}

/** Keep the rows of a row set for which `where` holds. */
export const filterRows = (set: RowSet, where: Expr | undefined, env: EvalEnv): Row[] => {
  if (where === undefined) return [...set.rows]
  const source: Source = { qualifier: '', db: '', name: '', columns: set.columns }
  return set.rows.filter((r) => truthy(scalarEval(where, [r], [source], env, undefined)))
}

/** Evaluate an expression with no row in scope (INSERT values, SET values). */
export const evaluateConstant = (e: Expr, env: EvalEnv): Value => scalarEval(e, [], [], env, undefined)

/** Evaluate an expression against one row of a row set (UPDATE ... SET c = expr). */
export const evaluateOnRow = (e: Expr, set: RowSet, row: Row, env: EvalEnv): Value =>
  scalarEval(e, [row], [{ qualifier: '', db: '', name: '', columns: set.columns }], env, undefined)
