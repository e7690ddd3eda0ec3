import { atLeast, type MvDefinition, type Version } from '../model/index.js'

/** How a property's value is typed in the builder and checked at run time. */
export type PropertyValueType = 'number' | 'boolean' | 'string' | 'enum'

/** One entry of the property catalog. */
export interface PropertySpec {
  readonly name: string
  readonly type: PropertyValueType
  /** For `enum`: the accepted values (rendered as is). */
  readonly values?: readonly string[]
  /** Whether `ALTER MATERIALIZED VIEW ... SET` can change it; otherwise a change needs a rebuild. */
  readonly alterable: boolean
  /** The first StarRocks version that has it (when known). */
  readonly since?: string
  /** The server's default as a string (a function of the version where it changed), when known. */
  readonly default?: string | ((version: Version | string) => string)
  /** A short description. */
  readonly description: string
}

const spec = <const S extends PropertySpec>(s: S): S => Object.freeze(s)

/**
 * Every materialized-view property this library knows, with its value type, default, alterability
 * and first version. Keys absent here are treated as create-only unless an MV declares them
 * alterable through the escape hatch (`.properties({}, { unknown: {...}, alterable: [...] })`).
 */
export const PROPERTY_CATALOG = Object.freeze({
  // -- alterable with ALTER ... SET
  partition_ttl_number: spec({ name: 'partition_ttl_number', type: 'number', alterable: true, since: '2.5', default: '-1', description: 'How many of the newest partitions to keep; -1 keeps all.' }),
  partition_refresh_number: spec({ name: 'partition_refresh_number', type: 'number', alterable: true, since: '2.5', default: (v) => (atLeast(v, '3.3') ? '1' : '-1'), description: 'Partitions refreshed per refresh batch.' }),
  partition_refresh_strategy: spec({ name: 'partition_refresh_strategy', type: 'enum', values: ['strict', 'adaptive'], alterable: true, since: '3.5', default: 'strict', description: 'How partitions are grouped into refresh batches.' }),
  resource_group: spec({ name: 'resource_group', type: 'string', alterable: true, since: '2.5', default: 'default_mv_wg', description: 'Resource group of refresh tasks.' }),
  auto_refresh_partitions_limit: spec({ name: 'auto_refresh_partitions_limit', type: 'number', alterable: true, since: '2.5', default: '-1', description: 'Most recent partitions refreshed by an automatic refresh; -1 means all.' }),
  excluded_trigger_tables: spec({ name: 'excluded_trigger_tables', type: 'string', alterable: true, since: '2.5', default: '', description: 'Base tables whose loads do not trigger a refresh (comma-separated).' }),
  excluded_refresh_tables: spec({ name: 'excluded_refresh_tables', type: 'string', alterable: true, since: '3.3', default: '', description: 'Base tables whose changes are not refreshed into the MV (comma-separated).' }),
  mv_rewrite_staleness_second: spec({ name: 'mv_rewrite_staleness_second', type: 'number', alterable: true, since: '3.1', description: 'Seconds of staleness tolerated for query rewrite.' }),
  unique_constraints: spec({ name: 'unique_constraints', type: 'string', alterable: true, since: '2.5', default: '', description: 'Unique keys declared for query rewrite.' }),
  foreign_key_constraints: spec({ name: 'foreign_key_constraints', type: 'string', alterable: true, since: '2.5', default: '', description: 'Foreign keys declared for query rewrite.' }),
  colocate_with: spec({ name: 'colocate_with', type: 'string', alterable: true, since: '3.0', description: 'Colocation group.' }),
  bloom_filter_columns: spec({ name: 'bloom_filter_columns', type: 'string', alterable: true, since: '3.0', default: '', description: 'Columns with bloom filter indexes (comma-separated).' }),
  task_priority: spec({ name: 'task_priority', type: 'number', alterable: true, since: '3.1', default: '0', description: 'Priority of refresh tasks.' }),
  task_retry_attempts: spec({ name: 'task_retry_attempts', type: 'number', alterable: true, since: '3.1', default: '0', description: 'Retries of a failed refresh task.' }),
  event_trigger_delay_period: spec({ name: 'event_trigger_delay_period', type: 'string', alterable: true, since: '3.3', description: "Delay before a load-triggered refresh, e.g. '1 minute'." }),
  // -- create-only: a change needs a rebuild
  replication_num: spec({ name: 'replication_num', type: 'number', alterable: false, since: '2.5', default: '3', description: 'Replicas per tablet (the cluster default, 3 unless changed; 1 on shared-data).' }),
  storage_medium: spec({ name: 'storage_medium', type: 'enum', values: ['HDD', 'SSD'], alterable: false, since: '2.5', default: 'HDD', description: 'Storage medium.' }),
  storage_cooldown_time: spec({ name: 'storage_cooldown_time', type: 'string', alterable: false, since: '2.5', description: "When SSD data cools down to HDD ('yyyy-MM-dd HH:mm:ss')." }),
  storage_volume: spec({ name: 'storage_volume', type: 'string', alterable: false, since: '3.1', default: 'builtin_storage_volume', description: 'Storage volume (shared-data; the server reports the default volume, builtin_storage_volume unless changed).' }),
  'datacache.enable': spec({ name: 'datacache.enable', type: 'boolean', alterable: false, since: '3.1', default: 'true', description: 'Whether the local data cache serves the MV (shared-data; the server reports it).' }),
  'datacache.partition_duration': spec({ name: 'datacache.partition_duration', type: 'string', alterable: false, since: '3.1', description: "How recent partitions must be to be cached, e.g. '7 DAY' (shared-data)." }),
  enable_async_write_back: spec({ name: 'enable_async_write_back', type: 'boolean', alterable: false, since: '3.1', default: 'false', description: 'Write data to object storage asynchronously (shared-data; the server reports it).' }),
  compression: spec({ name: 'compression', type: 'string', alterable: false, since: '3.0', default: 'LZ4', description: "Compression codec: LZ4 (the server's default, which shared-data clusters report), ZSTD, ZLIB, SNAPPY; ZSTD takes a level, e.g. 'zstd(3)'." }),
  partition_ttl: spec({ name: 'partition_ttl', type: 'string', alterable: false, since: '3.1.5', description: "Time-based partition TTL, e.g. '2 MONTH'." }),
  query_rewrite_consistency: spec({ name: 'query_rewrite_consistency', type: 'enum', values: ['disable', 'checked', 'loose', 'force_mv'], alterable: false, since: '3.0', description: 'Query rewrite consistency.' }),
  force_external_table_query_rewrite: spec({ name: 'force_external_table_query_rewrite', type: 'boolean', alterable: false, since: '2.5', description: 'Rewrite queries over external tables.' }),
  enable_query_rewrite: spec({ name: 'enable_query_rewrite', type: 'enum', values: ['default', 'true', 'false'], alterable: false, since: '3.3', description: 'Whether the MV takes part in query rewrite.' }),
  transparent_mv_rewrite_mode: spec({ name: 'transparent_mv_rewrite_mode', type: 'enum', values: ['false', 'true', 'transparent_or_error', 'transparent_or_default'], alterable: false, since: '3.3', default: 'false', description: 'How queries that read the MV directly are rewritten: false (its data as is), true, transparent_or_error, transparent_or_default.' }),
  partition_retention_condition: spec({ name: 'partition_retention_condition', type: 'string', alterable: false, since: '3.5', description: 'Predicate deciding which partitions to keep.' }),
  refresh_mode: spec({ name: 'refresh_mode', type: 'enum', values: ['PCT', 'AUTO', 'INCREMENTAL', 'FULL'], alterable: false, since: '4.1', description: 'Refresh mode.' }),
  warehouse: spec({ name: 'warehouse', type: 'string', alterable: false, since: '3.3', description: 'Warehouse of refresh tasks.' }),
  replicated_storage: spec({ name: 'replicated_storage', type: 'boolean', alterable: false, since: '2.5', default: 'true', description: 'Single-leader replication (added by the server).' }),
} satisfies Record<string, PropertySpec>)

/** Known property names. */
export type KnownPropertyName = keyof typeof PROPERTY_CATALOG

/** The catalog entry for `key`, if known. */
export const propertySpec = (key: string): PropertySpec | undefined =>
  Object.hasOwn(PROPERTY_CATALOG, key) ? PROPERTY_CATALOG[key as KnownPropertyName] : undefined

/** True for `session.<variable>` keys: always alterable, any scalar value. */
export const isSessionProperty = (key: string): boolean => /^session\.[A-Za-z0-9_.]+$/.test(key)

/**
 * Whether `ALTER MATERIALIZED VIEW ... SET` can change `key`: catalog-alterable keys, `session.*`
 * keys, and keys the MV itself declared alterable through the escape hatch.
 */
export const isAlterableProperty = (key: string, def?: Pick<MvDefinition, 'alterableProperties'>): boolean =>
  isSessionProperty(key) || propertySpec(key)?.alterable === true || (def?.alterableProperties?.includes(key) ?? false)

/** The server default of `key` for `version`, when the catalog knows it. */
export const propertyDefault = (key: string, version: Version | string): string | undefined => {
  const d = propertySpec(key)?.default
  return typeof d === 'function' ? d(version) : d
}
