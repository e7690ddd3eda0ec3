import { quoteIdentifier } from '../sql/index.js'
import type { Token } from '../reflect/tokenizer.js'
import { timestamp, type Catalog, type Distribution, type MvIndexDef, type MvObject, type RefreshScheme, type TaskRun } from './catalog.js'
import { EmulatorError, analysisError, ddlError, syntaxError, tableExists } from './emulator-error.js'
import { evaluateQuery, filterRows, type Row } from './evaluate.js'
import { parseExpr, walk, type Expr } from './expression.js'
import { mvRowValues, informationSchema } from './information-schema.js'
import { analyseQuery, baseTablesOf, parseQuery } from './select-query.js'
import { findRelation, makeEnv, requireDatabase, resolveDb, shapeLookup, type Session, type StatementResult } from './session.js'
import { versionAtLeast, type Features } from './server-version.js'
import { showCreateMv } from './show-create.js'
import { addMvColumn, dropMvColumn, orderMvBy } from './mv-column-alter.js'
import type { TokenCursor } from './token-cursor.js'

/** Properties `ALTER MATERIALIZED VIEW ... SET` accepts (besides `session.*`). */
export const ALTERABLE_PROPERTIES = new Set([
  'partition_ttl_number', 'partition_refresh_number', 'partition_refresh_strategy', 'resource_group',
  'auto_refresh_partitions_limit', 'excluded_trigger_tables', 'excluded_refresh_tables', 'mv_rewrite_staleness_second',
  'unique_constraints', 'foreign_key_constraints', 'colocate_with', 'bloom_filter_columns', 'task_priority',
  'task_retry_attempts', 'event_trigger_delay_period',
])

/** Properties only CREATE accepts, with the version that introduced them. */
const CREATE_ONLY_PROPERTIES: ReadonlyMap<string, string> = new Map([
  ['replication_num', '2.0'], ['storage_medium', '2.0'], ['storage_cooldown_time', '2.0'], ['storage_volume', '3.1'],
  ['partition_ttl', '3.1'], ['query_rewrite_consistency', '3.0'], ['force_external_table_query_rewrite', '3.0'],
  ['enable_query_rewrite', '3.3'], ['transparent_mv_rewrite_mode', '3.3'], ['partition_retention_condition', '3.5'],
  ['refresh_mode', '4.1'], ['warehouse', '3.3'], ['replicated_storage', '2.0'], ['compression', '3.0'],
  ['datacache.enable', '3.1'], ['datacache.partition_duration', '3.1'], ['enable_async_write_back', '3.1'],
])

const unknownPropertiesMessage = (props: ReadonlyMap<string, string>, prefix: string): string =>
  `${prefix} because unknown properties: {${[...props].map(([k, v]) => `${k}=${v}`).join(', ')}}, please add \`session.\` prefix if you want add session variables for mv(eg, "session.insert_timeout"="30000000")`

const versionOk = (features: Features, since: string, cat: Catalog): boolean => {
  const [maj, min] = since.split('.').map(Number) as [number, number]
  void features
  return cat.version.major > maj || (cat.version.major === maj && cat.version.minor >= min)
}

const isKnownCreateProperty = (key: string, cat: Catalog): boolean => {
  if (key.startsWith('session.') || ALTERABLE_PROPERTIES.has(key)) return true
  const since = CREATE_ONLY_PROPERTIES.get(key)
  return since !== undefined && versionOk(cat.features, since, cat)
}

const qualifyTable = (name: string, db: string): string => {
  const parts = name.trim().split('.')
  if (parts.length === 1) return `default_catalog.${db}.${parts[0]}`
  if (parts.length === 2) return `default_catalog.${parts.join('.')}`
  return parts.join('.')
}

/** `unique_constraints` / `foreign_key_constraints` values with their tables catalog- and database-qualified. */
export const qualifyConstraint = (key: string, value: string, db: string): string => {
  if (key === 'unique_constraints') {
    return value.split(';').map((item) => {
      const t = item.trim()
      const m = /^(.*)\.([^.()]+)$/.exec(t)
      return m === null ? t : `${qualifyTable(m[1] as string, db)}.${m[2]}`
    }).join(';')
  }
  if (key === 'foreign_key_constraints') {
    return value.split(';').map((item) => {
      const m = /^\s*([^()]+?)\s*\(([^)]*)\)\s*REFERENCES\s*([^()]+?)\s*\(([^)]*)\)\s*$/i.exec(item)
      if (m === null) return item.trim()
      return `${qualifyTable(m[1] as string, db)}(${m[2]}) REFERENCES ${qualifyTable(m[3] as string, db)}(${m[4]})`
    }).join(';')
  }
  return value
}

