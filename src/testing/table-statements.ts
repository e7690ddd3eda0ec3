import type { Token } from '../reflect/tokenizer.js'
import { relationColumns, timestamp, type Catalog, type ColumnDef, type Distribution, type TableObject, type ViewObject } from './catalog.js'
import { EmulatorError, analysisError, syntaxError, tableExists } from './emulator-error.js'
import { evaluateConstant, evaluateOnRow, evaluateQuery, filterRows, type Row, type Value } from './evaluate.js'
import { parseExpr, type Expr } from './expression.js'
import { inactivateDependents, parseProperties } from './mv-statements.js'
import { analyseQuery, parseQuery, startsQuery } from './select-query.js'
import { findRelation, makeEnv, requireDatabase, resolveDb, shapeLookup, type Session, type StatementResult } from './session.js'
import type { TokenCursor } from './token-cursor.js'

const OK: StatementResult = { kind: 'ok', affectedRows: 0 }

/** Parse a column type: `INT(11)`, `DECIMAL(10, 2)`, `ARRAY<INT>`, `VARCHAR(65533)`. */
const parseColumnType = (c: TokenCursor): string => {
  const from = c.pos
  c.ident('type')
  if (c.isPunct('(')) c.skipGroup()
  if (c.isPunct('<')) {
    let depth = 0
    do {
      const t = c.next()
      if (t.value === '<') depth++
      else if (t.value === '>') depth--
      else if (t.value === '>>') depth -= 2
    } while (depth > 0)
  }
  while (c.isKw('UNSIGNED') || c.isKw('SIGNED')) c.next()
  return c.textFrom(from).replace(/\s+/g, '').toUpperCase()
}

/** Skip `( PARTITION p VALUES [("a"), ("b")), ... )`: a half-open range `[...)` counts as one group. */
const skipPartitionList = (c: TokenCursor): void => {
  let depth = 0
  do {
    const t = c.next()
    if (t.kind !== 'punct') continue
    if (t.value === '(' || t.value === '[') depth++
    else if (t.value === ')' || t.value === ']') depth--
  } while (depth > 0)
}

const AGG_TYPES = new Set(['SUM', 'MAX', 'MIN', 'REPLACE', 'REPLACE_IF_NOT_NULL', 'HLL_UNION', 'BITMAP_UNION', 'PERCENTILE_UNION'])

const parseColumnDef = (c: TokenCursor, session: Session, cat: Catalog): ColumnDef => {
  const name = c.ident('column name')
  const type = parseColumnType(c)
  let nullable = true
  let comment = ''
  let autoIncrement = false
  let defaultValue: ColumnDef['defaultValue']
  for (;;) {
    const w = c.peek()
    if (w !== undefined && w.kind === 'word' && AGG_TYPES.has(w.value.toUpperCase())) c.next()
    else if (c.acceptKw('NOT', 'NULL')) nullable = false
    else if (c.acceptKw('NULL')) nullable = true
    else if (c.acceptKw('AUTO_INCREMENT')) autoIncrement = true
    else if (c.acceptKw('KEY')) continue
    else if (c.acceptKw('COMMENT')) comment = c.string('comment')
    else if (c.acceptKw('DEFAULT')) {
      if (c.acceptKw('CURRENT_TIMESTAMP')) {
        if (c.acceptPunct('(')) c.expectPunct(')')
        defaultValue = { now: true }
      } else {
        defaultValue = evaluateConstant(parseExpr(c), makeEnv(cat, session))
      }
    } else if (c.acceptKw('AS')) {
      parseExpr(c)
    } else break
  }
  return { name, type, nullable, comment, autoIncrement, ...(defaultValue === undefined ? {} : { defaultValue }) }
}

const names = (c: TokenCursor): string[] => {
  c.expectPunct('(')
  const out = [c.ident('column')]
  while (c.acceptPunct(',')) out.push(c.ident('column'))
  c.expectPunct(')')
  return out
}

