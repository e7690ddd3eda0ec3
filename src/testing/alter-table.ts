import { timestamp, type Catalog, type ColumnDef, type Distribution, type IndexDef, type MvObject, type PartitionDef, type TableObject } from './catalog.js'
import { analysisError, EmulatorError, syntaxError, tableExists } from './emulator-error.js'
import type { Value } from './evaluate.js'
import { inactivateDependents, parseProperties } from './mv-statements.js'
import { findRelation, requireDatabase, resolveDb, type Session, type StatementResult } from './session.js'
import { compareBounds, minimumBounds, names, parseColumnDef, parseIndexBody, parseListPartition, parseRangePartition, rangePartitionDef } from './table-statements.js'
import type { TokenCursor } from './token-cursor.js'

const OK: StatementResult = { kind: 'ok', affectedRows: 0 }

/** One schema-change job, as SHOW ALTER TABLE COLUMN lists it. */
export interface AlterJob {
  readonly jobId: number
  readonly db: string
  readonly tableName: string
  readonly createTime: string
  finishTime: string | null
  state: 'PENDING' | 'WAITING_TXN' | 'RUNNING' | 'FINISHED' | 'CANCELLED'
  msg: string
  progress: string
  /** Applies the change when the job finishes. */
  readonly apply: () => void
  timer?: ReturnType<typeof setTimeout>
}

const jobsOf = new WeakMap<Catalog, AlterJob[]>()

/** The schema-change jobs of a catalog, oldest first. */
export const alterJobs = (cat: Catalog): AlterJob[] => {
  let jobs = jobsOf.get(cat)
  if (jobs === undefined) {
    jobs = []
    jobsOf.set(cat, jobs)
  }
  return jobs
}

/** How the next schema-change job runs (set by fault injection): it takes `ms`, then finishes or is cancelled. */
export interface AlterJobBehaviour {
  readonly ms: number
  readonly cancel: boolean
  readonly message?: string
}

const nextJob = new WeakMap<Catalog, AlterJobBehaviour>()

/** Make the next schema-change job of the catalog run as `behaviour` says (StarRocks runs them asynchronously). */
export const setNextAlterJob = (cat: Catalog, behaviour: AlterJobBehaviour | undefined): void => {
  if (behaviour === undefined) nextJob.delete(cat)
  else nextJob.set(cat, behaviour)
}

/** Cancel the running job of a table (`CANCEL ALTER TABLE COLUMN FROM t`). */
export const cancelAlterJob = (cat: Catalog, db: string, table: string): boolean => {
  const job = alterJobs(cat).find((j) => j.db === db && j.tableName === table && (j.state === 'RUNNING' || j.state === 'PENDING'))
  if (job === undefined) return false
  if (job.timer !== undefined) {
    clearTimeout(job.timer)
    cat.timers.delete(job.timer)
  }
  job.state = 'CANCELLED'
  job.msg = 'user cancelled'
  job.finishTime = timestamp()
  return true
}

type Position = { readonly first: true } | { readonly after: string }

type ColumnClause =
  | { readonly kind: 'add'; readonly column: ColumnDef; readonly position?: Position }
  | { readonly kind: 'drop'; readonly name: string }
  | { readonly kind: 'modify'; readonly column: ColumnDef; readonly position?: Position }

const position = (c: TokenCursor): { first: true } | { after: string } | undefined => {
  if (c.acceptKw('FIRST')) return { first: true }
  if (c.acceptKw('AFTER')) return { after: c.ident('column') }
  return undefined
}

const find = (t: TableObject, name: string): ColumnDef | undefined => t.columns.find((x) => x.name.toLowerCase() === name.toLowerCase())
const isKey = (t: TableObject, name: string): boolean => t.keys.some((k) => k.toLowerCase() === name.toLowerCase())