/** `PROPERTIES ("k" = "v", ...)` at the cursor (after the keyword). */
export const parseProperties = (c: TokenCursor): Map<string, string> => {
  const out = new Map<string, string>()
  c.expectPunct('(')
  if (c.acceptPunct(')')) return out
  do {
    const k = c.string('property name')
    c.expectPunct('=')
    out.set(k, c.string('property value'))
  } while (c.acceptPunct(','))
  c.expectPunct(')')
  return out
}

const UNITS = new Set(['SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'])

/** `2122-12-31` → `2122-12-31 00:00:00`, as StarRocks stores START. */
export const normaliseStart = (text: string, at: Token | undefined): string => {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?)?$/.exec(text.trim())
  if (m === null) throw analysisError(`Invalid START time: ${text}`, at)
  const p = (s: string | undefined): string => (s ?? '0').padStart(2, '0')
  return `${m[1]}-${p(m[2])}-${p(m[3])} ${p(m[4])}:${p(m[5])}:${p(m[6])}`
}

const parseStartEvery = (c: TokenCursor, requireEvery: boolean): { start?: string; every?: { n: number; unit: string } } => {
  let start: string | undefined
  if (c.acceptKw('START')) {
    c.expectPunct('(')
    const tok = c.peek()
    start = normaliseStart(c.string('start time'), tok)
    c.expectPunct(')')
    requireEvery = true
  }
  if (!c.isKw('EVERY')) {
    if (requireEvery) throw syntaxError(c.peek(), 'EVERY')
    return start === undefined ? {} : { start }
  }
  c.next()
  c.expectPunct('(')
  c.expectKw('INTERVAL')
  const n = c.integer('interval')
  const unitTok = c.peek()
  const unit = c.ident('unit').toUpperCase()
  if (!UNITS.has(unit)) throw syntaxError(unitTok, 'SECOND, MINUTE, HOUR, DAY')
  c.expectPunct(')')
  return { ...(start === undefined ? {} : { start }), every: { n, unit } }
}

/** A refresh scheme after `REFRESH`, in the spellings `features` allows. */
export const parseRefresh = (c: TokenCursor, f: Features, forAlter: boolean): RefreshScheme => {
  let moment: RefreshScheme['moment'] = 'IMMEDIATE'
  if (c.acceptKw('DEFERRED')) moment = 'DEFERRED'
  else c.acceptKw('IMMEDIATE')
  const t = c.peek()
  if (c.acceptKw('ASYNC')) {
    const se = parseStartEvery(c, false)
    if (se.every === undefined) {
      if (f.onChange) throw analysisError('REFRESH ASYNC without EVERY is written REFRESH ON_CHANGE in this version', t)
      return { moment, kind: 'ASYNC' }
    }
    return { moment, kind: 'PERIODIC', ...se }
  }
  if (f.schedule && c.acceptKw('SCHEDULE')) return { moment, kind: 'PERIODIC', ...parseStartEvery(c, true) }
  if (f.onChange && c.acceptKw('ON_CHANGE')) return { moment, kind: 'ASYNC' }
  if (c.acceptKw('MANUAL')) return { moment, kind: 'MANUAL' }
  void forAlter
  throw syntaxError(t, f.onChange ? "'ON_CHANGE', 'SCHEDULE', 'MANUAL'" : f.schedule ? "'ASYNC', 'SCHEDULE', 'MANUAL'" : "'ASYNC', 'MANUAL'")
}

const parseColumnNames = (c: TokenCursor): string[] => {
  c.expectPunct('(')
  const out = [c.ident('column')]
  while (c.acceptPunct(',')) out.push(c.ident('column'))
  c.expectPunct(')')
  return out
}

const parseDistribution = (c: TokenCursor, f: Features): Distribution => {
  const t = c.peek()
  let d: Distribution
  if (c.acceptKw('HASH')) {
    d = { kind: 'hash', columns: parseColumnNames(c) }
  } else if (c.acceptKw('RANDOM')) {
    if (!f.random) throw syntaxError(t, "'HASH'")
    d = { kind: 'random' }
  } else {
    throw syntaxError(t, "'HASH', 'RANDOM'")
  }
  if (c.acceptKw('BUCKETS')) d = { ...d, buckets: c.integer('bucket number') }
  return d
}

interface CreateMvSpec {
  ifNotExists: boolean
  db?: string
  name: string
  nameTok: Token
  columns?: { name: string; comment?: string }[]
  indexes?: MvIndexDef[]
  comment?: string
  partition?: Expr[]
  distribution?: Distribution
  orderBy?: string[]
  refresh?: RefreshScheme
  properties: Map<string, string>
  queryStart: number
}

