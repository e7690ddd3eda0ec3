import { rowColumn, type Client, type Row } from '../db/index.js'
import { StarRocksMvError } from '../errors.js'
import { MvDefinition, QualifiedName, SchemaState, TableDefinition, ViewDefinition, type Distribution, type MvStatus, type RefreshSpec } from '../model/index.js'
import { sql } from '../sql/index.js'
import {
  DEFAULT_MV_COMMENT,
  parseIdentifierList,
  parseMaterializedView,
  parsePartitionExpressions,
} from './parse-materialized-view.js'
import { queryDependencies } from './query-dependencies.js'
import { parseCreateTable } from './parse-table.js'
import { parseCreateView } from './parse-view.js'
import { cell, keyModelOf, needsShowCreate, propertiesFromJson, tableFromRows, viewFromRows } from './reflect-tables.js'
import { isKeyword, significant, tokenize } from './tokenizer.js'

/** What {@link reflect} reads: materialized views, base tables, views. */
export type ReflectedObject = 'mvs' | 'tables' | 'views'

/** Options of {@link reflect}. */
export interface ReflectOptions {
  /** The databases to read. Default: the client's current database. */
  readonly schemas?: readonly string[]
  /**
   * What to read. Default: `['mvs']`, so `diff(await reflect(client), desired)` never plans a
   * server's base tables away. With `'tables'` or `'views'`, every table or view of the databases
   * comes back: keep only the ones you manage before diffing (as `srmv` does), or a plan drops the rest.
   */
  readonly objects?: readonly ReflectedObject[]
  /**
   * Qualified keys (`db.name`) of tables and views to read with SHOW CREATE TABLE / SHOW CREATE VIEW
   * whatever their information_schema rows say: for what information_schema does not show (indexes,
   * AUTO_INCREMENT, a view's SECURITY). One statement per key: pass only the few that need it.
   */
  readonly showCreate?: readonly string[]
}

const column = rowColumn

const text = (row: Row, name: string): string | undefined => {
  const v = column(row, name)
  if (v === null || v === undefined) return undefined
  const s = v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)
  return s === '' ? undefined : s
}

const required = (row: Row, name: string, where: string): string => {
  const v = text(row, name)
  if (v === undefined) {
    throw new StarRocksMvError('REFLECT_ERROR', `${where} returned a row without ${name}: the server's information_schema is not in a shape this version of starrocks-mv understands.`, {
      column: name,
    })
  }
  return v
}

const keyOf = (schema: string, name: string): string => QualifiedName.key({ schema, name })

const statusOf = (row: Row): MvStatus => {
  const active = text(row, 'IS_ACTIVE')
  const rows = text(row, 'TABLE_ROWS')
  const status: Record<string, unknown> = {
    active: active === undefined ? true : /^(true|1|yes)$/i.test(active),
  }
  const add = (key: keyof MvStatus, value: unknown): void => {
    if (value !== undefined) status[key] = value
  }
  add('inactiveReason', text(row, 'INACTIVE_REASON'))
  add('lastRefreshState', text(row, 'LAST_REFRESH_STATE'))
  add('lastRefreshError', text(row, 'LAST_REFRESH_ERROR_MESSAGE'))
  add('rows', rows !== undefined && /^\d+$/.test(rows) ? Number(rows) : undefined)
  add('taskName', text(row, 'TASK_NAME'))
  add('lastRefreshStartTime', text(row, 'LAST_REFRESH_START_TIME'))
  add('lastRefreshFinishedTime', text(row, 'LAST_REFRESH_FINISHED_TIME'))
  add('lastFreshnessConfirmedAt', text(row, 'LAST_FRESHNESS_CONFIRMED_AT'))
  return Object.freeze(status) as unknown as MvStatus
}

/** A definition holds the whole CREATE statement (every current version), not only the query. */
const isCreateStatement = (definition: string | undefined): definition is string =>
  definition !== undefined && isKeyword(significant(tokenize(definition))[0], 'CREATE')

/** Unqualified dependencies live in the MV's own database (where the server resolved them). */
const resolveDependencies = (def: MvDefinition, schema: string): MvDefinition =>
  MvDefinition.with(def, {
    schema,
    dependencies: def.dependencies.map((d) => (d.schema === undefined ? QualifiedName.create(d.name, schema) : d)),
  })

const refreshFromType = (type: string | undefined): { refresh?: RefreshSpec; sync: boolean } => {
  const t = (type ?? '').toUpperCase()
  if (t === 'ROLLUP' || t === 'SYNC') return { sync: true }
  if (t === 'MANUAL') return { sync: false, refresh: { kind: 'manual', deferred: false } }
  return { sync: false, refresh: { kind: 'async', deferred: false } }
}