/** The MVs reading `t` whose query names `column`: StarRocks deactivates them when that column is dropped or retyped. */
/** The active MVs that read `t` and mention `column` in their query text. */
export const readersOfColumn = (cat: Catalog, t: { readonly db: string; readonly name: string }, column: string): MvObject[] =>
  [...cat.databases.values()].flatMap((d) => [...d.values()]).filter((r): r is MvObject =>
    r.kind === 'mv' && r.active && r.baseTables.some((b) => b.db === t.db && b.name === t.name) &&
    new RegExp(`(^|[^A-Za-z0-9_$])${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_$])`, 'i').test(r.queryText))

/** Apply column clauses to a table (checked beforehand), keeping rows in step. */
const applyColumns = (cat: Catalog, t: TableObject, clauses: readonly ColumnClause[]): void => {
  const place = (cols: ColumnDef[], col: ColumnDef, pos: Position | undefined): void => {
    if (pos === undefined) {
      // Without a position the column goes last (the plan always gives one).
      cols.push(col)
      return
    }
    if ('first' in pos) cols.unshift(col)
    else cols.splice(cols.findIndex((x) => x.name.toLowerCase() === pos.after.toLowerCase()) + 1, 0, col)
  }
  for (const cl of clauses) {
    if (cl.kind === 'drop') {
      for (const mv of readersOfColumn(cat, t, cl.name)) {
        mv.active = false
        mv.inactiveReason = `base table schema changed for columns: ${cl.name}`
        inactivateDependents(cat, mv.db, mv.name, `base-mv inactive: ${mv.name}`)
      }
      t.columns = t.columns.filter((x) => x.name.toLowerCase() !== cl.name.toLowerCase())
      for (const row of t.rows) delete (row as Record<string, Value>)[cl.name.toLowerCase()]
    } else if (cl.kind === 'add') {
      place(t.columns, cl.column, cl.position)
      const v: Value = cl.column.defaultValue === undefined || (typeof cl.column.defaultValue === 'object' && cl.column.defaultValue !== null) ? null : cl.column.defaultValue
      t.rows = t.rows.map((r) => ({ ...r, [cl.column.name.toLowerCase()]: v }))
    } else {
      const old = find(t, cl.column.name) as ColumnDef
      if (old.type !== cl.column.type) {
        for (const mv of readersOfColumn(cat, t, cl.column.name)) {
          mv.active = false
          mv.inactiveReason = `base table schema changed for columns: ${cl.column.name}`
          inactivateDependents(cat, mv.db, mv.name, `base-mv inactive: ${mv.name}`)
        }
      }
      const i = t.columns.indexOf(old)
      if (cl.position === undefined) t.columns[i] = { ...cl.column, name: old.name }
      else {
        t.columns.splice(i, 1)
        place(t.columns, { ...cl.column, name: old.name }, cl.position)
      }
    }
  }
}

/** A table with a running schema-change job takes no other ALTER (StarRocks: its state is not NORMAL). */
const requireNormal = (cat: Catalog, t: TableObject): void => {
  const running = alterJobs(cat).find((j) => j.db === t.db && j.tableName === t.name && (j.state === 'PENDING' || j.state === 'RUNNING'))
  if (running !== undefined) {
    throw new EmulatorError(1064, `Getting analyzing error. Detail message: Table[${t.name}]'s state(SCHEMA_CHANGE) is not NORMAL. Do not allow doing ALTER ops.`)
  }
}

/**
 * Start a schema-change job of `t` that applies `apply` when it finishes: at once, or (fault
 * injection) after a delay, or never when it is cancelled.
 */
const startJob = (cat: Catalog, t: TableObject, apply: () => void): void => {
  const job: AlterJob = {
    jobId: cat.nextId++, db: t.db, tableName: t.name, createTime: timestamp(), finishTime: null, state: 'RUNNING', msg: '', progress: 'N/A',
    apply,
  }
  alterJobs(cat).push(job)
  const finish = (): void => {
    if (job.state !== 'RUNNING') return
    job.apply()
    job.state = 'FINISHED'
    job.finishTime = timestamp()
  }
  const behaviour = nextJob.get(cat)
  nextJob.delete(cat)
  if (behaviour === undefined) finish()
  else {
    job.progress = '0%'
    job.timer = setTimeout(() => {
      if (job.timer !== undefined) cat.timers.delete(job.timer)
      if (!behaviour.cancel) {
        finish()
        return
      }
      job.state = 'CANCELLED'
      job.msg = behaviour.message ?? 'schema change job cancelled'
      job.finishTime = timestamp()
    }, behaviour.ms)
    cat.timers.add(job.timer)
  }
}