/** Parse `CREATE MATERIALIZED VIEW` after those three words. */
const parseCreateMv = (c: TokenCursor, f: Features): CreateMvSpec => {
  const ifNotExists = c.acceptKw('IF', 'NOT', 'EXISTS')
  const nameTok = c.peek() as Token
  const q = c.qualifiedName()
  const spec: CreateMvSpec = { ifNotExists, name: q.name, nameTok, properties: new Map(), queryStart: 0, ...(q.db === undefined ? {} : { db: q.db }) }
  if (c.isPunct('(')) {
    if (!f.orderBy) throw syntaxError(c.peek(), "'AS'")
    c.next()
    spec.columns = []
    do {
      if (c.isKw('INDEX') && spec.columns.length > 0) {
        // INDEX name (cols) [USING BITMAP|GIN|NGRAMBF|VECTOR [("k" = "v")]] [COMMENT '...'], after the
        // columns (StarRocks PR #32637, backported to 3.0-3.2; the emulator takes it from 3.1).
        if (!f.swapActive) throw syntaxError(c.peek(), 'a column name')
        c.next()
        const name = c.ident('index name')
        c.expectPunct('(')
        const cols: string[] = []
        do cols.push(c.ident('column'))
        while (c.acceptPunct(','))
        c.expectPunct(')')
        let using: string | undefined
        const properties: [string, string][] = []
        if (c.acceptKw('USING')) {
          const kindTok = c.peek()
          const kind = c.ident('index type').toUpperCase()
          if (!['BITMAP', 'GIN', 'NGRAMBF', 'VECTOR'].includes(kind)) throw syntaxError(kindTok, "'BITMAP', 'GIN', 'NGRAMBF', 'VECTOR'")
          using = kind
          if (c.acceptPunct('(')) {
            do {
              const k = c.string('property name')
              c.expectPunct('=')
              properties.push([k, c.string('property value')])
            } while (c.acceptPunct(','))
            c.expectPunct(')')
          }
        }
        const comment = c.acceptKw('COMMENT') ? c.string('comment') : ''
        ;(spec.indexes ??= []).push({ name, columns: cols, ...(using === undefined ? {} : { using }), properties, comment })
        continue
      }
      const name = c.ident('column')
      spec.columns.push(c.acceptKw('COMMENT') ? { name, comment: c.string('comment') } : { name })
    } while (c.acceptPunct(','))
    c.expectPunct(')')
  }
  const seen = new Set<string>()
  const once = (clause: string, t: Token | undefined): void => {
    if (seen.has(clause)) throw syntaxError(t)
    seen.add(clause)
  }
  for (;;) {
    const t = c.peek()
    if (c.acceptKw('COMMENT')) {
      once('COMMENT', t)
      spec.comment = c.string('comment')
    } else if (c.acceptKw('PARTITION', 'BY')) {
      once('PARTITION', t)
      if (c.isPunct('(')) {
        c.next()
        spec.partition = [parseExpr(c)]
        while (c.isPunct(',')) {
          if (!f.multiPartition) throw syntaxError(c.peek(), "')'")
          c.next()
          spec.partition.push(parseExpr(c))
        }
        c.expectPunct(')')
      } else {
        spec.partition = [parseExpr(c)]
      }
    } else if (c.acceptKw('DISTRIBUTED', 'BY')) {
      once('DISTRIBUTED', t)
      spec.distribution = parseDistribution(c, f)
    } else if (c.isKw('ORDER', 'BY')) {
      if (!f.orderBy) throw syntaxError(t, "'AS'")
      c.next()
      c.next()
      once('ORDER', t)
      spec.orderBy = parseColumnNames(c)
    } else if (c.acceptKw('REFRESH')) {
      once('REFRESH', t)
      spec.refresh = parseRefresh(c, f, false)
    } else if (c.acceptKw('PROPERTIES')) {
      once('PROPERTIES', t)
      spec.properties = parseProperties(c)
    } else {
      break
    }
  }
  c.expectKw('AS')
  spec.queryStart = c.pos
  return spec
}

const nameSet = (names: readonly string[]): Set<string> => new Set(names.map((n) => n.toLowerCase()))

const randomId = (): string => {
  const h = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('')
  return `${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(12)}`
}

