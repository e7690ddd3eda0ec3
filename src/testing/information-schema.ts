import { quoteIdentifier } from '../sql/index.js'
import { relationColumns, type Catalog, type ColumnDef, type MvObject, type Relation, type TableObject, type TaskRun } from './catalog.js'
import type { Row, RowSet, Value } from './evaluate.js'
import { distributionText, mvProperties, partitionText, printColumnType, showCreateMv, tableDistribution } from './show-create.js'

const varchar = (names: readonly string[]): { name: string; type: string }[] => names.map((name) => ({ name, type: 'VARCHAR' }))

const keyed = (columns: readonly { name: string }[], values: readonly Value[]): Row =>
  Object.fromEntries(columns.map((c, i) => [c.name.toLowerCase(), values[i] ?? null]))

const MV_COLUMNS = varchar([
  'MATERIALIZED_VIEW_ID', 'TABLE_SCHEMA', 'TABLE_NAME', 'REFRESH_TYPE', 'IS_ACTIVE', 'INACTIVE_REASON', 'PARTITION_TYPE',
  'TASK_ID', 'TASK_NAME', 'LAST_REFRESH_START_TIME', 'LAST_REFRESH_FINISHED_TIME', 'LAST_REFRESH_DURATION',
  'LAST_REFRESH_STATE', 'LAST_REFRESH_FORCE_REFRESH', 'LAST_REFRESH_START_PARTITION', 'LAST_REFRESH_END_PARTITION',
  'LAST_REFRESH_BASE_REFRESH_PARTITIONS', 'LAST_REFRESH_MV_REFRESH_PARTITIONS', 'LAST_REFRESH_ERROR_CODE',
  'LAST_REFRESH_ERROR_MESSAGE', 'TABLE_ROWS', 'MATERIALIZED_VIEW_DEFINITION', 'EXTRA_MESSAGE', 'QUERY_REWRITE_STATUS',
  'CREATOR', 'LAST_REFRESH_PROCESS_TIME', 'LAST_REFRESH_JOB_ID',
])

const TASK_RUN_COLUMNS = varchar([
  'QUERY_ID', 'TASK_NAME', 'CREATE_TIME', 'FINISH_TIME', 'STATE', 'CATALOG', 'DATABASE', 'DEFINITION', 'EXPIRE_TIME',
  'ERROR_CODE', 'ERROR_MESSAGE', 'PROGRESS', 'EXTRA_MESSAGE', 'PROPERTIES',
])

/** `information_schema.materialized_view_refresh_jobs` (4.1+), in the docs' order. */
const REFRESH_JOB_COLUMNS = varchar([
  'JOB_ID', 'MATERIALIZED_VIEW_ID', 'TABLE_SCHEMA', 'TABLE_NAME', 'TASK_ID', 'WAREHOUSE', 'RESOURCE_GROUP', 'CREATOR',
  'SUBMIT_USER', 'RUN_AS_USER', 'SUBMIT_TIME', 'REFRESH_STATE', 'FINISH_TIME', 'DURATION_TIME', 'REFRESH_TRIGGER',
  'REFRESH_MODE', 'IMV_SOURCE_VERSION_RANGE', 'IMV_SOURCE_TIMESTAMP_RANGE', 'IMV_SOURCE_PINNED_SNAPSHOT_ID_MAP',
  'FAILED_TASK_RUN_ID', 'FAILED_QUERY_ID', 'ERROR_CODE', 'ERROR_MESSAGE', 'EXECUTED_REFRESH_MODE',
])