const typesOf = (t: TableObject, columns: readonly string[]): string[] => columns.map((n) => find(t, n)?.type ?? 'VARCHAR')

/** The partition a row belongs to (single partition column), to drop the rows of a dropped partition. */
const rowIn = (t: TableObject, p: PartitionDef, row: Record<string, Value>, columns: readonly string[]): boolean => {
  const values = columns.map((col) => {
    const v = row[col.toLowerCase()]
    return v === null || v === undefined ? 'NULL' : `"${String(v)}"`
  })
  if (p.tuples !== undefined) return p.tuples.some((tu) => tu.every((x, i) => x === values[i]))
  if (p.lower === undefined || p.upper === undefined) return false
  return compareBounds(values, p.lower) >= 0 && compareBounds(values, p.upper) < 0
}

/** ADD PARTITION of a RANGE or LIST table (cursor after `ADD`): synchronous, checked for duplicates and overlaps. */
const addPartition = (c: TokenCursor, cat: Catalog, t: TableObject): StatementResult => {
  const p = t.partition
  if (p === undefined || p.kind === 'expression') throw analysisError(p === undefined ? `Table[${t.name}] is not partitioned: ADD PARTITION needs a RANGE or LIST partitioned table` : 'Adding expression partitions is not supported')
  let def: PartitionDef
  let ifNotExists: boolean
  if (p.kind === 'range') {
    const types = typesOf(t, p.columns)
    const parsed = parseRangePartition(c, types)
    ifNotExists = parsed.ifNotExists
    // LESS THAN: the range starts where the highest partition below it ends.
    const below = p.partitions.filter((x) => x.upper !== undefined && compareBounds(x.upper, parsed.upper) <= 0).map((x) => x.upper as readonly string[])
    const lower = parsed.lower ?? below.sort(compareBounds).at(-1) ?? minimumBounds(types)
    if (compareBounds(lower, parsed.upper) >= 0) throw analysisError(`Invalid range: the lower bound of partition ${parsed.name} is not below its upper bound`)
    def = rangePartitionDef(parsed.name, lower, parsed.upper)
  } else {
    const parsed = parseListPartition(c, p.columns.length)
    ifNotExists = parsed.ifNotExists
    def = parsed.def
  }
  // A partition's own bucket count and properties are accepted and not kept.
  if (c.acceptKw('DISTRIBUTED', 'BY')) {
    if (c.acceptKw('HASH')) names(c)
    else c.expectKw('RANDOM')
    if (c.acceptKw('BUCKETS')) c.integer('bucket number')
  }
  if (c.isPunct('(')) parseProperties(c)
  c.expectEnd()
  requireNormal(cat, t)
  if (p.partitions.some((x) => x.name.toLowerCase() === def.name.toLowerCase())) {
    if (ifNotExists) return OK
    throw new EmulatorError(1517, `Duplicate partition name ${def.name}`, 'HY000')
  }
  if (def.lower !== undefined && def.upper !== undefined) {
    const [lo, up] = [def.lower, def.upper]
    const hit = p.partitions.find((x) => x.lower !== undefined && x.upper !== undefined && compareBounds(lo, x.upper) < 0 && compareBounds(x.lower, up) < 0)
    if (hit !== undefined) throw analysisError(`Range [${lo.join(', ')}, ${up.join(', ')}) is intersected with range [${hit.lower?.join(', ')}, ${hit.upper?.join(', ')}) of partition ${hit.name}`)
  }
  if (def.tuples !== undefined) {
    const hit = p.partitions.find((x) => x.tuples?.some((a) => def.tuples?.some((b) => a.join() === b.join())))
    if (hit !== undefined) throw analysisError(`Duplicate values in partition ${def.name}: already in partition ${hit.name}`)
  }
  const partitions = [...p.partitions, def]
  // SHOW CREATE TABLE prints RANGE partitions in the order of their ranges.
  if (p.kind === 'range') partitions.sort((a, b) => compareBounds(a.lower ?? [], b.lower ?? []))
  t.partition = { ...p, partitions }
  return OK
}