/** Run (or schedule) one refresh of an MV; the returned run is already in `cat.taskRuns`. */
export const startRefresh = (
  cat: Catalog,
  mv: MvObject,
  opts: { force: boolean; partitionStart: string; partitionEnd: string; behaviour?: { kind: 'refresh-failure' | 'refresh-delay'; message?: string; ms?: number } },
): TaskRun => {
  let finish: () => void = () => undefined
  const done = new Promise<void>((resolve) => { finish = resolve })
  const run: TaskRun = {
    queryId: randomId(), taskName: mv.taskName, db: mv.db, mvName: mv.name, createTime: timestamp(), finishTime: null,
    state: 'RUNNING', errorCode: 0, errorMessage: '', force: opts.force, partitionStart: opts.partitionStart,
    partitionEnd: opts.partitionEnd, definition: `insert overwrite \`${mv.name}\` ${mv.rewrittenQuery.replace(/\n/g, ' ')}`, done,
  }
  const complete = (): void => {
    try {
      const env = makeEnv(cat, { connectionId: 0, currentDb: mv.db, user: 'root', vars: new Map(), userVars: new Map() })
      const res = evaluateQuery(mv.query, env)
      mv.rows = res.rows.map((values): Row => Object.fromEntries(mv.columns.map((col, i) => [col.name.toLowerCase(), values[i] ?? null])))
      run.state = 'SUCCESS'
    } catch (e) {
      if (!(e instanceof EmulatorError)) throw e
      mv.rows = []
      run.state = 'SUCCESS'
      run.errorMessage = ''
    }
    run.finishTime = timestamp()
    finish()
  }
  const b = opts.behaviour
  if (b?.kind === 'refresh-failure') {
    run.state = 'FAILED'
    run.errorCode = -1
    run.errorMessage = b.message ?? `Refresh materialized view ${mv.name} failed`
    run.finishTime = timestamp()
    finish()
  } else if (b?.kind === 'refresh-delay') {
    const timer = setTimeout(() => {
      cat.timers.delete(timer)
      if (run.state === 'RUNNING') complete()
    }, b.ms ?? 0)
    cat.timers.add(timer)
    run.cancel = () => {
      clearTimeout(timer)
      cat.timers.delete(timer)
      run.state = 'FAILED'
      run.errorCode = -1
      run.errorMessage = 'task run is cancelled'
      run.finishTime = timestamp()
      finish()
    }
  } else {
    complete()
  }
  mv.lastRun = run
  cat.taskRuns.push(run)
  return run
}

const allMvs = (cat: Catalog): MvObject[] =>
  [...cat.databases.values()].flatMap((d) => [...d.values()]).filter((r): r is MvObject => r.kind === 'mv')

/** Mark every active MV reading `db.name` inactive with `reason`, and their dependents in turn. */
export const inactivateDependents = (cat: Catalog, db: string, name: string, reason: string): void => {
  for (const mv of allMvs(cat)) {
    if (!mv.active || !mv.baseTables.some((b) => b.db === db && b.name === name)) continue
    mv.active = false
    mv.inactiveReason = reason
    inactivateDependents(cat, mv.db, mv.name, `base-mv inactive: ${mv.name}`)
  }
}

/** Analyse an MV's query as it stands now: its columns and its rewritten text. */
const analyseMv = (cat: Catalog, spec: { query: ReturnType<typeof parseQuery> }, db: string): ReturnType<typeof analyseQuery> =>
  analyseQuery(spec.query, shapeLookup(cat), db)

/** Statement context the MV handlers need. */
export interface MvContext {
  readonly cat: Catalog
  readonly session: Session
  readonly source: string
  readonly refreshBehaviour: () => { kind: 'refresh-failure' | 'refresh-delay'; message?: string; ms?: number } | undefined
}

const OK: StatementResult = { kind: 'ok', affectedRows: 0 }