/** CREATE TABLE (cursor after `CREATE [EXTERNAL] TABLE`). */
export const createTable = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  const ifNotExists = c.acceptKw('IF', 'NOT', 'EXISTS')
  const q = c.qualifiedName()
  const db = resolveDb(session, q.db)
  const rels = requireDatabase(cat, db)
  c.expectPunct('(')
  const columns: ColumnDef[] = []
  do {
    if (c.isKw('INDEX')) {
      c.next()
      c.ident('index name')
      c.skipGroup()
      while (!c.atEnd && !c.isPunct(',') && !c.isPunct(')')) c.next()
      continue
    }
    columns.push(parseColumnDef(c, session, cat))
  } while (c.acceptPunct(','))
  c.expectPunct(')')
  let keysType: TableObject['keysType'] = 'DUP_KEYS'
  let keys: string[] = []
  let comment = ''
  let partitionKey: string[] = []
  let distribution: Distribution | undefined
  let orderBy: string[] = []
  let properties = new Map<string, string>()
  for (;;) {
    const t = c.peek()
    if (c.acceptKw('ENGINE')) {
      c.expectPunct('=')
      const engine = c.ident('engine')
      if (engine.toUpperCase() !== 'OLAP') throw analysisError(`The emulator only creates OLAP tables, not ${engine}`, t)
    } else if (c.acceptKw('DUPLICATE', 'KEY')) keys = names(c)
    else if (c.acceptKw('PRIMARY', 'KEY')) [keysType, keys] = ['PRI_KEYS', names(c)]
    else if (c.acceptKw('UNIQUE', 'KEY')) [keysType, keys] = ['UNQ_KEYS', names(c)]
    else if (c.acceptKw('AGGREGATE', 'KEY')) [keysType, keys] = ['AGG_KEYS', names(c)]
    else if (c.acceptKw('COMMENT')) comment = c.string('comment')
    else if (c.acceptKw('PARTITION', 'BY')) {
      if (c.acceptKw('RANGE') || c.acceptKw('LIST')) {
        partitionKey = names(c)
        if (c.isPunct('(')) skipPartitionList(c)
      } else {
        const exprs: Expr[] = [parseExpr(c)]
        while (c.acceptPunct(',')) exprs.push(parseExpr(c))
        partitionKey = exprs.map((e) => e.text)
      }
    } else if (c.acceptKw('DISTRIBUTED', 'BY')) {
      const d = c.peek()
      if (c.acceptKw('HASH')) distribution = { kind: 'hash', columns: names(c) }
      else if (c.acceptKw('RANDOM')) distribution = { kind: 'random' }
      else throw syntaxError(d, "'HASH', 'RANDOM'")
      if (c.acceptKw('BUCKETS')) distribution = { ...distribution, buckets: c.integer('bucket number') }
    } else if (c.acceptKw('ORDER', 'BY')) orderBy = names(c)
    else if (c.acceptKw('PROPERTIES')) properties = parseProperties(c)
    else break
  }
  c.expectEnd()
  const seen = new Set<string>()
  for (const col of columns) {
    if (seen.has(col.name.toLowerCase())) throw new EmulatorError(1060, `Duplicate column name '${col.name}'`, '42S21')
    seen.add(col.name.toLowerCase())
  }
  for (const k of [...keys, ...(distribution?.kind === 'hash' ? distribution.columns : [])]) {
    if (!seen.has(k.toLowerCase())) throw analysisError(`Unknown column '${k}' does not exist`)
  }
  if (rels.has(q.name)) {
    if (ifNotExists) return OK
    throw tableExists(q.name)
  }
  const id = cat.nextId++
  rels.set(q.name, {
    kind: 'table', id, db, name: q.name, columns, keysType, keys: keys.length > 0 ? keys : columns.slice(0, 1).map((x) => x.name),
    partitionKey, ...(distribution === undefined ? {} : { distribution }), orderBy, properties, comment,
    createTime: timestamp(), rows: [], nextAutoIncrement: 1, visibleVersionTime: timestamp(),
  })
  return OK
}

/** CREATE [OR REPLACE] VIEW (cursor after `VIEW`). */
export const createView = (c: TokenCursor, cat: Catalog, session: Session, orReplace: boolean): StatementResult => {
  const ifNotExists = c.acceptKw('IF', 'NOT', 'EXISTS')
  const q = c.qualifiedName()
  let columnNames: string[] | undefined
  if (c.isPunct('(')) {
    c.next()
    columnNames = []
    do {
      columnNames.push(c.ident('column'))
      if (c.acceptKw('COMMENT')) c.string('comment')
    } while (c.acceptPunct(','))
    c.expectPunct(')')
  }
  const comment = c.acceptKw('COMMENT') ? c.string('comment') : ''
  c.expectKw('AS')
  const start = c.pos
  const query = parseQuery(c)
  c.expectEnd()
  const db = resolveDb(session, q.db)
  const rels = requireDatabase(cat, db)
  const existing = rels.get(q.name)
  if (existing !== undefined) {
    if (ifNotExists) return OK
    if (!(orReplace && existing.kind === 'view')) throw tableExists(q.name)
  }
  const analysed = analyseQuery(query, shapeLookup(cat), db)
  let columns = analysed.columns
  if (columnNames !== undefined) {
    if (columnNames.length !== columns.length) throw new EmulatorError(1353, "View's SELECT and view's field list have different column counts", 'HY000')
    columns = columnNames.map((name, i) => ({ name, type: columns[i]?.type ?? 'VARCHAR' }))
  }
  const id = existing?.id ?? cat.nextId++
  const view: ViewObject = {
    kind: 'view', id, db, name: q.name, columns, query, definition: analysed.rewritten.replace(/\n/g, ' '),
    createText: c.source.slice((c.tokens[start] as Token).start).trim(), comment, createTime: timestamp(),
  }
  rels.set(q.name, view)
  return OK
}