/** DROP PARTITION [IF EXISTS] p [FORCE] (cursor after `DROP PARTITION`): the partition goes with its rows; one partition must stay. */
const dropPartition = (c: TokenCursor, cat: Catalog, t: TableObject): StatementResult => {
  const ifExists = c.acceptKw('IF', 'EXISTS')
  const name = c.ident('partition name')
  c.acceptKw('FORCE')
  c.expectEnd()
  const p = t.partition
  requireNormal(cat, t)
  const hit = p !== undefined && p.kind !== 'expression' ? p.partitions.find((x) => x.name.toLowerCase() === name.toLowerCase()) : undefined
  if (p === undefined || p.kind === 'expression' || hit === undefined) {
    if (ifExists) return OK
    throw analysisError(`Error in list of partitions to ${name}`)
  }
  if (p.partitions.length === 1) throw analysisError(`Partition ${name} is the last partition of table ${t.name}: a partitioned table keeps at least one partition`)
  t.rows = t.rows.filter((r) => !rowIn(t, hit, r as Record<string, Value>, p.columns))
  t.partition = { ...p, partitions: p.partitions.filter((x) => x !== hit) }
  t.visibleVersionTime = timestamp()
  return OK
}

/** ADD INDEX: a schema-change job; the index shows in SHOW CREATE TABLE once the job has finished. */
const addIndex = (cat: Catalog, t: TableObject, ix: IndexDef): StatementResult => {
  requireNormal(cat, t)
  if (t.indexes.some((x) => x.name.toLowerCase() === ix.name.toLowerCase())) throw analysisError(`index \`${ix.name}\` already exist.`)
  for (const col of ix.columns) if (find(t, col) === undefined) throw analysisError(`BITMAP column does not exist in table. invalid column: ${col}`)
  const taken = t.indexes.find((x) => x.columns.some((a) => ix.columns.some((b) => a.toLowerCase() === b.toLowerCase())) && x.using === ix.using)
  if (taken !== undefined) throw analysisError(`${ix.using} index for columns (${ix.columns.join(', ')}) already exist.`)
  startJob(cat, t, () => {
    t.indexes = [...t.indexes, ix]
  })
  return OK
}

/** DROP INDEX: a schema-change job. */
const dropIndex = (cat: Catalog, t: TableObject, name: string): StatementResult => {
  requireNormal(cat, t)
  if (!t.indexes.some((x) => x.name.toLowerCase() === name.toLowerCase())) throw analysisError(`index ${name} does not exist`)
  startJob(cat, t, () => {
    t.indexes = t.indexes.filter((x) => x.name.toLowerCase() !== name.toLowerCase())
  })
  return OK
}

/**
 * CREATE INDEX name ON t (cols) [USING type [(props)]] [COMMENT '...'] (cursor after `CREATE INDEX`):
 * the same schema-change job as ALTER TABLE ... ADD INDEX.
 */
export const createIndex = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  const name = c.ident('index name')
  c.expectKw('ON')
  const q = c.qualifiedName()
  const rest = parseIndexBodyAfterName(c, name)
  c.expectEnd()
  return addIndex(cat, requireOlap(cat, session, q), rest)
}

/** DROP INDEX name ON t (cursor after `DROP INDEX`). */
export const dropIndexOn = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  const name = c.ident('index name')
  c.expectKw('ON')
  const q = c.qualifiedName()
  c.expectEnd()
  return dropIndex(cat, requireOlap(cat, session, q), name)
}