/** CREATE MATERIALIZED VIEW (cursor after `CREATE MATERIALIZED VIEW`). */
export const createMaterializedView = (c: TokenCursor, ctx: MvContext): StatementResult => {
  const { cat, session } = ctx
  const spec = parseCreateMv(c, cat.features)
  const query = parseQuery(c)
  c.expectEnd()
  const queryText = c.source.slice((c.tokens[spec.queryStart] as Token).start, (c.tokens[c.tokens.length - 1] as Token).end).trim()
  const db = resolveDb(session, spec.db)
  const relations = requireDatabase(cat, db)
  if (relations.has(spec.name)) {
    if (spec.ifNotExists) return OK
    throw tableExists(spec.name)
  }
  const sync = spec.refresh === undefined && spec.distribution === undefined
  const analysed = analyseMv(cat, { query }, db)
  const bases = baseTablesOf(query, db)
  for (const b of bases) {
    const rel = b.db === undefined ? undefined : findRelation(cat, b.db, b.name)
    if (rel?.kind === 'mv' && !rel.active) throw analysisError(`Create/Rebuild materialized view from inactive materialized view: ${rel.name}`)
  }
  if (sync) {
    if (spec.partition !== undefined || spec.orderBy !== undefined) {
      throw analysisError('A materialized view without REFRESH or DISTRIBUTED BY is synchronous, and a synchronous materialized view takes no PARTITION BY or ORDER BY')
    }
    if (query.k !== 'select' || query.from === undefined || query.from.joins.length > 0 || query.from.first.k !== 'table') {
      throw analysisError('The materialized view is synchronous (no REFRESH, no DISTRIBUTED BY), and a synchronous materialized view only supports a single table in from clause')
    }
    if (query.having !== undefined) throw analysisError('The having clause is not supported in add materialized view clause')
    const base = bases[0]
    const rel = base === undefined || base.db === undefined ? undefined : findRelation(cat, base.db, base.name)
    if (rel?.kind !== 'table') throw analysisError(`Materialized view ${spec.name} must be created on an OLAP table`)
  }
  let columns = analysed.columns.map((col) => ({ name: col.name, type: col.type }))
  if (spec.columns !== undefined) {
    if (spec.columns.length !== columns.length) {
      throw analysisError(`The number of columns specified in column list (${spec.columns.length}) is not equal to the number of columns in query (${columns.length})`)
    }
    columns = spec.columns.map((col, i) => ({ ...col, type: columns[i]?.type ?? 'VARCHAR' }))
  }
  const seenNames = new Set<string>()
  for (const col of columns) {
    if (seenNames.has(col.name.toLowerCase())) throw new EmulatorError(1060, `Duplicate column name '${col.name}'`, '42S21')
    seenNames.add(col.name.toLowerCase())
  }
  const outputs = nameSet(columns.map((col) => col.name))
  const partition = spec.partition ?? []
  for (const e of partition) {
    walk(e, (x) => {
      if (x.k === 'col' && !outputs.has((x.parts[x.parts.length - 1] as string).toLowerCase())) {
        throw analysisError(`Materialized view partition column in partition exp must be base table partition column: ${x.parts.join('.')} is not an output column of the query`)
      }
    })
  }
  const checkColumns = (names: readonly string[], what: string): void => {
    for (const n of names) {
      if (!outputs.has(n.toLowerCase())) throw analysisError(`${what} column '${n}' is not an output column of the materialized view`)
    }
  }
  if (spec.distribution?.kind === 'hash') checkColumns(spec.distribution.columns, 'Distribution')
  checkColumns(spec.orderBy ?? [], 'Sort key')
  const properties = new Map<string, string>()
  const unknown = new Map<string, string>()
  for (const [k, v] of spec.properties) {
    if (!sync && !isKnownCreateProperty(k, cat)) unknown.set(k, v)
    properties.set(k, qualifyConstraint(k, v, db))
  }
  if (unknown.size > 0) throw analysisError(unknownPropertiesMessage(unknown, 'Analyze materialized view properties failed'))
  const rn = properties.get('replication_num')
  if (rn !== undefined && !/^[1-9]\d*$/.test(rn)) throw analysisError(`Invalid replication_num: ${rn}`)
  const medium = properties.get('storage_medium')
  if (medium !== undefined && !/^(HDD|SSD)$/i.test(medium)) throw analysisError(`Invalid storage medium: ${medium}`)
  const indexNames = new Set<string>()
  for (const ix of spec.indexes ?? []) {
    if (indexNames.has(ix.name.toLowerCase())) throw analysisError(`Duplicate index name '${ix.name}'`)
    indexNames.add(ix.name.toLowerCase())
    for (const col of ix.columns) {
      if (!columns.some((x) => x.name.toLowerCase() === col.toLowerCase())) throw analysisError(`Column does not exist in table. invalid column name: ${col}`)
    }
  }
  const id = cat.nextId
  cat.nextId += 2
  const mv: MvObject = {
    kind: 'mv', id, db, name: spec.name, sync, columns, indexes: spec.indexes ?? [],
    ...(spec.comment === undefined ? {} : { comment: spec.comment }),
    partitionExprs: partition,
    distribution: spec.distribution ?? { kind: 'random' },
    distributionGiven: spec.distribution !== undefined,
    orderBy: spec.orderBy ?? [],
    refresh: spec.refresh ?? { moment: 'IMMEDIATE', kind: 'MANUAL' },
    createProperties: properties,
    alteredProperties: new Map(),
    query, queryText, rewrittenQuery: analysed.rewritten,
    createText: c.source.trim(),
    baseTables: bases.flatMap((b) => (b.db === undefined ? [] : [{ db: b.db, name: b.name }])),
    active: true, inactiveReason: '', rows: [], createTime: timestamp(), taskName: `mv-${id}`,
  }
  relations.set(spec.name, mv)
  if (!sync && mv.refresh.moment === 'IMMEDIATE') {
    const behaviour = ctx.refreshBehaviour()
    startRefresh(cat, mv, { force: false, partitionStart: '', partitionEnd: '', ...(behaviour === undefined ? {} : { behaviour }) })
  }
  return OK
}

