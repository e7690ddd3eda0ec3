import type { Token } from '../reflect/tokenizer.js'
import { quoteDoubleString } from '../sql/index.js'
import { relationColumns, timestamp, type Catalog, type ColumnDef, type Distribution, type IndexDef, type PartitionDef, type TableObject, type TablePartition, type ViewObject } from './catalog.js'
import { EmulatorError, analysisError, syntaxError, tableExists } from './emulator-error.js'
import { evaluateConstant, evaluateOnRow, evaluateQuery, filterRows, type Row, type Value } from './evaluate.js'
import { parseExpr, walk, type Expr } from './expression.js'
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
  // One space after a comma and between a STRUCT field's name and type; none elsewhere.
  return c.textFrom(from).replace(/\s+/g, ' ').replace(/\s*([(),<>])\s*/g, '$1').replace(/,/g, ', ')
}

const AGG_TYPES = new Set(['SUM', 'MAX', 'MIN', 'REPLACE', 'REPLACE_IF_NOT_NULL', 'HLL_UNION', 'BITMAP_UNION', 'PERCENTILE_UNION'])

/** A partition value as printed: a quoted string, or MAXVALUE. */
const partitionValue = (c: TokenCursor): string => {
  const t = c.peek()
  if (c.acceptKw('MAXVALUE')) return 'MAXVALUE'
  if (t !== undefined && (t.kind === 'string' || t.kind === 'number')) {
    c.next()
    return quoteDoubleString(t.value)
  }
  throw syntaxError(t, 'a partition value')
}

const valueTuple = (c: TokenCursor): string[] => {
  c.expectPunct('(')
  const out = [partitionValue(c)]
  while (c.acceptPunct(',')) out.push(partitionValue(c))
  c.expectPunct(')')
  return out
}

/** The lowest value of a partition column's type, which StarRocks prints as the lower bound of the first LESS THAN partition. */
const typeMinimum = (type: string): string => {
  const t = type.toUpperCase()
  if (t.startsWith('DATETIME')) return '"0000-01-01 00:00:00"'
  if (t.startsWith('DATE')) return '"0000-01-01"'
  if (t.startsWith('TINYINT')) return '"-128"'
  if (t.startsWith('SMALLINT')) return '"-32768"'
  if (t.startsWith('BIGINT')) return '"-9223372036854775808"'
  if (t.startsWith('LARGEINT')) return '"-170141183460469231731687303715884105728"'
  return '"-2147483648"'
}

/** Normalise a bound the way StarRocks prints it for the column type: a DATETIME bound gets its time. */
const normaliseBound = (value: string, type: string): string =>
  type.toUpperCase().startsWith('DATETIME') && /^"\d{4}-\d{2}-\d{2}"$/.test(value) ? `${value.slice(0, -1)} 00:00:00"` : value