const requireOlap = (cat: Catalog, session: Session, q: { db?: string; name: string }): TableObject => {
  const db = resolveDb(session, q.db)
  requireDatabase(cat, db)
  const r = findRelation(cat, db, q.name)
  if (r === undefined) throw analysisError(`Unknown table '${db}.${q.name}'`)
  if (r.kind !== 'table') throw analysisError(`Do not support alter non-OLAP table[${q.name}]`)
  return r
}

/** The rest of CREATE INDEX after `name ON t`: `(cols) [USING ...] [(props)] [COMMENT ...]`. */
const parseIndexBodyAfterName = (c: TokenCursor, name: string): IndexDef => {
  const cols = names(c)
  let using = 'BITMAP'
  if (c.acceptKw('USING')) using = c.ident('index type').toUpperCase()
  if (!['BITMAP', 'NGRAMBF', 'GIN', 'VECTOR'].includes(using)) throw syntaxError(c.tokens[c.pos - 1], "'BITMAP', 'NGRAMBF', 'GIN'")
  const properties = c.isPunct('(') ? parseProperties(c) : new Map<string, string>()
  const comment = c.acceptKw('COMMENT') ? c.string('comment') : ''
  return { name, columns: cols, using, properties, comment }
}

/**
 * ALTER TABLE (cursor after `ALTER TABLE`): ADD / DROP / MODIFY COLUMN (several, comma-separated: one
 * schema-change job), SET ("k" = "v"), COMMENT = '...', RENAME, ORDER BY (...), DISTRIBUTED BY ...,
 * SWAP WITH. A column change is an asynchronous job (SHOW ALTER TABLE COLUMN); a second one on the
 * same table while one runs is refused, as StarRocks does.
 */