const requireMv = (ctx: MvContext, q: { db?: string; name: string }, tok: Token | undefined): MvObject => {
  const db = resolveDb(ctx.session, q.db)
  requireDatabase(ctx.cat, db)
  const r = findRelation(ctx.cat, db, q.name)
  if (r?.kind !== 'mv' || r.sync) throw analysisError(`Can not find materialized view:${q.name}`, tok)
  return r
}

/** ALTER MATERIALIZED VIEW (cursor after those three words): exactly one clause. */
export const alterMaterializedView = (c: TokenCursor, ctx: MvContext): StatementResult => {
  const { cat } = ctx
  const f = cat.features
  const nameTok = c.peek()
  const q = c.qualifiedName()
  const mv = requireMv(ctx, q, nameTok)
  const t = c.peek()
  if (c.acceptKw('REFRESH')) {
    const scheme = parseRefresh(c, f, true)
    c.expectEnd()
    mv.refresh = { ...scheme, moment: mv.refresh.moment }
  } else if (c.acceptKw('SET')) {
    const props = parseProperties(c)
    c.expectEnd()
    const unknown = new Map([...props].filter(([k]) => !ALTERABLE_PROPERTIES.has(k) && !k.startsWith('session.')))
    if (unknown.size > 0) throw analysisError(unknownPropertiesMessage(unknown, 'Modify failed'))
    for (const [k, v] of props) {
      const value = qualifyConstraint(k, v, mv.db)
      if (mv.createProperties.has(k)) (mv.createProperties as Map<string, string>).set(k, value)
      else mv.alteredProperties.set(k, value)
    }
  } else if (c.acceptKw('RENAME')) {
    const target = c.qualifiedName()
    c.expectEnd()
    const rels = requireDatabase(cat, mv.db)
    if (rels.has(target.name)) throw tableExists(target.name)
    const old = mv.name
    rels.delete(old)
    mv.name = target.name
    rels.set(mv.name, mv)
    inactivateDependents(cat, mv.db, old, `base-table renamed: ${old}`)
  } else if (f.swapActive && c.acceptKw('ACTIVE')) {
    c.expectEnd()
    if (mv.active) return OK
    try {
      for (const b of mv.baseTables) {
        const rel = findRelation(cat, b.db, b.name)
        if (rel?.kind === 'mv' && !rel.active) throw analysisError(`Create/Rebuild materialized view from inactive materialized view: ${rel.name}`)
      }
      const analysed = analyseMv(cat, { query: mv.query }, mv.db)
      if (analysed.columns.length !== mv.columns.length) throw analysisError('The columns of the query changed')
    } catch (e) {
      if (!(e instanceof EmulatorError)) throw e
      const cause = e.message.replace(/^Getting analyzing error[^.]*\. Detail message: /, '').replace(/\.$/, '')
      throw analysisError(`Can not active materialized view [${mv.name}] because analyze materialized view define sql: \n\n${showCreateMv(mv, cat)}\n\nCause an error: ${cause}.`)
    }
    mv.active = true
    mv.inactiveReason = ''
  } else if (f.swapActive && c.acceptKw('INACTIVE')) {
    c.expectEnd()
    mv.active = false
    mv.inactiveReason = 'user use alter materialized view set status to inactive'
    inactivateDependents(cat, mv.db, mv.name, `base-mv inactive: ${mv.name}`)
  } else if (f.swapActive && c.acceptKw('SWAP', 'WITH')) {
    const other = c.qualifiedName()
    c.expectEnd()
    const rels = requireDatabase(cat, mv.db)
    const o = rels.get(other.name)
    if (o === undefined) throw analysisError(`Unknown table '${mv.db}.${other.name}'`)
    if (o === mv) throw ddlError(`New name conflicts with rollup index name: ${mv.name}`)
    if (o.kind !== 'mv' || o.sync) throw ddlError('Materialized view can only SWAP WITH materialized view')
    const a = mv.name
    const b = o.name
    mv.name = b
    o.name = a
    rels.set(a, o)
    rels.set(b, mv)
    inactivateDependents(cat, mv.db, a, `base-table swapped: ${a}`)
    inactivateDependents(cat, mv.db, b, `base-table swapped: ${b}`)
  } else if (f.mvColumnAlter && c.acceptKw('ADD', 'COLUMN')) {
    addMvColumn(c, cat, mv)
  } else if (f.mvColumnAlter && c.acceptKw('DROP', 'COLUMN')) {
    dropMvColumn(c, cat, mv)
  } else if (f.orderByAlter && c.acceptKw('ORDER', 'BY')) {
    orderMvBy(c)
  } else {
    throw syntaxError(
      t,
      f.mvColumnAlter
        ? "'REFRESH', 'SET', 'RENAME', 'ACTIVE', 'INACTIVE', 'SWAP', 'ADD', 'DROP', 'ORDER'"
        : f.swapActive ? "'REFRESH', 'SET', 'RENAME', 'ACTIVE', 'INACTIVE', 'SWAP'" : "'REFRESH', 'SET', 'RENAME'",
    )
  }
  return OK
}

