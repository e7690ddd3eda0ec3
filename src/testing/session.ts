import { randomUUID } from 'node:crypto'
import { relationColumns, timestamp, type Catalog, type Relation } from './catalog.js'
import { EmulatorError, analysisError, noDatabase, unknownDatabase } from './emulator-error.js'
import { evaluateQuery, type EvalEnv, type Row, type RowSet, type Value } from './evaluate.js'
import { informationSchema } from './information-schema.js'
import type { RelationLookup } from './select-query.js'
import { currentVersionText } from './server-version.js'

/** One client connection's state. */
export interface Session {
  readonly connectionId: number
  currentDb: string | undefined
  readonly user: string
  readonly vars: Map<string, Value>
  readonly userVars: Map<string, Value>
}

/** What a statement answers: an OK packet or a result set. */
export type StatementResult =
  | { readonly kind: 'ok'; readonly affectedRows: number; readonly info?: string }
  | { readonly kind: 'rows'; readonly columns: readonly { readonly name: string; readonly type: string }[]; readonly rows: readonly (readonly Value[])[] }

/** Session variables and their values when a connection starts. */
export const defaultVariables = (cat: Catalog): Map<string, Value> => new Map<string, Value>([
  ['sql_mode', 'ONLY_FULL_GROUP_BY'],
  ['version', '5.1.0'],
  ['version_comment', `StarRocks version ${currentVersionText(cat.version)} (starrocks-mv emulator)`],
  ['autocommit', 1],
  ['tx_isolation', 'REPEATABLE-READ'],
  ['transaction_isolation', 'REPEATABLE-READ'],
  ['transaction_read_only', 0],
  ['lower_case_table_names', 0],
  ['max_allowed_packet', 33554432],
  ['character_set_client', 'utf8'],
  ['character_set_connection', 'utf8'],
  ['character_set_results', 'utf8'],
  ['character_set_server', 'utf8'],
  ['collation_connection', 'utf8_general_ci'],
  ['collation_server', 'utf8_general_ci'],
  ['collation_database', 'utf8_general_ci'],
  ['init_connect', ''],
  ['interactive_timeout', 3600],
  ['wait_timeout', 28800],
  ['net_write_timeout', 60],
  ['net_read_timeout', 60],
  ['query_timeout', 300],
  ['insert_timeout', 14400],
  ['time_zone', 'Asia/Shanghai'],
  ['system_time_zone', 'Asia/Shanghai'],
  ['auto_increment_increment', 1],
  ['license', 'Apache License 2.0'],
  ['performance_schema', 0],
  ['query_cache_size', 1048576],
  ['query_cache_type', 0],
  ['language', '/starrocks/share/english/'],
  ['net_buffer_length', 16384],
  ['have_query_cache', 'YES'],
  ['sql_select_limit', 9223372036854775807],
  ['warehouse', 'default_warehouse'],
])

/** Strip `session.` / `global.` / `local.` from a variable name. */
export const variableName = (name: string): string => name.replace(/^(session|global|local)\./i, '').toLowerCase()

/** The database a statement means: the one it names, or the session's. */
export const resolveDb = (session: Session, db: string | undefined): string => {
  const d = db ?? session.currentDb
  if (d === undefined) throw noDatabase()
  return d
}

/** A database's relations; throws `Unknown database` when it does not exist. */
export const requireDatabase = (cat: Catalog, db: string): Map<string, Relation> => {
  const d = cat.databases.get(db)
  if (d === undefined) throw unknownDatabase(db)
  return d
}

/** A relation by exact (case-sensitive) name. */
export const findRelation = (cat: Catalog, db: string, name: string): Relation | undefined => cat.databases.get(db)?.get(name)

/** Relation shapes for the analyser, information_schema included. */
export const shapeLookup = (cat: Catalog): RelationLookup => (db, name) => {
  if (db.toLowerCase() === 'information_schema') {
    const set = informationSchema(cat, name)
    return set === undefined ? undefined : { db: 'information_schema', name: name.toLowerCase(), columns: set.columns }
  }
  const r = findRelation(cat, db, name)
  return r === undefined ? undefined : { db: r.db, name: r.name, columns: relationColumns(r) }
}

/** The rows a query reads from a relation. */
export const relationRows = (cat: Catalog, r: Relation, session: Session): RowSet => {
  if (r.kind === 'table') return { columns: relationColumns(r), rows: r.rows }
  if (r.kind === 'mv') return { columns: relationColumns(r), rows: r.rows }
  const res = evaluateQuery(r.query, makeEnv(cat, { ...session, currentDb: r.db }))
  const rows: Row[] = res.rows.map((values) => Object.fromEntries(r.columns.map((c, i) => [c.name.toLowerCase(), values[i] ?? null])))
  return { columns: r.columns, rows }
}

/** An evaluation environment for one session. */
export const makeEnv = (cat: Catalog, session: Session): EvalEnv => ({
  currentDb: session.currentDb,
  rowsOf: (dbName, name) => {
    const db = dbName ?? session.currentDb
    if (db === undefined) throw noDatabase()
    if (db.toLowerCase() === 'information_schema') {
      const set = informationSchema(cat, name)
      if (set === undefined) throw analysisError(`Unknown table 'information_schema.${name}'`)
      return { ...set, db: 'information_schema', name: name.toLowerCase() }
    }
    requireDatabase(cat, db)
    const r = findRelation(cat, db, name)
    if (r === undefined) throw analysisError(`Unknown table '${db}.${name}'`)
    return { ...relationRows(cat, r, session), db, name: r.name }
  },
  scalar: (name) => {
    switch (name) {
      case 'current_version': return currentVersionText(cat.version)
      case 'version': return '5.1.0'
      case 'database': case 'schema': return session.currentDb ?? null
      case 'user': case 'session_user': return `'${session.user}'@'127.0.0.1'`
      case 'current_user': return `'${session.user}'@'%'`
      case 'connection_id': return session.connectionId
      case 'now': case 'current_timestamp': case 'sysdate': case 'localtime': return timestamp()
      case 'curdate': case 'current_date': return timestamp().slice(0, 10)
      case 'uuid': return randomUUID()
      case 'last_query_id': return randomUUID()
      default: return undefined
    }
  },
  variable: (name, system) => {
    if (!system) return session.userVars.get(name.toLowerCase()) ?? null
    const key = variableName(name)
    const v = session.vars.get(key)
    if (v === undefined) throw new EmulatorError(1193, `Unknown system variable '${key}'`, 'HY000')
    return v
  },
})