export const alterTable = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  const q = c.qualifiedName()
  const db = resolveDb(session, q.db)
  const rels = requireDatabase(cat, db)
  const r = findRelation(cat, db, q.name)
  if (r === undefined) throw analysisError(`Unknown table '${db}.${q.name}'`)
  if (r.kind !== 'table') throw analysisError(`Do not support alter non-OLAP table[${q.name}]`)
  const t = r
  const f = cat.features
  const columnClauses: ColumnClause[] = []
  do {
    const at = c.peek()
    if (c.acceptKw('ADD', 'COLUMN')) {
      if (c.acceptPunct('(')) {
        do columnClauses.push({ kind: 'add', column: parseColumnDef(c, session, cat) })
        while (c.acceptPunct(','))
        c.expectPunct(')')
      } else {
        const column = parseColumnDef(c, session, cat)
        const pos = position(c)
        columnClauses.push({ kind: 'add', column, ...(pos === undefined ? {} : { position: pos }) })
      }
    } else if (c.acceptKw('DROP', 'COLUMN')) {
      columnClauses.push({ kind: 'drop', name: c.ident('column') })
    } else if (c.acceptKw('MODIFY', 'COLUMN')) {
      const column = parseColumnDef(c, session, cat)
      const pos = position(c)
      columnClauses.push({ kind: 'modify', column, ...(pos === undefined ? {} : { position: pos }) })
    } else if (columnClauses.length === 0 && c.isKw('ADD') && c.peek(1)?.value.toUpperCase() === 'PARTITION') {
      c.next()
      return addPartition(c, cat, t)
    } else if (columnClauses.length === 0 && c.acceptKw('DROP', 'PARTITION')) {
      return dropPartition(c, cat, t)
    } else if (columnClauses.length === 0 && c.acceptKw('ADD', 'INDEX')) {
      const ix = parseIndexBody(c)
      c.expectEnd()
      return addIndex(cat, t, ix)
    } else if (columnClauses.length === 0 && c.acceptKw('DROP', 'INDEX')) {
      const name = c.ident('index name')
      c.expectEnd()
      return dropIndex(cat, t, name)
    } else if (columnClauses.length === 0 && c.acceptKw('SET')) {
      const props = parseProperties(c)
      c.expectEnd()
      for (const [k, v] of props) t.properties.set(k, v)
      return OK
    } else if (columnClauses.length === 0 && c.acceptKw('COMMENT')) {
      c.acceptPunct('=')
      t.comment = c.string('comment')
      c.expectEnd()
      return OK
    } else if (columnClauses.length === 0 && c.acceptKw('RENAME')) {
      const name = c.ident('new table name')
      c.expectEnd()
      if (rels.has(name)) throw tableExists(name)
      rels.delete(t.name)
      const old = t.name
      t.name = name
      rels.set(name, t)
      inactivateDependents(cat, db, old, `base-table renamed: ${old}`)
      return OK
    } else if (columnClauses.length === 0 && c.acceptKw('ORDER', 'BY')) {
      if (!f.tableAlterSortKey) throw syntaxError(at)
      const cols = names(c)
      c.expectEnd()
      for (const k of cols) if (find(t, k) === undefined) throw analysisError(`Unknown column '${k}' does not exist`)
      t.orderBy = cols
      return OK
    } else if (columnClauses.length === 0 && c.acceptKw('DISTRIBUTED', 'BY')) {
      if (!f.tableAlterSortKey) throw syntaxError(at)
      let d: Distribution
      if (c.acceptKw('HASH')) d = { kind: 'hash', columns: names(c) }
      else if (c.acceptKw('RANDOM')) d = { kind: 'random' }
      else throw syntaxError(c.peek(), "'HASH', 'RANDOM'")
      if (c.acceptKw('BUCKETS')) d = { ...d, buckets: c.integer('bucket number') }
      c.expectEnd()
      if (d.kind === 'random' && t.keysType !== 'DUP_KEYS') throw analysisError('Random distribution must be used in DUP_KEYS or AGG_KEYS table without replace or replace_if_not_null columns')
      if (d.kind === 'hash') for (const k of d.columns) if (find(t, k) === undefined) throw analysisError(`Unknown column '${k}' does not exist`)
      t.distribution = d
      return OK
    } else if (columnClauses.length === 0 && c.acceptKw('SWAP', 'WITH')) {
      const other = c.ident('table')
      c.expectEnd()
      const o = rels.get(other)
      if (o === undefined || o.kind !== 'table') throw analysisError(`Unknown table '${db}.${other}'`)
      rels.set(t.name, o)
      rels.set(other, t)
      const [a, b] = [t.name, o.name]
      t.name = b
      o.name = a
      inactivateDependents(cat, db, a, `base-table swapped: ${a}`)
      inactivateDependents(cat, db, b, `base-table swapped: ${b}`)
      return OK
    } else {
      throw syntaxError(at, columnClauses.length === 0 ? "'ADD', 'DROP', 'MODIFY', 'SET', 'COMMENT', 'RENAME', 'ORDER', 'DISTRIBUTED', 'SWAP'" : "'ADD', 'DROP', 'MODIFY'")
    }
  } while (c.acceptPunct(','))
  c.expectEnd()

  // A table with a running schema change takes no other ALTER; then every clause is checked against
  // the table as it will be, before anything changes.
  requireNormal(cat, t)

  const seen = new Set(t.columns.map((x) => x.name.toLowerCase()))
  for (const cl of columnClauses) {
    if (cl.kind === 'add') {
      if (seen.has(cl.column.name.toLowerCase())) throw analysisError(`Can not add column which already exists in base table: ${cl.column.name}`)
      if (cl.column.aggregate !== undefined && t.keysType !== 'AGG_KEYS') throw analysisError(`Can not assign aggregation method on column in Primary data model table: ${cl.column.name}`)
      if (t.keysType === 'AGG_KEYS' && cl.column.aggregate === undefined) throw analysisError(`Aggregate type should be specified for value column ${cl.column.name}`)
      if (cl.position !== undefined && 'after' in cl.position && !seen.has(cl.position.after.toLowerCase())) throw analysisError(`Column[${cl.position.after}] does not exists`)
      seen.add(cl.column.name.toLowerCase())
    } else if (cl.kind === 'drop') {
      if (!seen.has(cl.name.toLowerCase())) throw analysisError(`Column does not exists: ${cl.name}`)
      if (isKey(t, cl.name)) throw analysisError(`Can not drop key column ${cl.name} in ${t.keysType === 'PRI_KEYS' ? 'primary' : t.keysType === 'UNQ_KEYS' ? 'unique' : t.keysType === 'AGG_KEYS' ? 'aggregate' : 'duplicate'} data model table`)
      if (t.distribution?.kind === 'hash' && t.distribution.columns.some((k) => k.toLowerCase() === cl.name.toLowerCase())) throw analysisError(`Can not drop distribution column: ${cl.name}`)
      seen.delete(cl.name.toLowerCase())
    } else {
      const old = find(t, cl.column.name)
      if (old === undefined || !seen.has(cl.column.name.toLowerCase())) throw analysisError(`Column[${cl.column.name}] does not exists`)
      if ((old.aggregate ?? '') !== (cl.column.aggregate ?? '')) throw analysisError(`Can not change aggregation type of column ${cl.column.name}`)
      if (isKey(t, cl.column.name) && t.keysType === 'PRI_KEYS' && old.type !== cl.column.type) throw analysisError(`Can not modify key column ${cl.column.name} of a primary key table`)
    }
  }
  startJob(cat, t, () => applyColumns(cat, t, columnClauses))
  return OK
}