/** Compare two printed bounds (`"2024-01-01"`, `"100"`, MAXVALUE): numbers as numbers, the rest as text. */
const compareBound = (a: string, b: string): number => {
  if (a === b) return 0
  if (a === 'MAXVALUE') return 1
  if (b === 'MAXVALUE') return -1
  const x = a.replace(/^"|"$/g, '')
  const y = b.replace(/^"|"$/g, '')
  if (/^-?\d+(\.\d+)?$/.test(x) && /^-?\d+(\.\d+)?$/.test(y)) return Number(x) - Number(y)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Compare two bound tuples element by element. */
export const compareBounds = (a: readonly string[], b: readonly string[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = compareBound(a[i] ?? '', b[i] ?? '')
    if (d !== 0) return d
  }
  return 0
}

/** A RANGE partition with its half-open range `[lower, upper)`, as SHOW CREATE TABLE prints it. */
export const rangePartitionDef = (name: string, lower: readonly string[], upper: readonly string[]): PartitionDef =>
  ({ name, values: `[(${lower.join(', ')}), (${upper.join(', ')}))`, lower: [...lower], upper: [...upper] })

/** The lowest bounds of the partition columns (the lower bound of a first LESS THAN partition). */
export const minimumBounds = (types: readonly string[]): string[] => types.map(typeMinimum)

/**
 * `PARTITION [IF NOT EXISTS] p VALUES LESS THAN (...) | [(..), (..))` (cursor at PARTITION): the name
 * and bounds, normalised for the column types (`lower` undefined for LESS THAN).
 */
export const parseRangePartition = (c: TokenCursor, types: readonly string[]): { name: string; ifNotExists: boolean; lower?: string[]; upper: string[] } => {
  const norm = (vs: string[]): string[] => vs.map((v, i) => normaliseBound(v, types[i] ?? ''))
  c.expectKw('PARTITION')
  const ifNotExists = c.acceptKw('IF', 'NOT', 'EXISTS')
  const name = c.ident('partition name')
  c.expectKw('VALUES')
  if (c.acceptKw('LESS', 'THAN')) {
    const upper = c.acceptKw('MAXVALUE') ? types.map(() => 'MAXVALUE') : norm(valueTuple(c))
    if (upper.length !== types.length) throw analysisError(`Partition column number should be equal to the number of values in partition ${name}`)
    return { name, ifNotExists, upper }
  }
  c.expectPunct('[')
  const lower = norm(valueTuple(c))
  c.expectPunct(',')
  const upper = norm(valueTuple(c))
  c.expectPunct(')')
  if (upper.length !== types.length || lower.length !== types.length) throw analysisError(`Partition column number should be equal to the number of values in partition ${name}`)
  return { name, ifNotExists, lower, upper }
}

/** `( PARTITION p VALUES LESS THAN (...) | [(..), (..)), ... )` of a RANGE table, printed as half-open ranges. */
const rangePartitions = (c: TokenCursor, types: readonly string[]): PartitionDef[] => {
  c.expectPunct('(')
  const out: PartitionDef[] = []
  let previous: string[] | undefined
  if (!c.isPunct(')')) {
    do {
      if (c.isKw('START')) throw analysisError('The emulator does not create batch partitions (START ... END ... EVERY): declare them one by one', c.peek())
      const p = parseRangePartition(c, types)
      const lower = p.lower ?? previous ?? minimumBounds(types)
      const name = p.name
      if (out.some((x) => x.name.toLowerCase() === name.toLowerCase())) throw new EmulatorError(1517, `Duplicate partition name ${name}`, 'HY000')
      if (previous !== undefined && lower.join() < previous.join() && lower[0] !== previous[0]) throw analysisError(`Range ${lower.join(', ')} is intersected with range of partition before ${name}`)
      out.push(rangePartitionDef(name, lower, p.upper))
      previous = p.upper
      if (c.isPunct('(')) parseProperties(c)
    } while (c.acceptPunct(','))
  }
  c.expectPunct(')')
  return out
}

/** `PARTITION [IF NOT EXISTS] p VALUES IN (...)` (cursor at PARTITION): the name and the printed values. */
export const parseListPartition = (c: TokenCursor, columns: number): { name: string; ifNotExists: boolean; def: PartitionDef } => {
  c.expectKw('PARTITION')
  const ifNotExists = c.acceptKw('IF', 'NOT', 'EXISTS')
  const name = c.ident('partition name')
  c.expectKw('VALUES', 'IN')
  let tuples: string[][]
  let text: string
  if (columns > 1) {
    c.expectPunct('(')
    tuples = [valueTuple(c)]
    while (c.acceptPunct(',')) tuples.push(valueTuple(c))
    c.expectPunct(')')
    if (tuples.some((t) => t.length !== columns)) throw analysisError(`Partition column number should be equal to the number of values in partition ${name}`)
    text = `IN (${tuples.map((t) => `(${t.join(', ')})`).join(', ')})`
  } else {
    tuples = valueTuple(c).map((v) => [v])
    text = `IN (${tuples.map((t) => t[0]).join(', ')})`
  }
  return { name, ifNotExists, def: { name, values: text, tuples } }
}

/** `( PARTITION p VALUES IN (...), ... )` of a LIST table. */
const listPartitions = (c: TokenCursor, columns: number): PartitionDef[] => {
  c.expectPunct('(')
  const out: PartitionDef[] = []
  if (!c.isPunct(')')) {
    do {
      const { name, def } = parseListPartition(c, columns)
      if (out.some((p) => p.name.toLowerCase() === name.toLowerCase())) throw new EmulatorError(1517, `Duplicate partition name ${name}`, 'HY000')
      out.push(def)
      if (c.isPunct('(')) parseProperties(c)
    } while (c.acceptPunct(','))
  }
  c.expectPunct(')')
  return out
}

export const parseColumnDef = (c: TokenCursor, session: Session, cat: Catalog): ColumnDef => {
  const name = c.ident('column name')
  const type = parseColumnType(c)
  let nullable = true
  let comment = ''
  let autoIncrement = false
  let aggregate: string | undefined
  let defaultValue: ColumnDef['defaultValue']
  let defaultText: string | undefined
  for (;;) {
    const w = c.peek()
    if (w !== undefined && w.kind === 'word' && AGG_TYPES.has(w.value.toUpperCase())) {
      c.next()
      aggregate = w.value.toUpperCase()
    } else if (c.acceptKw('NOT', 'NULL')) nullable = false
    else if (c.acceptKw('NULL')) nullable = true
    else if (c.acceptKw('AUTO_INCREMENT')) autoIncrement = true
    else if (c.acceptKw('KEY')) continue
    else if (c.acceptKw('COMMENT')) comment = c.string('comment')
    else if (c.acceptKw('DEFAULT')) {
      if (c.acceptKw('CURRENT_TIMESTAMP')) {
        if (c.acceptPunct('(')) c.expectPunct(')')
        defaultValue = { now: true }
        defaultText = 'CURRENT_TIMESTAMP'
      } else if (c.isPunct('(')) {
        const from = c.pos
        c.skipGroup()
        defaultText = c.textFrom(from)
      } else {
        const t = c.peek()
        defaultValue = evaluateConstant(parseExpr(c), makeEnv(cat, session))
        if (t?.kind === 'string' || t?.kind === 'number') defaultText = quoteDoubleString(t.value)
        else defaultText = quoteDoubleString(String(defaultValue))
      }
    } else if (c.acceptKw('AS')) {
      parseExpr(c)
    } else break
  }
  return {
    name, type, nullable, comment, autoIncrement,
    ...(aggregate === undefined ? {} : { aggregate }),
    ...(defaultValue === undefined ? {} : { defaultValue }),
    ...(defaultText === undefined ? {} : { defaultText }),
  }
}

export const names = (c: TokenCursor): string[] => {
  c.expectPunct('(')
  const out = [c.ident('column')]
  while (c.acceptPunct(',')) out.push(c.ident('column'))
  c.expectPunct(')')
  return out
}

const INDEX_TYPES = new Set(['BITMAP', 'NGRAMBF', 'GIN', 'VECTOR'])

const parseIndexDef = (c: TokenCursor): IndexDef => {
  c.expectKw('INDEX')
  return parseIndexBody(c)
}

/** `name (cols) [USING type [(props)]] [COMMENT '...']` of an index (cursor after `INDEX`). */
export const parseIndexBody = (c: TokenCursor): IndexDef => {
  const name = c.ident('index name')
  const columns = names(c)
  let using = 'BITMAP'
  if (c.acceptKw('USING')) {
    const t = c.peek()
    using = c.ident('index type').toUpperCase()
    if (!INDEX_TYPES.has(using)) throw syntaxError(t, "'BITMAP', 'NGRAMBF', 'GIN'")
  }
  const properties = c.isPunct('(') ? parseProperties(c) : new Map<string, string>()
  const comment = c.acceptKw('COMMENT') ? c.string('comment') : ''
  return { name, columns, using, properties, comment }
}

/**
 * The DUPLICATE KEY StarRocks picks when a table names none: up to three leading columns, stopping
 * before a column that cannot be a sort key (floating point, complex, JSON) and after the first string column.
 */
const defaultKeys = (columns: readonly ColumnDef[]): string[] => {
  const out: string[] = []
  for (const col of columns) {
    const t = col.type.toUpperCase()
    if (/^(FLOAT|DOUBLE|ARRAY|MAP|STRUCT|JSON|BITMAP|HLL|PERCENTILE)/.test(t)) break
    out.push(col.name)
    if (out.length === 3 || /^(VARCHAR|CHAR|STRING)/.test(t)) break
  }
  return out.length > 0 ? out : columns.slice(0, 1).map((x) => x.name)
}

/** CREATE TABLE (cursor after `CREATE [EXTERNAL] TABLE`). */
export const createTable = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  const ifNotExists = c.acceptKw('IF', 'NOT', 'EXISTS')
  const q = c.qualifiedName()
  const db = resolveDb(session, q.db)
  const rels = requireDatabase(cat, db)
  c.expectPunct('(')
  const columns: ColumnDef[] = []
  const indexes: IndexDef[] = []
  do {
    if (c.isKw('INDEX')) indexes.push(parseIndexDef(c))
    else columns.push(parseColumnDef(c, session, cat))
  } while (c.acceptPunct(','))
  c.expectPunct(')')
  let keysType: TableObject['keysType'] = 'DUP_KEYS'
  let keys: string[] | undefined
  let comment = ''
  let partitionKey: string[] = []
  let partition: TablePartition | undefined
  let partitionStart: Token | undefined
  let distribution: Distribution | undefined
  let orderBy: string[] = []
  let properties = new Map<string, string>()
  const typesOf = (cols: readonly string[]): string[] => cols.map((n) => {
    const col = columns.find((x) => x.name.toLowerCase() === n.toLowerCase())
    if (col === undefined) throw analysisError(`Invalid partition column '${n}': not exists`)
    return col.type
  })
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
      partitionStart = c.peek()
      if (c.isKw('RANGE') && c.peek(1)?.value === '(' && c.peek(3)?.value !== '(') {
        c.next()
        partitionKey = names(c)
        partition = { kind: 'range', columns: partitionKey, partitions: c.isPunct('(') ? rangePartitions(c, typesOf(partitionKey)) : [] }
      } else if (c.isKw('LIST') && c.peek(1)?.value === '(') {
        c.next()
        partitionKey = names(c)
        typesOf(partitionKey)
        partition = { kind: 'list', columns: partitionKey, partitions: c.isPunct('(') ? listPartitions(c, partitionKey.length) : [] }
      } else {
        const list = c.acceptPunct('(')
        const exprs: Expr[] = [parseExpr(c)]
        while (c.acceptPunct(',')) exprs.push(parseExpr(c))
        if (list) c.expectPunct(')')
        partitionKey = exprs.map((e) => e.text)
        partition = { kind: 'expression', exprs }
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
  const keyList = keys ?? defaultKeys(columns)
  keyList.forEach((k, i) => {
    if (!seen.has(k.toLowerCase())) throw analysisError(`Key column(${k}) doesn't exist.`)
    if (columns[i]?.name.toLowerCase() !== k.toLowerCase()) throw analysisError('Key columns should be a ordered prefix of the schema.')
  })
  for (const col of columns) {
    const isKey = keyList.some((k) => k.toLowerCase() === col.name.toLowerCase())
    if (isKey && col.aggregate !== undefined) throw analysisError(`Key column[${col.name}] should not specify aggregate type.`)
    if (!isKey && col.aggregate !== undefined && keysType !== 'AGG_KEYS') throw analysisError(`Aggregate type ${col.aggregate} is not compatible with ${keysType === 'DUP_KEYS' ? 'duplicate' : keysType === 'PRI_KEYS' ? 'primary' : 'unique'} key table`)
    if (!isKey && col.aggregate === undefined && keysType === 'AGG_KEYS') throw analysisError(`Value column[${col.name}] of an aggregate key table must specify an aggregate type`)
    if (isKey && keysType === 'PRI_KEYS' && col.nullable) throw analysisError(`primary key column[${col.name}] cannot be nullable`)
  }
  for (const k of [...(distribution?.kind === 'hash' ? distribution.columns : []), ...orderBy, ...indexes.flatMap((x) => x.columns)]) {
    if (!seen.has(k.toLowerCase())) throw analysisError(`Unknown column '${k}' does not exist`)
  }
  if (distribution?.kind === 'random' && keysType !== 'DUP_KEYS') throw analysisError('Random distribution must be used in DUP_KEYS or AGG_KEYS table without replace or replace_if_not_null columns')
  if (partition?.kind === 'expression') {
    for (const e of partition.exprs) {
      walk(e, (x) => {
        if (x.k === 'col' && !seen.has((x.parts[x.parts.length - 1] as string).toLowerCase())) throw analysisError(`Invalid partition column '${x.parts.join('.')}': not exists`, partitionStart)
      })
    }
  }
  if (rels.has(q.name)) {
    if (ifNotExists) return OK
    throw tableExists(q.name)
  }
  const id = cat.nextId++
  rels.set(q.name, {
    kind: 'table', id, db, name: q.name, columns, keysType, keys: keyList, keysGiven: keys !== undefined,
    partitionKey, ...(partition === undefined ? {} : { partition }), ...(distribution === undefined ? {} : { distribution }),
    orderBy, indexes, properties, comment, createTime: timestamp(), rows: [], nextAutoIncrement: 1, visibleVersionTime: timestamp(),
  })
  return OK
}

/** CREATE [OR REPLACE] VIEW (cursor after `VIEW`); `alter` for ALTER VIEW (cursor after `VIEW`), which needs the view to exist. */
export const createView = (c: TokenCursor, cat: Catalog, session: Session, orReplace: boolean, alter = false): StatementResult => {
  const ifNotExists = !alter && c.acceptKw('IF', 'NOT', 'EXISTS')
  const q = c.qualifiedName()
  let columnNames: string[] | undefined
  const comments = new Map<number, string>()
  if (c.isPunct('(')) {
    c.next()
    columnNames = []
    do {
      columnNames.push(c.ident('column'))
      if (c.acceptKw('COMMENT')) comments.set(columnNames.length - 1, c.string('comment'))
    } while (c.acceptPunct(','))
    c.expectPunct(')')
  }
  let comment = ''
  let security: string | undefined
  for (;;) {
    if (!alter && c.acceptKw('COMMENT')) comment = c.string('comment')
    else if (!alter && c.isKw('SECURITY')) {
      const t = c.next()
      if (!cat.features.secureView) throw syntaxError(t)
      const mode = c.ident('NONE or INVOKER').toUpperCase()
      if (mode !== 'NONE' && mode !== 'INVOKER') throw syntaxError(c.tokens[c.pos - 1], "'NONE', 'INVOKER'")
      security = mode
    } else break
  }
  c.expectKw('AS')
  const start = c.pos
  const query = parseQuery(c)
  c.expectEnd()
  const db = resolveDb(session, q.db)
  const rels = requireDatabase(cat, db)
  const existing = rels.get(q.name)
  if (alter) {
    if (existing === undefined) throw analysisError(`Unknown view '${q.name}'`)
    if (existing.kind !== 'view') throw analysisError(`The specified table [${q.name}] is not a view`)
    comment = existing.comment
    if (existing.security !== undefined) security = existing.security
  } else if (existing !== undefined) {
    if (ifNotExists) return OK
    if (!(orReplace && existing.kind === 'view')) throw tableExists(q.name)
  }
  const analysed = analyseQuery(query, shapeLookup(cat), db)
  let columns = analysed.columns
  if (columnNames !== undefined) {
    if (columnNames.length !== columns.length) throw new EmulatorError(1353, "View's SELECT and view's field list have different column counts", 'HY000')
    columns = columnNames.map((name, i) => ({ name, type: columns[i]?.type ?? 'VARCHAR', ...(comments.has(i) ? { comment: comments.get(i) as string } : {}) }))
  }
  const id = existing?.id ?? cat.nextId++
  const view: ViewObject = {
    kind: 'view', id, db, name: q.name, columns, query, definition: analysed.rewritten.replace(/\n/g, ' '),
    createText: c.source.slice((c.tokens[start] as Token).start).trim(), comment, ...(security === undefined ? {} : { security }), createTime: timestamp(),
  }
  rels.set(q.name, view)
  // Replacing a view's query deactivates the MVs that read it, as a base-table schema change does.
  if (existing !== undefined) inactivateDependents(cat, db, q.name, `base-view changed: ${q.name}`)
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
