import { rowColumn, type Client, type Row } from '../db/index.js'
import { StarRocksMvError } from '../errors.js'
import { MvDefinition, QualifiedName, SchemaState, type Distribution, type MvStatus, type RefreshSpec } from '../model/index.js'
import { sql } from '../sql/index.js'
import {
  DEFAULT_MV_COMMENT,
  parseIdentifierList,
  parseMaterializedView,
  parsePartitionExpressions,
} from './parse-materialized-view.js'
import { queryDependencies } from './query-dependencies.js'
import { isKeyword, significant, tokenize } from './tokenizer.js'

/** Options of {@link reflect}. */
export interface ReflectOptions {
  /** The databases to read. Default: the client's current database. */
  readonly schemas?: readonly string[]
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

const propertiesFromJson = (json: string | undefined, where: string): Record<string, string> => {
  if (json === undefined) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new StarRocksMvError('REFLECT_ERROR', `${where}: PROPERTIES is not JSON (${JSON.stringify(json.slice(0, 80))}).`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
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
 * Read every materialized view of the given databases (default: the client's current database)
 * from a live server, in a constant number of queries whatever the number of MVs:
 * `current_version()` (once per client), `DATABASE()` when no schemas are given, and one
 * `information_schema.materialized_views` query filtered by `TABLE_SCHEMA IN (...)`, whose
 * MATERIALIZED_VIEW_DEFINITION holds the whole SHOW CREATE text on every current version. Only
 * when a server reports a bare query there (older versions) are `information_schema.tables_config`
 * and `information_schema.tables` read, once each, to fill in the rest.
 *
 * Each definition is parsed with `parseMaterializedView`; `schema` comes from TABLE_SCHEMA and the
 * name from TABLE_NAME; unqualified dependencies are placed in the MV's database (where the server
 * resolved them). Live status (active, inactive reason, last refresh state and error, rows, task)
 * is in `state.status[QualifiedName.key(mv)]`, `state.serverVersion` is the server's version, and
 * `state.origin` is `'server'` (so `diff(state, desired)` compares canonically). `SELECT *` keeps the reader tolerant of columns that older versions lack.
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

  const { rows } = await client.query(
    sql`SELECT * FROM information_schema.materialized_views WHERE TABLE_SCHEMA IN (${inList})`.toSQL(),
  )

  const wanted = new Set(schemas)
  const mvRows = rows.filter((r) => wanted.has(text(r, 'TABLE_SCHEMA') ?? ''))
  const needPieces = mvRows.some((r) => !isCreateStatement(text(r, 'MATERIALIZED_VIEW_DEFINITION')))

  let configs = new Map<string, Row>()
  let tables = new Map<string, Row>()
  if (needPieces) {
    const byKey = (list: readonly Row[]): Map<string, Row> =>
      new Map(list.map((r) => [keyOf(text(r, 'TABLE_SCHEMA') ?? '', text(r, 'TABLE_NAME') ?? ''), r]))
    configs = byKey((await client.query(sql`SELECT * FROM information_schema.tables_config WHERE TABLE_SCHEMA IN (${inList})`.toSQL())).rows)
    tables = byKey(
      (await client.query(sql`SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COMMENT FROM information_schema.tables WHERE TABLE_SCHEMA IN (${inList})`.toSQL()))
        .rows,
    )
  }

  const mvs: MvDefinition[] = []
  const status: Record<string, MvStatus> = {}
  for (const row of mvRows) {
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
  return SchemaState.create(mvs, { status, serverVersion, origin: 'server' })
}