/** The columns of SHOW ALTER TABLE COLUMN (ALTER TABLE docs: JobId ... Timeout). */
export const ALTER_JOB_COLUMNS = ['JobId', 'TableName', 'CreateTime', 'FinishTime', 'IndexName', 'IndexId', 'OriginIndexId', 'SchemaVersion', 'TransactionId', 'State', 'Msg', 'Progress', 'Timeout'] as const

/**
 * SHOW ALTER TABLE COLUMN [FROM db] [WHERE TableName = "t"] [ORDER BY CreateTime DESC] [LIMIT n]
 * (cursor after `SHOW ALTER TABLE COLUMN`): the schema-change jobs of a database.
 */
export const showAlterColumn = (c: TokenCursor, cat: Catalog, session: Session): { columns: readonly string[]; rows: Value[][] } => {
  const db = resolveDb(session, c.acceptKw('FROM') || c.acceptKw('IN') ? c.ident('database') : undefined)
  requireDatabase(cat, db)
  let table: string | undefined
  if (c.acceptKw('WHERE')) {
    const col = c.ident('column')
    if (col.toLowerCase() !== 'tablename') throw analysisError(`The emulator filters SHOW ALTER TABLE by TableName only, not ${col}`)
    c.expectPunct('=')
    table = c.string('table name')
  }
  let desc = false
  if (c.acceptKw('ORDER', 'BY')) {
    c.ident('column')
    desc = c.acceptKw('DESC')
    if (!desc) c.acceptKw('ASC')
  }
  const limit = c.acceptKw('LIMIT') ? c.integer('limit') : undefined
  c.expectEnd()
  let jobs = alterJobs(cat).filter((j) => j.db === db && (table === undefined || j.tableName === table))
  if (desc) jobs = [...jobs].reverse()
  if (limit !== undefined) jobs = jobs.slice(0, limit)
  return {
    columns: ALTER_JOB_COLUMNS,
    rows: jobs.map((j) => [String(j.jobId), j.tableName, j.createTime, j.finishTime, j.tableName, String(j.jobId + 1), String(j.jobId - 1), '1:0', '-1', j.state, j.msg, j.progress, '86400']),
  }
}

/** CANCEL ALTER TABLE COLUMN FROM [db.]t (cursor after `CANCEL ALTER TABLE COLUMN`). */
export const cancelAlterColumn = (c: TokenCursor, cat: Catalog, session: Session): StatementResult => {
  c.expectKw('FROM')
  const q = c.qualifiedName()
  c.expectEnd()
  const db = resolveDb(session, q.db)
  if (!cancelAlterJob(cat, db, q.name)) throw analysisError(`Table[${q.name}] is under NORMAL state. Do not need to cancel.`)
  return OK
}
