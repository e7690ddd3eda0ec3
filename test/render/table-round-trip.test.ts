import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { tableChanges } from '../../src/diff/canonical-table.js'
import { TableDefinition } from '../../src/model/index.js'
import { parseCreateTable } from '../../src/reflect/index.js'
import { renderCreateTable, renderDropTable } from '../../src/render/index.js'
import { table, toTableDefinition } from '../../src/schema/index.js'
import { sql } from '../../src/sql/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const DB = 'srmv_table_rt'

/** One managed table per clause family; together they use every clause the renderer can print. */
const TABLES = [
  table('pk_orders', {
    id: { type: 'BIGINT', notNull: true, autoIncrement: true, comment: 'the id' },
    order_date: { type: 'DATE', notNull: true },
    user_id: 'BIGINT',
    amount: { type: 'DECIMAL(10, 2)', default: '0', comment: "it's money" },
    note: { type: 'STRING', default: 'n/a' },
    tags: 'ARRAY<VARCHAR(20)>',
    attrs: 'MAP<VARCHAR(10), BIGINT>',
    point: 'STRUCT<x INT, y DOUBLE>',
    doc: 'JSON',
    created: { type: 'DATETIME', default: { currentTimestamp: true } },
  }, {
    schema: DB, primaryKey: ['id', 'order_date'], comment: 'Orders', partitionBy: { dateTrunc: 'month', column: 'order_date' },
    distributedBy: { hash: 'id', buckets: 8 }, orderBy: ['user_id'], properties: { replication_num: 1, enable_persistent_index: true },
    indexes: [{ name: 'idx_user', columns: 'user_id', comment: 'by user' }],
  }),
  table('agg_sales', {
    dt: { type: 'DATE', notNull: true },
    region: 'VARCHAR(32)',
    total: { type: 'DECIMAL(18, 2)', aggregate: 'SUM', default: '0' },
    last_seen: { type: 'DATETIME', aggregate: 'REPLACE' },
    top: { type: 'INT', aggregate: 'MAX' },
    low: { type: 'INT', aggregate: 'MIN' },
    kept: { type: 'INT', aggregate: 'REPLACE_IF_NOT_NULL' },
  }, {
    schema: DB, aggregateKey: ['dt', 'region'],
    partitionBy: { range: ['dt'], partitions: [{ name: 'p2023', lessThan: '2024-01-01' }, { name: 'p2024', lower: '2024-01-01', upper: '2025-01-01' }] },
    distributedBy: { hash: ['dt', 'region'] },
  }),
  table('uniq_users', {
    city: { type: 'VARCHAR(64)', notNull: true },
    user_id: { type: 'BIGINT', notNull: true },
    name: 'VARCHAR(100)',
  }, {
    schema: DB, uniqueKey: ['city', 'user_id'],
    partitionBy: { list: ['city'], partitions: [{ name: 'p_west', values: ['Los Angeles', 'San Francisco'] }, { name: 'p_east', values: ['New York'] }] },
    distributedBy: { hash: 'user_id', buckets: 4 }, comment: 'Users by city',
  }),
  table('dup_events', {
    ts: { type: 'DATETIME', notNull: true },
    kind: 'VARCHAR(16)',
    body: 'STRING',
    n: 'INT',
  }, {
    schema: DB, duplicateKey: ['ts'],
    partitionBy: { timeSlice: '1 hour', column: 'ts' },
    distributedBy: { random: true, buckets: 3 },
    indexes: [
      { name: 'idx_body', columns: 'body', using: 'NGRAMBF', properties: { gram_num: 4, bloom_filter_fpp: '0.05' } },
      { name: 'idx_kind', columns: ['kind'], using: 'BITMAP' },
    ],
    properties: { bloom_filter_columns: 'kind', compression: 'ZSTD' },
  }),
  table('multi_list', {
    region: { type: 'VARCHAR(8)', notNull: true },
    dt: { type: 'DATE', notNull: true },
    v: 'INT',
  }, {
    schema: DB, duplicateKey: ['region', 'dt'],
    partitionBy: { list: ['region', 'dt'], partitions: [{ name: 'p1', values: [['eu', '2024-01-01'], ['us', '2024-01-01']] }] },
  }),
  table('expr_columns', {
    region: { type: 'VARCHAR(8)', notNull: true },
    dt: { type: 'DATE', notNull: true },
    v: 'BIGINT',
  }, { schema: DB, partitionBy: { columns: ['region', 'dt'] }, unknownProperties: { 'partition_live_number': 7 } }),
  table('plain_default', { a: 'INT', b: 'VARCHAR(10)', c: 'DOUBLE' }, { schema: DB, managed: true }),
  table('range_datetime', {
    ts: { type: 'DATETIME', notNull: true },
    v: { type: 'BIGINT', default: sql`0` },
  }, {
    schema: DB,
    partitionBy: { range: ['ts'], partitions: [{ name: 'p1', lessThan: '2024-01-01' }, { name: 'p2', lessThan: ['2024-02-01'] }] },
    distributedBy: { hash: 'ts' },
  }),
]