/** DROP MATERIALIZED VIEW (cursor after those three words). */
export const dropMaterializedView = (c: TokenCursor, ctx: MvContext): StatementResult => {
  const ifExists = c.acceptKw('IF', 'EXISTS')
  const q = c.qualifiedName()
  c.acceptKw('FORCE')
  c.expectEnd()
  const db = resolveDb(ctx.session, q.db)
  const rels = requireDatabase(ctx.cat, db)
  const r = rels.get(q.name)
  if (r?.kind !== 'mv') {
    if (ifExists) return OK
    throw ddlError(`Materialized view ${q.name} is not found`)
  }
  for (const run of ctx.cat.taskRuns) if (run.taskName === r.taskName && run.state === 'RUNNING') run.cancel?.()
  rels.delete(q.name)
  inactivateDependents(ctx.cat, db, q.name, `base-table dropped: ${q.name}`)
  return OK
}

/** REFRESH MATERIALIZED VIEW (cursor after those three words). */
export const refreshMaterializedView = async (c: TokenCursor, ctx: MvContext): Promise<StatementResult> => {
  const nameTok = c.peek()
  const q = c.qualifiedName()
  let partitionStart = ''
  let partitionEnd = ''
  let listValues: string[] | undefined
  const partitionTok = c.peek()
  if (c.acceptKw('PARTITION')) {
    if (c.isPunct('(')) {
      // PARTITION ('a', NULL) or PARTITION (('a', 'x'), ('b', 'y')): list partition values, 3.4+.
      if (!versionAtLeast(ctx.cat.version, '3.4')) throw syntaxError(c.peek(), 'START')
      listValues = []
      const value = (): string => (c.acceptKw('NULL') ? 'NULL' : c.string('a partition value or NULL'))
      c.expectPunct('(')
      do {
        if (c.acceptPunct('(')) {
          const tuple: string[] = []
          do tuple.push(value())
          while (c.acceptPunct(','))
          c.expectPunct(')')
          listValues.push(`(${tuple.join(', ')})`)
        } else listValues.push(value())
      } while (c.acceptPunct(','))
      c.expectPunct(')')
    } else {
      c.expectKw('START')
      c.expectPunct('(')
      partitionStart = c.string('partition start')
      c.expectPunct(')')
      c.expectKw('END')
      c.expectPunct('(')
      partitionEnd = c.string('partition end')
      c.expectPunct(')')
    }
  }
  const forceTok = c.peek()
  const force = c.acceptKw('FORCE')
  let syncMode = false
  if (c.isKw('WITH') && !c.isKw('WITH', 'PRIORITY')) {
    c.expectKw('WITH')
    const modeTok = c.peek()
    if (c.acceptKw('SYNC')) syncMode = true
    else if (!c.acceptKw('ASYNC')) throw syntaxError(modeTok, "'SYNC', 'ASYNC'")
    c.expectKw('MODE')
  }
  if (c.isKw('WITH', 'PRIORITY')) {
    // WITH PRIORITY n: StarRocks PR #53733, backported to 3.3 and 3.4; the emulator takes it from 3.4.
    if (!versionAtLeast(ctx.cat.version, '3.4')) throw syntaxError(c.peek(1), "'SYNC', 'ASYNC'")
    c.expectKw('WITH', 'PRIORITY')
    c.integer('a priority')
  }
  c.expectEnd()
  const mv = requireMv(ctx, q, nameTok)
  if (!mv.active) {
    throw analysisError(`Refresh materialized view failed because [${mv.name}] is not active. You can try to active it with ALTER MATERIALIZED VIEW ${mv.name} ACTIVE; `)
  }
  // refresh_mode INCREMENTAL / AUTO MVs refresh as a whole: StarRocks refuses partition refreshes
  // (PR #71355) and FORCE (PR #72336) at analysis.
  const refreshMode = (mv.alteredProperties.get('refresh_mode') ?? mv.createProperties.get('refresh_mode') ?? '').toUpperCase()
  if (refreshMode === 'INCREMENTAL' || refreshMode === 'AUTO') {
    if (listValues !== undefined || partitionStart !== '') {
      throw analysisError(`Partition refresh is not supported for materialized view ${mv.name} with refresh_mode ${refreshMode}: it only supports refreshing the whole materialized view`, partitionTok)
    }
    if (force) {
      throw analysisError(`FORCE refresh is not supported for materialized view ${mv.name} with refresh_mode ${refreshMode}: drop and re-create it to rebuild its data`, forceTok)
    }
  }
  if (listValues !== undefined) partitionStart = listValues.join(', ')
  const behaviour = ctx.refreshBehaviour()
  const run = startRefresh(ctx.cat, mv, { force, partitionStart, partitionEnd, ...(behaviour === undefined ? {} : { behaviour }) })
  if (syncMode) {
    await run.done
    if (run.state === 'FAILED') throw ddlError(`Refresh materialized view ${mv.name} failed: ${run.errorMessage}`)
  }
  return { kind: 'rows', columns: [{ name: 'QUERY_ID', type: 'VARCHAR' }], rows: [[run.queryId]] }
}