/** `information_schema.partitions_meta`, in the docs' order (`LAST_UPDATE_TIME`, `LAST_ACCESS_TIME` from 4.2). */
const PARTITIONS_META_COLUMNS = varchar([
  'DB_NAME', 'TABLE_NAME', 'PARTITION_NAME', 'PARTITION_ID', 'COMPACT_VERSION', 'VISIBLE_VERSION', 'VISIBLE_VERSION_TIME',
  'NEXT_VERSION', 'DATA_VERSION', 'VERSION_EPOCH', 'VERSION_TXN_TYPE', 'PARTITION_KEY', 'PARTITION_VALUE', 'DISTRIBUTION_KEY',
  'BUCKETS', 'REPLICATION_NUM', 'STORAGE_MEDIUM', 'COOLDOWN_TIME', 'LAST_CONSISTENCY_CHECK_TIME', 'IS_IN_MEMORY', 'IS_TEMP',
  'DATA_SIZE', 'ROW_COUNT', 'ENABLE_DATACACHE', 'AVG_CS', 'P50_CS', 'MAX_CS', 'STORAGE_PATH', 'STORAGE_SIZE',
  'METADATA_SWITCH_VERSION', 'TABLET_BALANCED',
])
const PARTITION_TIME_COLUMNS = varchar(['LAST_UPDATE_TIME', 'LAST_ACCESS_TIME'])

const TABLES_CONFIG_COLUMNS = varchar([
  'TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_ENGINE', 'TABLE_MODEL', 'PRIMARY_KEY', 'PARTITION_KEY', 'DISTRIBUTE_KEY',
  'DISTRIBUTE_TYPE', 'DISTRIBUTE_BUCKET', 'SORT_KEY', 'PROPERTIES', 'TABLE_ID',
])