/** DROP TABLE / DROP VIEW (cursor after `TABLE` / `VIEW`). */
export const dropTableOrView = (c: TokenCursor, cat: Catalog, session: Session, kind: 'table' | 'view'): StatementResult => {
  const ifExists = c.acceptKw('IF', 'EXISTS')
  const q = c.qualifiedName()
  c.acceptKw('FORCE')
  c.expectEnd()
  const db = resolveDb(session, q.db)
  const rels = requireDatabase(cat, db)
  const r = rels.get(q.name)
  if (r === undefined) {
    if (ifExists) return OK
    throw new EmulatorError(1051, `Unknown table '${q.name}'`, '42S02')
  }
  if (kind === 'view' && r.kind !== 'view') throw analysisError(`${q.name} is not a view, use DROP TABLE or DROP MATERIALIZED VIEW`)
  if (kind === 'table' && r.kind === 'mv') throw analysisError(`The data of '${q.name}' cannot be dropped because '${q.name}' is a materialized view,use 'drop materialized view ${q.name}' to drop it`)
  rels.delete(q.name)
  inactivateDependents(cat, db, q.name, `base-table dropped: ${q.name}`)
  return OK
}

const requireTable = (cat: Catalog, session: Session, q: { db?: string; name: string }, verb: string): TableObject => {
  const db = resolveDb(session, q.db)
  requireDatabase(cat, db)
  const r = findRelation(cat, db, q.name)
  if (r === undefined) throw analysisError(`Unknown table '${db}.${q.name}'`)
  if (r.kind !== 'table') throw analysisError(`The target table ${q.name} of the ${verb} is not insertable-into`)
  return r
}