/**
 * Build a definition from the pieces older servers report when MATERIALIZED_VIEW_DEFINITION holds
 * only the query: distribution, sort key, partition key and properties from `tables_config`,
 * the comment from `tables`, the refresh kind from REFRESH_TYPE. START, EVERY and DEFERRED are
 * not reported there, so such a definition has a plain `async` or `manual` refresh.
 */
const fromPieces = (mvRow: Row, config: Row | undefined, table: Row | undefined, schema: string, name: string): MvDefinition => {
  const where = `Materialized view ${keyOf(schema, name)}`
  const query = (text(mvRow, 'MATERIALIZED_VIEW_DEFINITION') ?? text(mvRow, 'TEXT') ?? '').trim().replace(/\s*;\s*$/, '')
  if (query === '') {
    throw new StarRocksMvError('REFLECT_ERROR', `${where}: the server reports no definition for it, so it cannot be read back.`, { schema, name })
  }
  const { refresh, sync } = refreshFromType(text(mvRow, 'REFRESH_TYPE'))
  let distribution: Distribution | undefined
  const type = config === undefined ? undefined : text(config, 'DISTRIBUTE_TYPE')?.toUpperCase()
  const bucketsText = config === undefined ? undefined : text(config, 'DISTRIBUTE_BUCKET')
  const buckets = bucketsText !== undefined && /^[1-9]\d*$/.test(bucketsText) ? Number(bucketsText) : undefined
  if (!sync && type === 'HASH') {
    distribution = { kind: 'hash', columns: parseIdentifierList(text(config as Row, 'DISTRIBUTE_KEY') ?? ''), ...(buckets === undefined ? {} : { buckets }) }
  } else if (!sync && type === 'RANDOM') {
    distribution = { kind: 'random', ...(buckets === undefined ? {} : { buckets }) }
  }
  const partitionBy = config === undefined ? [] : parsePartitionExpressions(text(config, 'PARTITION_KEY') ?? '')
  const orderBy = config === undefined ? [] : parseIdentifierList(text(config, 'SORT_KEY') ?? '')
  const comment = table === undefined ? undefined : text(table, 'TABLE_COMMENT')
  return MvDefinition.create({
    name,
    query,
    dependencies: queryDependencies(query),
    sync,
    ...(refresh === undefined ? {} : { refresh }),
    ...(distribution === undefined ? {} : { distribution }),
    ...(partitionBy.length === 0 ? {} : { partitionBy }),
    ...(orderBy.length === 0 ? {} : { orderBy }),
    ...(comment === undefined || comment === DEFAULT_MV_COMMENT ? {} : { comment }),
    properties: config === undefined ? {} : propertiesFromJson(text(config, 'PROPERTIES'), where),
  })
}

/**
 * Read the materialized views, base tables and views of the given databases (default: the
 * client's current database) from a live server, in a constant number of queries whatever the
 * number of objects: `current_version()` (once per client), `DATABASE()` when no schemas are given,
 * and one query each, filtered by `TABLE_SCHEMA IN (...)`, of `information_schema.materialized_views`,
 * `tables` (the list, TABLE_TYPE, TABLE_COMMENT), `tables_config` (key model, distribution, sort
 * key, PROPERTIES), `columns` (types, NULL, defaults, key columns, comments) and `views`
 * (VIEW_DEFINITION: the SELECT); `columns` and `views` are skipped when there is nothing to read.
 *
 * MVs: MATERIALIZED_VIEW_DEFINITION holds the whole SHOW CREATE text on every current version and is
 * parsed with `parseMaterializedView`; only when a server reports a bare query there (older
 * versions) do `tables_config` and `tables` fill in the rest. `schema` comes from TABLE_SCHEMA and
 * the name from TABLE_NAME; unqualified dependencies are placed in the object's database (where the
 * server resolved them). Live status (active, inactive reason, last refresh state and error, rows,
 * task) is in `state.status[QualifiedName.key(mv)]`.
 *
 * Tables (`state.tables`): the BASE TABLE rows of `information_schema.tables` that are native
 * tables (a `tables_config` row with a DUP_KEYS / AGG_KEYS / UNQ_KEYS / PRI_KEYS model) and not MVs
 * (`tables` lists MVs too; the `materialized_views` rows say which). information_schema does not
 * show everything a table holds, so the rule is:
 * - a table whose rows show it needs more is read with one `SHOW CREATE TABLE` and `parseCreateTable`:
 *   an AGGREGATE KEY table (the value columns' aggregate types are not in `columns`) and a
 *   partitioned one (a non-empty PARTITION_KEY: the scheme, expressions and declared partitions are
 *   not in `tables_config`);
 * - the keys in `options.showCreate` likewise (for what no row shows: indexes, AUTO_INCREMENT);
 * - every other table is built from its rows alone: no `indexes`, no `autoIncrement`; COLUMN_DEFAULT
 *   `CURRENT_TIMESTAMP` is that default, a function call such as `uuid()` an expression default, any
 *   other text a constant; a DISTRIBUTE_BUCKET of 0 means automatic buckets, and a SORT_KEY equal to
 *   the key no ORDER BY.
 * So the number of SHOW CREATE TABLE statements is the number of aggregate or partitioned tables
 * plus `showCreate`'s, never one per table.
 *
 * Views (`state.views`): the VIEW rows of `tables` that are not MVs, with VIEW_DEFINITION as the query,
 * TABLE_COMMENT and the column names and comments of `columns`; `SHOW CREATE VIEW` only for the
 * keys in `options.showCreate` (a view's SECURITY is not in information_schema).
 *
 * `state.serverVersion` is the server's version and `state.origin` is `'server'` (so
 * `diff(state, desired)` compares canonically). Tables and views are read only when `objects` asks
 * for them; then a server's other tables and views come back too: keep only the ones you manage
 * before diffing (as `srmv` does).
 * `SELECT *` keeps the reader tolerant of columns that older versions lack.
 *
 * @example
 * ```ts
 * const client = await connect('starrocks://root@127.0.0.1:9030/shop')
 * const state = await reflect(client, { schemas: ['shop', 'analytics'] })
 * for (const mv of state.mvs) console.log(QualifiedName.key(mv), state.status?.[QualifiedName.key(mv)]?.active)
 * ```
 */
