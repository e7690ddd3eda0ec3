import type { PropertyValueType } from './property-catalog.js'

/** One entry of the table property catalog. */
export interface TablePropertySpec {
  readonly name: string
  readonly type: PropertyValueType
  /** For `enum`: the accepted values (rendered as is). */
  readonly values?: readonly string[]
  /** Whether `ALTER TABLE ... SET` can change it; otherwise a change needs a rebuild. */
  readonly alterable: boolean
  /** The value a server prints when the table did not set it (when it does print one). */
  readonly default?: string
  /** A short description. */
  readonly description: string
}

const spec = <const S extends TablePropertySpec>(s: S): S => Object.freeze(s)

/**
 * The base-table properties this library knows (StarRocks CREATE TABLE and ALTER TABLE docs), with
 * their value types and whether ALTER TABLE ... SET changes them. Keys outside the catalog go through
 * the escape hatch (`properties: {...}, unknownProperties: {...}`) and count as create-only.
 */
export const TABLE_PROPERTY_CATALOG = Object.freeze({
  replication_num: spec({ name: 'replication_num', type: 'number', alterable: true, description: 'Replicas of each tablet.' }),
  storage_medium: spec({ name: 'storage_medium', type: 'enum', values: ['HDD', 'SSD'], alterable: false, description: 'Initial storage medium.' }),
  storage_cooldown_time: spec({ name: 'storage_cooldown_time', type: 'string', alterable: false, description: 'When SSD data moves to HDD (yyyy-MM-dd HH:mm:ss).' }),
  storage_cooldown_ttl: spec({ name: 'storage_cooldown_ttl', type: 'string', alterable: false, description: 'How long partitions stay on SSD.' }),
  storage_volume: spec({ name: 'storage_volume', type: 'string', alterable: false, description: 'Storage volume of a shared-data table.' }),
  bloom_filter_columns: spec({ name: 'bloom_filter_columns', type: 'string', alterable: true, description: 'Columns with Bloom filter indexes (comma-separated).' }),
  colocate_with: spec({ name: 'colocate_with', type: 'string', alterable: true, description: 'Colocation group.' }),
  enable_persistent_index: spec({ name: 'enable_persistent_index', type: 'boolean', alterable: true, description: 'Persistent primary-key index.' }),
  persistent_index_type: spec({ name: 'persistent_index_type', type: 'enum', values: ['LOCAL', 'CLOUD_NATIVE'], alterable: true, description: 'Where the persistent index lives.' }),
  compression: spec({ name: 'compression', type: 'enum', values: ['LZ4', 'LZ4_FRAME', 'ZSTD', 'ZLIB', 'SNAPPY', 'NO_COMPRESSION'], alterable: false, default: 'LZ4', description: 'Compression of the data files.' }),
  fast_schema_evolution: spec({ name: 'fast_schema_evolution', type: 'boolean', alterable: false, default: 'true', description: 'Instant ADD/DROP COLUMN.' }),
  replicated_storage: spec({ name: 'replicated_storage', type: 'boolean', alterable: false, default: 'true', description: 'Single-leader replication.' }),
  in_memory: spec({ name: 'in_memory', type: 'boolean', alterable: true, default: 'false', description: 'Deprecated: keep in memory.' }),
  write_quorum: spec({ name: 'write_quorum', type: 'enum', values: ['MAJORITY', 'ONE', 'ALL'], alterable: true, description: 'Replicas that must acknowledge a load.' }),
  partition_live_number: spec({ name: 'partition_live_number', type: 'number', alterable: true, description: 'How many of the newest partitions to keep.' }),
  partition_ttl: spec({ name: 'partition_ttl', type: 'string', alterable: true, description: 'How long partitions are kept (e.g. "3 MONTH").' }),
  partition_retention_condition: spec({ name: 'partition_retention_condition', type: 'string', alterable: true, description: 'Which partitions are kept (an expression).' }),
  unique_constraints: spec({ name: 'unique_constraints', type: 'string', alterable: true, description: 'Unique keys declared for query rewrite.' }),
  foreign_key_constraints: spec({ name: 'foreign_key_constraints', type: 'string', alterable: true, description: 'Foreign keys declared for query rewrite.' }),
  bucket_size: spec({ name: 'bucket_size', type: 'number', alterable: true, description: 'Bucket size of a RANDOM-distributed table (bytes).' }),
  primary_index_cache_expire_sec: spec({ name: 'primary_index_cache_expire_sec', type: 'number', alterable: true, description: 'Expiry of the primary-key index cache.' }),
  base_compaction_forbidden_time_ranges: spec({ name: 'base_compaction_forbidden_time_ranges', type: 'string', alterable: true, description: 'When base compaction may not run (cron-like).' }),
  'datacache.enable': spec({ name: 'datacache.enable', type: 'boolean', alterable: false, description: 'Local data cache of a shared-data table.' }),
  'datacache.partition_duration': spec({ name: 'datacache.partition_duration', type: 'string', alterable: true, description: 'How long partitions stay cached.' }),
  'enable_async_write_back': spec({ name: 'enable_async_write_back', type: 'boolean', alterable: false, description: 'Asynchronous write-back of a shared-data table.' }),
  'labels.location': spec({ name: 'labels.location', type: 'string', alterable: true, description: 'BE locations of replicas.' }),
})

/** The names in {@link TABLE_PROPERTY_CATALOG}. */
export type KnownTablePropertyName = keyof typeof TABLE_PROPERTY_CATALOG

/** The catalog entry of `key`; `dynamic_partition.*` keys are alterable strings. */
export const tablePropertySpec = (key: string): TablePropertySpec | undefined => {
  const found = (TABLE_PROPERTY_CATALOG as Readonly<Record<string, TablePropertySpec>>)[key]
  if (found !== undefined) return found
  if (key.startsWith('dynamic_partition.')) return { name: key, type: 'string', alterable: true, description: 'Dynamic partitioning setting.' }
  return undefined
}

/** True when ALTER TABLE ... SET can change `key`. */
export const isAlterableTableProperty = (key: string): boolean => tablePropertySpec(key)?.alterable ?? false