const TABLES_COLUMNS = [
  ...varchar(['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'TABLE_TYPE', 'ENGINE']),
  { name: 'VERSION', type: 'BIGINT' },
  ...varchar(['ROW_FORMAT']),
  { name: 'TABLE_ROWS', type: 'BIGINT' },
  { name: 'AVG_ROW_LENGTH', type: 'BIGINT' },
  { name: 'DATA_LENGTH', type: 'BIGINT' },
  ...varchar(['CREATE_TIME', 'UPDATE_TIME', 'TABLE_COLLATION', 'CREATE_OPTIONS', 'TABLE_COMMENT']),
]

const SCHEMATA_COLUMNS = varchar(['CATALOG_NAME', 'SCHEMA_NAME', 'DEFAULT_CHARACTER_SET_NAME', 'DEFAULT_COLLATION_NAME', 'SQL_PATH'])

/** `information_schema.columns`, in the docs' order (the MySQL columns, then COLUMN_SIZE .. SRS_ID). */
const COLUMNS_COLUMNS = [
  ...varchar(['TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'COLUMN_NAME']),
  { name: 'ORDINAL_POSITION', type: 'BIGINT' },
  ...varchar(['COLUMN_DEFAULT', 'IS_NULLABLE', 'DATA_TYPE']),
  { name: 'CHARACTER_MAXIMUM_LENGTH', type: 'BIGINT' },
  { name: 'CHARACTER_OCTET_LENGTH', type: 'BIGINT' },
  { name: 'NUMERIC_PRECISION', type: 'BIGINT' },
  { name: 'NUMERIC_SCALE', type: 'BIGINT' },
  { name: 'DATETIME_PRECISION', type: 'BIGINT' },
  ...varchar(['CHARACTER_SET_NAME', 'COLLATION_NAME', 'COLUMN_TYPE', 'COLUMN_KEY', 'EXTRA', 'PRIVILEGES', 'COLUMN_COMMENT']),
  { name: 'COLUMN_SIZE', type: 'BIGINT' },
  { name: 'DECIMAL_DIGITS', type: 'BIGINT' },
  ...varchar(['GENERATION_EXPRESSION']),
  { name: 'SRS_ID', type: 'BIGINT' },
]

/** `information_schema.views`, in the docs' order. */
const VIEWS_COLUMNS = varchar([
  'TABLE_CATALOG', 'TABLE_SCHEMA', 'TABLE_NAME', 'VIEW_DEFINITION', 'CHECK_OPTION', 'IS_UPDATABLE', 'DEFINER', 'SECURITY_TYPE',
  'CHARACTER_SET_CLIENT', 'COLLATION_CONNECTION',
])

/** COLUMN_KEY of a key column: the table's keys type as StarRocks's metadata names it (`KeysType.toMetadata`). */
const COLUMN_KEY: Readonly<Record<TableObject['keysType'], string>> = { DUP_KEYS: 'DUP', AGG_KEYS: 'AGG', UNQ_KEYS: 'UNI', PRI_KEYS: 'PRI' }

/**
 * COLUMN_DEFAULT as the server reports it (`Column.getMetaDefaultValue`): the constant as text,
 * `CURRENT_TIMESTAMP`, or an expression default's text without its parentheses; NULL without a default.
 */
const columnDefault = (def: ColumnDef | undefined): Value => {
  if (def === undefined) return null
  const v = def.defaultValue
  if (v !== undefined) return typeof v === 'object' && v !== null ? 'CURRENT_TIMESTAMP' : v === null ? null : String(v)
  const text = def.defaultText
  return text !== undefined && text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1).trim() : null
}

/**
 * COLUMN_TYPE as `Type.toMysqlColumnTypeString` prints it: the SHOW CREATE TABLE spelling
 * (`int(11)`, `decimal(10, 2)`, `array<int(11)>`), except BOOLEAN → `tinyint(1)` and LARGEINT →
 * `bigint(20) unsigned` (at any depth).
 */
export const mysqlColumnType = (type: string): string =>
  printColumnType(type).replace(/\bboolean\b/g, 'tinyint(1)').replace(/\blargeint\(40\)/g, 'bigint(20) unsigned')

/** DATA_TYPE as `Type.toMysqlDataTypeString` prints it: the type name only (`decimal`, `tinyint`, `bigint unsigned`, `array`). */
const mysqlDataType = (columnType: string): string =>
  columnType.startsWith('bigint(20) unsigned') ? 'bigint unsigned' : columnType.replace(/[(<].*$/s, '')

/** One `information_schema.columns` row. */
const columnValues = (r: Relation, c: { name: string; type: string; comment?: string }, i: number): Value[] => {
  const def = r.kind === 'table' ? r.columns[i] : undefined
  const key = r.kind === 'table' && r.keys.some((k) => k.toLowerCase() === c.name.toLowerCase()) ? COLUMN_KEY[r.keysType] : ''
  const columnType = mysqlColumnType(c.type)
  return [
    null, r.db, r.name, c.name, i + 1, columnDefault(def), def === undefined || def.nullable ? 'YES' : 'NO',
    mysqlDataType(columnType), null, null, null, null, null, null, null, columnType, key,
    '', 'SELECT,INSERT,UPDATE,REFERENCES', def?.comment ?? c.comment ?? '', null, null, null, null,
  ]
}

const allRelations = (cat: Catalog): Relation[] => [...cat.databases.values()].flatMap((db) => [...db.values()])

const mvs = (cat: Catalog): MvObject[] => allRelations(cat).filter((r): r is MvObject => r.kind === 'mv')

/** REFRESH_TYPE as information_schema and SHOW MATERIALIZED VIEWS report it. */
export const refreshType = (mv: MvObject): string => (mv.sync ? 'ROLLUP' : mv.refresh.kind === 'MANUAL' ? 'MANUAL' : 'ASYNC')

const duration = (run: TaskRun): string =>
  run.finishTime === null ? '' : ((Date.parse(run.finishTime.replace(' ', 'T')) - Date.parse(run.createTime.replace(' ', 'T'))) / 1000).toFixed(3)

/** The values of one `information_schema.materialized_views` row, in column order. */
export const mvRowValues = (mv: MvObject, cat: Catalog): Value[] => {
  const run = mv.lastRun
  return [
    String(mv.id), mv.db, mv.name, refreshType(mv), mv.active ? 'true' : 'false', mv.inactiveReason,
    mv.partitionExprs.length > 0 ? 'RANGE' : 'UNPARTITIONED', String(mv.id + 1), mv.taskName,
    run?.createTime ?? '', run?.finishTime ?? '', run === undefined ? '' : duration(run), run?.state ?? '',
    run === undefined ? '' : String(run.force), run?.partitionStart ?? '', run?.partitionEnd ?? '', '', '',
    run === undefined ? '' : String(run.errorCode), run?.errorMessage ?? '', String(mv.rows.length),
    showCreateMv(mv, cat), '', mv.active ? 'VALID' : 'INVALID', 'root', '', run?.queryId ?? '',
  ]
}

/** REFRESH_TRIGGER as 4.1+ reports it. */
const refreshTrigger = (mv: MvObject | undefined): string =>
  mv === undefined ? 'UNKNOWN' : mv.sync ? 'NONE' : mv.refresh.kind === 'MANUAL' ? 'MANUAL' : mv.refresh.kind === 'PERIODIC' ? 'SCHEDULED' : 'ON_BASE_TABLE_CHANGE'

/**
 * One `materialized_view_refresh_jobs` row per refresh: the emulator never splits a refresh into
 * several task runs, so each run is its own job (JOB_ID = its query id).
 */
const refreshJobValues = (run: TaskRun, cat: Catalog): Value[] => {
  const mv = mvs(cat).find((m) => m.taskName === run.taskName)
  const failed = run.state === 'FAILED'
  return [
    run.queryId, mv === undefined ? null : String(mv.id), run.db, mv?.name ?? null, mv === undefined ? null : String(mv.id + 1),
    '', mv === undefined ? 'default_mv_wg' : (mvProperties(mv, cat).get('resource_group') ?? 'default_mv_wg'), "'root'@'%'",
    "'root'@'%'", "'root'@'%'", run.createTime, run.state, run.finishTime, run.finishTime === null ? null : duration(run),
    refreshTrigger(mv), mv === undefined ? null : 'PCT', null, null, null,
    failed ? run.queryId : null, failed ? run.queryId : null, failed ? String(run.errorCode) : null, failed ? run.errorMessage : null,
    run.state === 'SUCCESS' || failed ? 'PCT' : null,
  ]
}

/** One partition per table and async MV (the emulator keeps no partitions of its own). */
const partitionsMetaValues = (r: Relation, cat: Catalog): Value[] | undefined => {
  if (r.kind === 'view' || (r.kind === 'mv' && r.sync)) return undefined
  const versionTime = r.kind === 'table' ? r.visibleVersionTime : (r.lastRun?.finishTime ?? r.createTime)
  const row: Value[] = [
    r.db, r.name, r.name, String(r.id + 2), '0', '2', versionTime, '3', '2', '0', 'TXN_NORMAL',
    r.kind === 'table' ? keyList(r.partitionKey) : '', '', r.distribution?.kind === 'hash' ? keyList(r.distribution.columns) : '',
    String(r.distribution?.buckets ?? 0), String(cat.defaultReplicationNum), 'HDD', '9999-12-31 23:59:59', null, 'false', 'false',
    '0B', String(r.rows.length), 'false', '0', '0', '0', '', '0B', '0', 'true',
  ]
  return cat.features.partitionUpdateTime ? [...row, versionTime, null] : row
}

const keyList = (names: readonly string[]): string => names.map(quoteIdentifier).join(', ')

const tablesConfigRow = (r: Relation, cat: Catalog): Value[] | undefined => {
  if (r.kind === 'view') return undefined
  if (r.kind === 'table') {
    const d = tableDistribution(r, cat)
    return [
      r.db, r.name, 'OLAP', r.keysType, r.keysType === 'PRI_KEYS' || r.keysType === 'UNQ_KEYS' ? keyList(r.keys) : '',
      keyList(r.partitionKey), d?.kind === 'hash' ? keyList(d.columns) : '',
      d?.kind === 'hash' ? 'HASH' : 'RANDOM', String(d?.buckets ?? 0),
      keyList(r.orderBy.length > 0 ? r.orderBy : r.keys), JSON.stringify(Object.fromEntries(r.properties)), String(r.id),
    ]
  }
  if (r.sync) return undefined
  return [
    r.db, r.name, 'MATERIALIZED_VIEW', 'DUP_KEYS', '',
    r.partitionExprs.length > 0 ? partitionText(r).slice(1, -1) : '',
    r.distribution.kind === 'hash' ? keyList(r.distribution.columns) : '',
    r.distribution.kind === 'hash' ? 'HASH' : 'RANDOM', String(r.distribution.buckets ?? 0),
    keyList(r.orderBy), JSON.stringify(Object.fromEntries(mvProperties(r, cat))), String(r.id),
  ]
}

/** The names of the information_schema tables the emulator answers. */
export const INFORMATION_SCHEMA_TABLES = [
  'materialized_views', 'tables_config', 'tables', 'task_runs', 'schemata', 'columns', 'views', 'partitions_meta',
  'materialized_view_refresh_jobs',
] as const

/** Rows of an information_schema table, or `undefined` when the emulator does not have it. */
export const informationSchema = (cat: Catalog, table: string): RowSet | undefined => {
  const build = (columns: { name: string; type: string }[], values: Value[][]): RowSet => ({
    columns, rows: values.map((v) => keyed(columns, v)),
  })
  switch (table.toLowerCase()) {
    case 'materialized_views':
      return build(MV_COLUMNS, mvs(cat).map((mv) => mvRowValues(mv, cat)))
    case 'tables_config':
      return build(TABLES_CONFIG_COLUMNS, allRelations(cat).flatMap((r) => {
        const row = tablesConfigRow(r, cat)
        return row === undefined ? [] : [row]
      }))
    case 'tables':
      return build(TABLES_COLUMNS, allRelations(cat).filter((r) => !(r.kind === 'mv' && r.sync)).map((r) => [
        'def', r.db, r.name, r.kind === 'table' ? 'BASE TABLE' : 'VIEW', r.kind === 'table' ? 'StarRocks' : r.kind === 'mv' ? 'MATERIALIZED_VIEW' : '',
        null, '', r.kind === 'view' ? null : r.rows.length, 0, 0, r.createTime, r.createTime, 'utf8_general_ci', '',
        r.kind === 'mv' ? (r.comment ?? '') : r.comment,
      ]))
    case 'task_runs':
      return build(TASK_RUN_COLUMNS, cat.taskRuns.map((run) => [
        run.queryId, run.taskName, run.createTime, run.finishTime, run.state, 'default_catalog', run.db, run.definition,
        null, String(run.errorCode), run.errorMessage, run.state === 'SUCCESS' ? '100%' : '0%', '',
        JSON.stringify({ FORCE: String(run.force), PARTITION_START: run.partitionStart, PARTITION_END: run.partitionEnd }),
      ]))
    case 'materialized_view_refresh_jobs':
      if (!cat.features.refreshJobs) return undefined
      return build(REFRESH_JOB_COLUMNS, cat.taskRuns.map((run) => refreshJobValues(run, cat)))
    case 'partitions_meta':
      return build(cat.features.partitionUpdateTime ? [...PARTITIONS_META_COLUMNS, ...PARTITION_TIME_COLUMNS] : PARTITIONS_META_COLUMNS,
        allRelations(cat).flatMap((r) => {
          const row = partitionsMetaValues(r, cat)
          return row === undefined ? [] : [row]
        }))
    case 'schemata':
      return build(SCHEMATA_COLUMNS, [['def', 'information_schema', 'utf8', 'utf8_general_ci', null],
        ...[...cat.databases.keys()].map((db) => ['def', db, 'utf8', 'utf8_general_ci', null])])
    case 'columns':
      return build(COLUMNS_COLUMNS, allRelations(cat).filter((r) => !(r.kind === 'mv' && r.sync)).flatMap((r) =>
        (r.kind === 'table' ? relationColumns(r) : r.columns).map((c, i) => columnValues(r, c, i))))
    case 'views':
      return build(VIEWS_COLUMNS, allRelations(cat).flatMap((r) =>
        r.kind === 'view' ? [['def', r.db, r.name, r.definition, 'NONE', 'NO', "'root'@'%'", r.security ?? 'NONE', 'utf8', 'utf8_general_ci']] : []))
    default:
      return undefined
  }
}

/** `DISTRIBUTED BY` of a relation for SHOW output, or '' */
export const distributionOf = (r: Relation): string =>
  r.kind === 'view' ? '' : r.kind === 'mv' ? distributionText(r.distribution).trim() : r.distribution === undefined ? '' : distributionText(r.distribution).trim()