export const reflect = async (client: Client, options: ReflectOptions = {}): Promise<SchemaState> => {
  const serverVersion = await client.version()
  let schemas = options.schemas
  if (schemas === undefined) {
    const current = await client.database()
    if (current === undefined) {
      throw new StarRocksMvError(
        'NO_DATABASE',
        `reflect() needs a database: the connection to ${client.url} has none selected. Put the database in the URL ` +
          '(starrocks://user@host:9030/<database>) or pass { schemas: [...] }.',
      )
    }
    schemas = [current]
  }
  schemas = [...new Set(schemas)]
  if (schemas.length === 0) return SchemaState.create([], { status: {}, serverVersion, origin: 'server' })
  const inList = sql.join(schemas)

  const wanted = new Set(schemas)
  const objects = new Set<ReflectedObject>(options.objects ?? ['mvs'])
  const read = async (statement: string): Promise<Row[]> =>
    (await client.query(statement)).rows.filter((r) => wanted.has(text(r, 'TABLE_SCHEMA') ?? ''))
  const byKey = (list: readonly Row[]): Map<string, Row> =>
    new Map(list.map((r) => [keyOf(text(r, 'TABLE_SCHEMA') ?? '', text(r, 'TABLE_NAME') ?? ''), r]))

  const mvRows = await read(sql`SELECT * FROM information_schema.materialized_views WHERE TABLE_SCHEMA IN (${inList})`.toSQL())
  const needPieces = objects.has('mvs') && mvRows.some((r) => !isCreateStatement(text(r, 'MATERIALIZED_VIEW_DEFINITION')))
  const wantTables = objects.has('tables')
  const wantViews = objects.has('views')

  let configs = new Map<string, Row>()
  let tables = new Map<string, Row>()
  if (needPieces || wantTables || wantViews) {
    tables = byKey(await read(sql`SELECT * FROM information_schema.tables WHERE TABLE_SCHEMA IN (${inList})`.toSQL()))
  }
  if (needPieces || wantTables) {
    configs = byKey(await read(sql`SELECT * FROM information_schema.tables_config WHERE TABLE_SCHEMA IN (${inList})`.toSQL()))
  }
  const mvKeys = new Set(mvRows.map((r) => keyOf(text(r, 'TABLE_SCHEMA') ?? '', text(r, 'TABLE_NAME') ?? '')))
  const tableType = (r: Row): string => (text(r, 'TABLE_TYPE') ?? '').toUpperCase()
  // information_schema.tables lists MVs too: the MV rows say which those are
  const tableKeys = wantTables
    ? [...tables].filter(([k, r]) => !mvKeys.has(k) && tableType(r) === 'BASE TABLE' && configs.has(k) && keyModelOf(configs.get(k) as Row) !== undefined).map(([k]) => k)
    : []
  const viewKeys = wantViews ? [...tables].filter(([k, r]) => !mvKeys.has(k) && tableType(r) === 'VIEW').map(([k]) => k) : []
  let viewRows = new Map<string, Row>()
  if (viewKeys.length > 0) viewRows = byKey(await read(sql`SELECT * FROM information_schema.views WHERE TABLE_SCHEMA IN (${inList})`.toSQL()))
  const columns = new Map<string, Row[]>()
  if (tableKeys.length > 0 || viewKeys.length > 0) {
    for (const r of await read(sql`SELECT * FROM information_schema.columns WHERE TABLE_SCHEMA IN (${inList})`.toSQL())) {
      const k = keyOf(text(r, 'TABLE_SCHEMA') ?? '', text(r, 'TABLE_NAME') ?? '')
      const list = columns.get(k)
      if (list === undefined) columns.set(k, [r])
      else list.push(r)
    }
  }
  const forced = new Set(options.showCreate ?? [])
  const showCreate = async (kind: 'TABLE' | 'VIEW', key: string, schema: string, name: string): Promise<string> => {
    const statement = kind === 'TABLE' ? sql`SHOW CREATE TABLE ${sql.id(schema, name)}` : sql`SHOW CREATE VIEW ${sql.id(schema, name)}`
    const row = (await client.query(statement.toSQL())).rows[0]
    const ddl = row === undefined ? undefined : cell(row, kind === 'TABLE' ? 'Create Table' : 'Create View')
    if (ddl === undefined) throw new StarRocksMvError('REFLECT_ERROR', `SHOW CREATE ${kind} ${key} returned no statement: check that this user may see it.`, { schema, name })
    return ddl
  }
  const parsing = async <T>(what: string, key: string, source: string, run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (e) {
      if (e instanceof StarRocksMvError && e.code === 'PARSE_ERROR') {
        throw new StarRocksMvError('PARSE_ERROR', `Cannot read ${what} ${key} from ${client.url}: ${e.message} The text came from ${source}; please report it if the server accepted it.`, { ...e.details, key }, { cause: e })
      }
      throw e
    }
  }

  const tableDefs: TableDefinition[] = []
  for (const key of tableKeys.sort()) {
    const row = tables.get(key) as Row
    const config = configs.get(key) as Row
    const schema = required(row, 'TABLE_SCHEMA', 'information_schema.tables')
    const name = required(row, 'TABLE_NAME', 'information_schema.tables')
    if (forced.has(key) || needsShowCreate(config)) {
      const ddl = await showCreate('TABLE', key, schema, name)
      tableDefs.push(await parsing('table', key, 'SHOW CREATE TABLE', () => TableDefinition.with(parseCreateTable(ddl), { name, schema })))
    } else {
      tableDefs.push(tableFromRows(schema, name, row, config, columns.get(key) ?? []))
    }
  }
  const viewDefs: ViewDefinition[] = []
  for (const key of viewKeys.sort()) {
    const row = tables.get(key) as Row
    const schema = required(row, 'TABLE_SCHEMA', 'information_schema.tables')
    const name = required(row, 'TABLE_NAME', 'information_schema.tables')
    const viewRow = viewRows.get(key)
    let def: ViewDefinition
    if (forced.has(key) || viewRow === undefined) {
      const ddl = await showCreate('VIEW', key, schema, name)
      def = await parsing('view', key, 'SHOW CREATE VIEW', () => ViewDefinition.with(parseCreateView(ddl), { name, schema }))
    } else {
      def = viewFromRows(schema, name, viewRow, row, columns.get(key) ?? [])
    }
    viewDefs.push(ViewDefinition.with(def, { dependencies: def.dependencies.map((d) => (d.schema === undefined ? QualifiedName.create(d.name, schema) : d)) }))
  }

  const mvs: MvDefinition[] = []
  const status: Record<string, MvStatus> = {}
  for (const row of objects.has('mvs') ? mvRows : []) {
    const schema = required(row, 'TABLE_SCHEMA', 'information_schema.materialized_views')
    const name = required(row, 'TABLE_NAME', 'information_schema.materialized_views')
    const key = keyOf(schema, name)
    const definition = text(row, 'MATERIALIZED_VIEW_DEFINITION')
    let def: MvDefinition
    try {
      def = isCreateStatement(definition)
        ? MvDefinition.with(parseMaterializedView(definition), { name })
        : fromPieces(row, configs.get(key), tables.get(key), schema, name)
    } catch (e) {
      if (e instanceof StarRocksMvError && e.code === 'PARSE_ERROR') {
        throw new StarRocksMvError(
          'PARSE_ERROR',
          `Cannot read materialized view ${key} from ${client.url}: ${e.message} The text came from ` +
            'information_schema.materialized_views.MATERIALIZED_VIEW_DEFINITION; please report it if the server accepted it.',
          { ...e.details, schema, name },
          { cause: e },
        )
      }
      throw e
    }
    mvs.push(resolveDependencies(def, schema))
    status[key] = statusOf(row)
  }
  return SchemaState.create(objects.has('mvs') ? mvs : [], {
    status: objects.has('mvs') ? status : {}, serverVersion, origin: 'server', tables: tableDefs, views: viewDefs,
  })
}