describe.each(['3.2', '3.5'] as const)('managed tables: render → emulator → SHOW CREATE TABLE → parse → equal (%s)', (version) => {
  let sr: Emulator
  let client: Client
  beforeAll(async () => {
    sr = await startEmulator({ version, defaultReplicationNum: 1 })
    client = await connect(sr.url)
    await client.query(`CREATE DATABASE ${DB}`)
  })
  afterAll(async () => {
    await client.close()
    await sr.close()
  })

  const showCreate = async (name: string): Promise<string> => {
    const r = await client.query(`SHOW CREATE TABLE ${DB}.${name}`)
    return String((r.rows[0] as Record<string, unknown>)['Create Table'])
  }

  it.each(TABLES.map((t) => [toTableDefinition(t).name, t] as const))('%s reads back equal', async (_name, t) => {
    const def = toTableDefinition(t)
    await client.query(renderCreateTable(def, { version }))
    const printed = await showCreate(def.name)
    const parsed = parseCreateTable(printed)
    expect(parsed.name).toBe(def.name)
    expect(tableChanges(def, parsed, { live: true })).toEqual([])
    // The parsed definition renders to a statement the server accepts and prints the same way.
    await client.query(`DROP TABLE ${DB}.${def.name}`)
    await client.query(renderCreateTable(TableDefinition.with(parsed, { schema: DB }), { version }))
    expect(await showCreate(def.name)).toBe(printed)
    await client.query(renderDropTable({ schema: DB, name: def.name }))
  })

  it('a changed column, key, partition or property is reported, not hidden by the canonical form', async () => {
    const def = toTableDefinition(TABLES[0] as (typeof TABLES)[0])
    await client.query(renderCreateTable(def, { version }))
    const parsed = parseCreateTable(await showCreate(def.name))
    const retyped = TableDefinition.with(def, { columns: def.columns.map((c) => (c.name === 'user_id' ? { ...c, type: 'INT' } : c)) })
    expect(tableChanges(retyped, parsed, { live: true }).map((c) => c.attribute)).toEqual(['columns'])
    const rekeyed = TableDefinition.with(def, { key: { model: 'UNIQUE', columns: ['id', 'order_date'] } })
    expect(tableChanges(rekeyed, parsed, { live: true }).map((c) => c.attribute)).toEqual(['key'])
    const repart = TableDefinition.with(def, { partitionBy: { kind: 'expression', expressions: ["date_trunc('day', `order_date`)"] } })
    expect(tableChanges(repart, parsed, { live: true }).map((c) => c.attribute)).toEqual(['partitionBy'])
    const reprop = TableDefinition.with(def, { properties: { ...def.properties, replication_num: '3' } })
    expect(tableChanges(reprop, parsed, { live: true }).map((c) => c.attribute)).toEqual(['properties'])
    await client.query(renderDropTable({ schema: DB, name: def.name }, { ifExists: true, force: true }))
  })
})

describe('the emulator refuses what StarRocks refuses', () => {
  let sr: Emulator
  let client: Client
  beforeAll(async () => {
    sr = await startEmulator({ version: '3.5' })
    client = await connect(sr.url)
    await client.query(`CREATE DATABASE ${DB}`)
  })
  afterAll(async () => {
    await client.close()
    await sr.close()
  })

  it.each([
    ['key columns that are not the leading columns', `CREATE TABLE ${DB}.t1 (a INT, b INT) DUPLICATE KEY(b)`, 'Key columns should be a ordered prefix of the schema'],
    ['an unknown key column', `CREATE TABLE ${DB}.t2 (a INT, b INT) PRIMARY KEY(z)`, "Key column(z) doesn't exist"],
    ['a nullable primary key column', `CREATE TABLE ${DB}.t3 (a INT, b INT) PRIMARY KEY(a) DISTRIBUTED BY HASH(a)`, 'cannot be nullable'],
    ['RANDOM distribution on a primary key table', `CREATE TABLE ${DB}.t4 (a INT NOT NULL, b INT) PRIMARY KEY(a) DISTRIBUTED BY RANDOM`, 'Random distribution'],
    ['an aggregate type on a key column', `CREATE TABLE ${DB}.t5 (a INT SUM, b INT SUM) AGGREGATE KEY(a)`, 'should not specify aggregate type'],
    ['a value column without an aggregate type', `CREATE TABLE ${DB}.t6 (a INT, b INT) AGGREGATE KEY(a)`, 'aggregate type'],
    ['a partition column that does not exist', `CREATE TABLE ${DB}.t7 (a INT, dt DATE) PARTITION BY date_trunc('day', nope)`, 'Invalid partition column'],
  ])('%s', async (_what, statement, message) => {
    await expect(client.query(statement)).rejects.toThrow(message)
  })

  it('the renderer refuses the same definitions before anything is sent', () => {
    expect(() => table('t', { a: 'INT', b: 'INT' }, { duplicateKey: ['b'] })).toThrow(/must be the first columns/)
    expect(() => table('t', { a: 'INT', b: 'INT' }, { primaryKey: ['a'] })).toThrow(/must be NOT NULL/)
    expect(() => table('t', { a: { type: 'INT', notNull: true }, b: 'INT' }, { primaryKey: ['a'], distributedBy: { random: true } })).toThrow(/RANDOM only works with DUPLICATE KEY/)
    expect(() => table('t', { a: 'INT', b: 'INT' }, { aggregateKey: ['a'] })).toThrow(/needs an aggregate type/)
  })
})