/** Store a value the way a column of this type holds it. */
const coerce = (col: ColumnDef, v: Value): Value => {
  if (v === null) return null
  const t = col.type.toUpperCase()
  if (/^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|BOOLEAN)/.test(t)) {
    const n = Number(v)
    if (!Number.isFinite(n)) throw analysisError(`Invalid number '${v}' for column '${col.name}'`)
    return Math.trunc(n)
  }
  if (/^(FLOAT|DOUBLE|DECIMAL)/.test(t)) {
    const n = Number(v)
    if (!Number.isFinite(n)) throw analysisError(`Invalid number '${v}' for column '${col.name}'`)
    return n
  }
  if (t.startsWith('DATETIME')) {
    const s = String(v)
    return /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s} 00:00:00` : s.replace('T', ' ').replace(/\.\d+Z?$|Z$/, '')
  }
  return String(v)
}

const keyOf = (t: TableObject, row: Row): string => JSON.stringify(t.keys.map((k) => row[k.toLowerCase()] ?? null))

/** INSERT INTO t [(cols)] VALUES (...), ... | SELECT ... (cursor after `INSERT`). */
export const insertInto = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  const overwrite = c.acceptKw('OVERWRITE')
  if (!overwrite) c.expectKw('INTO')
  else c.acceptKw('TABLE')
  const q = c.qualifiedName()
  const t = requireTable(cat, session, q, 'INSERT')
  if (c.acceptKw('WITH', 'LABEL')) c.ident('label')
  let targets = t.columns
  if (c.isPunct('(') && !startsQuery(c.peek(1))) {
    targets = names(c).map((n) => {
      const col = t.columns.find((x) => x.name.toLowerCase() === n.toLowerCase())
      if (col === undefined) throw new EmulatorError(1054, `Unknown column '${n}' in '${t.name}'`, '42S22')
      return col
    })
  }
  const env = makeEnv(cat, session)
  let tuples: Value[][]
  if (c.acceptKw('VALUES')) {
    tuples = []
    do {
      c.expectPunct('(')
      const values: Value[] = []
      if (!c.isPunct(')')) {
        do values.push(c.acceptKw('DEFAULT') ? undefined as unknown as Value : evaluateConstant(parseExpr(c), env))
        while (c.acceptPunct(','))
      }
      c.expectPunct(')')
      tuples.push(values)
    } while (c.acceptPunct(','))
  } else {
    const query = parseQuery(c)
    tuples = evaluateQuery(query, env).rows.map((r) => [...r])
  }
  c.expectEnd()
  const rows: Row[] = tuples.map((values) => {
    if (values.length !== targets.length) throw new EmulatorError(1136, "Column count doesn't match value count", '21S01')
    const row: Record<string, Value> = {}
    for (const col of t.columns) {
      const i = targets.indexOf(col)
      const given = i >= 0 ? values[i] : undefined
      let v: Value
      if (given !== undefined) v = given
      else if (col.autoIncrement) v = t.nextAutoIncrement++
      else if (col.defaultValue !== undefined) v = typeof col.defaultValue === 'object' && col.defaultValue !== null ? timestamp() : col.defaultValue
      else if (col.nullable) v = null
      else throw new EmulatorError(5002, `'${col.name}' must be explicitly mentioned in column permutation`, 'HY000')
      if (v === null && !col.nullable) throw analysisError(`Column '${col.name}' is not nullable`)
      row[col.name.toLowerCase()] = coerce(col, v)
    }
    return row
  })
  if (overwrite) t.rows = []
  for (const row of rows) {
    if (t.keysType === 'PRI_KEYS' || t.keysType === 'UNQ_KEYS') {
      const k = keyOf(t, row)
      const idx = t.rows.findIndex((r) => keyOf(t, r) === k)
      if (idx >= 0) {
        t.rows[idx] = row
        continue
      }
    }
    t.rows.push(row)
  }
  t.visibleVersionTime = timestamp()
  const txn = cat.nextId++
  return {
    kind: 'ok', affectedRows: rows.length,
    info: `{'label':'insert_${txn.toString(16)}', 'status':'VISIBLE', 'txnId':'${txn}'}`,
  }
}

/** UPDATE t SET c = e, ... [WHERE ...] (cursor after `UPDATE`); Primary Key tables only, as in StarRocks. */
export const update = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  const q = c.qualifiedName()
  const t = requireTable(cat, session, q, 'UPDATE')
  c.expectKw('SET')
  const sets: { col: ColumnDef; expr: Expr }[] = []
  do {
    const n = c.ident('column')
    const col = t.columns.find((x) => x.name.toLowerCase() === n.toLowerCase())
    if (col === undefined) throw new EmulatorError(1054, `Unknown column '${n}' in '${t.name}'`, '42S22')
    c.expectPunct('=')
    sets.push({ col, expr: parseExpr(c) })
  } while (c.acceptPunct(','))
  const where = c.acceptKw('WHERE') ? parseExpr(c) : undefined
  c.expectEnd()
  if (t.keysType !== 'PRI_KEYS') throw analysisError('only support updating primary key table')
  const env = makeEnv(cat, session)
  const set = { columns: relationColumns(t), rows: t.rows }
  const hit = new Set(filterRows(set, where, env))
  t.rows = t.rows.map((row) => {
    if (!hit.has(row)) return row
    const next: Record<string, Value> = { ...row }
    for (const s of sets) next[s.col.name.toLowerCase()] = coerce(s.col, evaluateOnRow(s.expr, set, row, env))
    return next
  })
  if (hit.size > 0) t.visibleVersionTime = timestamp()
  return { kind: 'ok', affectedRows: hit.size }
}

/** DELETE FROM t [WHERE ...] (cursor after `DELETE`). */
export const deleteFrom = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  c.expectKw('FROM')
  const q = c.qualifiedName()
  const t = requireTable(cat, session, q, 'DELETE')
  const where = c.acceptKw('WHERE') ? parseExpr(c) : undefined
  c.expectEnd()
  const env = makeEnv(cat, session)
  const hit = new Set(filterRows({ columns: relationColumns(t), rows: t.rows }, where, env))
  t.rows = t.rows.filter((r) => !hit.has(r))
  if (hit.size > 0) t.visibleVersionTime = timestamp()
  return { kind: 'ok', affectedRows: hit.size }
}

/** TRUNCATE TABLE t (cursor after `TRUNCATE`). */
export const truncate = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  c.acceptKw('TABLE')
  const q = c.qualifiedName()
  c.expectEnd()
  const t = requireTable(cat, session, q, 'TRUNCATE')
  t.rows = []
  t.visibleVersionTime = timestamp()
  return OK
}