/** CANCEL REFRESH MATERIALIZED VIEW (cursor after those four words). */
export const cancelRefreshMaterializedView = (c: TokenCursor, ctx: MvContext): StatementResult => {
  const nameTok = c.peek()
  const q = c.qualifiedName()
  c.acceptKw('FORCE')
  c.expectEnd()
  const mv = requireMv(ctx, q, nameTok)
  for (const run of ctx.cat.taskRuns) if (run.taskName === mv.taskName && run.state === 'RUNNING') run.cancel?.()
  return OK
}

/** SHOW CREATE MATERIALIZED VIEW (cursor after those four words). */
export const showCreateMaterializedView = (c: TokenCursor, ctx: MvContext): StatementResult => {
  const q = c.qualifiedName()
  c.expectEnd()
  const db = resolveDb(ctx.session, q.db)
  requireDatabase(ctx.cat, db)
  const r = findRelation(ctx.cat, db, q.name)
  if (r === undefined) throw analysisError(`Unknown table '${db}.${q.name}'`)
  if (r.kind !== 'mv') throw analysisError(`Table '${q.name}' is not a materialized view`)
  return {
    kind: 'rows',
    columns: [{ name: 'Materialized View', type: 'VARCHAR' }, { name: 'Create Materialized View', type: 'VARCHAR' }],
    rows: [[r.name, showCreateMv(r, ctx.cat)]],
  }
}

const SHOW_MV_COLUMNS = [
  'id', 'database_name', 'name', 'refresh_type', 'is_active', 'inactive_reason', 'partition_type', 'task_id', 'task_name',
  'last_refresh_start_time', 'last_refresh_finished_time', 'last_refresh_duration', 'last_refresh_state',
  'last_refresh_force_refresh', 'last_refresh_start_partition', 'last_refresh_end_partition',
  'last_refresh_base_refresh_partitions', 'last_refresh_mv_refresh_partitions', 'last_refresh_error_code',
  'last_refresh_error_message', 'rows', 'text', 'extra_message', 'query_rewrite_status', 'creator',
  'last_refresh_process_time', 'last_refresh_job_id',
].map((name) => ({ name, type: 'VARCHAR' }))

/** SHOW MATERIALIZED VIEWS [FROM db] [WHERE ... | LIKE '...'] (cursor after those three words). */
export const showMaterializedViews = (c: TokenCursor, ctx: MvContext): StatementResult => {
  let dbName: string | undefined
  if (c.acceptKw('FROM') || c.acceptKw('IN')) dbName = c.ident('database')
  const db = resolveDb(ctx.session, dbName)
  requireDatabase(ctx.cat, db)
  let where: Expr | undefined
  let likePattern: string | undefined
  if (c.acceptKw('WHERE')) where = parseExpr(c)
  else if (c.acceptKw('LIKE')) likePattern = c.string('pattern')
  c.expectEnd()
  const env = makeEnv(ctx.cat, ctx.session)
  const all = informationSchema(ctx.cat, 'materialized_views')
  void all
  const mvs = [...requireDatabase(ctx.cat, db).values()].filter((r): r is MvObject => r.kind === 'mv')
  const rows: Row[] = mvs.map((mv) => Object.fromEntries(SHOW_MV_COLUMNS.map((col, i) => [col.name, mvRowValues(mv, ctx.cat)[i] ?? null])))
  const set = { columns: SHOW_MV_COLUMNS, rows }
  let kept = filterRows(set, where, env)
  if (likePattern !== undefined) {
    const pattern = likePattern
    kept = filterRows(set, { k: 'like', e: { k: 'col', parts: ['name'], text: 'name', tok: c.tokens[0] as Token }, pattern: { k: 'str', value: pattern, text: '' }, not: false, text: '' }, env)
  }
  return { kind: 'rows', columns: SHOW_MV_COLUMNS, rows: kept.map((r) => SHOW_MV_COLUMNS.map((col) => r[col.name] ?? null)) }
}

/** Quote a name for messages and definitions. */
export const q = quoteIdentifier
