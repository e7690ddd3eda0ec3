import { describe, expect, test } from 'vitest'
import { reflect } from '../../src/reflect/reflect.js'
import { MvDefinition, QualifiedName, TableDefinition, ViewDefinition } from '../../src/model/index.js'
import { StarRocksMvError } from '../../src/errors.js'
import { FakeClient, mvRow } from './fake-client.js'

const showCreate = (name: string, source = 'orders') =>
  `CREATE MATERIALIZED VIEW \`${name}\` (\`dt\`, \`total\`)
PARTITION BY (\`dt\`)
DISTRIBUTED BY HASH(\`dt\`) BUCKETS 4 
REFRESH ASYNC START("2024-01-01 00:00:00") EVERY(INTERVAL 1 DAY)
PROPERTIES (
"replicated_storage" = "true",
"replication_num" = "3",
"storage_medium" = "HDD"
)
AS SELECT \`${source}\`.\`dt\`, sum(\`${source}\`.\`amount\`) AS \`total\`
FROM \`shop\`.\`${source}\`
GROUP BY \`${source}\`.\`dt\`;`

const manyMvs = (n: number) =>
  Array.from({ length: n }, (_, i) => mvRow('shop', `mv_${String(i).padStart(4, '0')}`, showCreate(`mv_${String(i).padStart(4, '0')}`)))

describe('reflect() with a fake client', () => {
  test('reads MVs, their status and the server version', async () => {
    const client = new FakeClient({
      materialized_views: [
        mvRow('shop', 'daily', showCreate('daily')),
        mvRow('shop', 'broken', "CREATE MATERIALIZED VIEW `broken` REFRESH MANUAL AS SELECT k FROM t", {
          IS_ACTIVE: 'false', INACTIVE_REASON: 'base table t dropped', LAST_REFRESH_STATE: 'FAILED',
          LAST_REFRESH_ERROR_MESSAGE: 'Table t not found', TABLE_ROWS: '0', REFRESH_TYPE: 'MANUAL',
        }),
        mvRow('other', 'elsewhere', showCreate('elsewhere')),
      ],
    }, { database: 'shop', version: '3.5.17' })
    const state = await reflect(client)
    expect(state.serverVersion).toBe('3.5.17')
    expect(state.mvs.map((m) => QualifiedName.key(m))).toEqual(['shop.broken', 'shop.daily'])
    expect(state.mvs[1]).toEqual(
      MvDefinition.create({
        name: 'daily',
        schema: 'shop',
        columns: [{ name: 'dt' }, { name: 'total' }],
        partitionBy: ['`dt`'],
        distribution: { kind: 'hash', columns: ['dt'], buckets: 4 },
        refresh: { kind: 'async', deferred: false, start: '2024-01-01 00:00:00', every: { value: 1, unit: 'DAY' } },
        properties: { replicated_storage: 'true', replication_num: '3', storage_medium: 'HDD' },
        query: 'SELECT `orders`.`dt`, sum(`orders`.`amount`) AS `total`\nFROM `shop`.`orders`\nGROUP BY `orders`.`dt`',
        dependencies: [{ schema: 'shop', name: 'orders' }],
      }),
    )
    // an unqualified table is placed in the MV's database
    expect(state.mvs[0]?.dependencies).toEqual([{ schema: 'shop', name: 't' }])
    expect(state.status).toEqual({
      'shop.daily': { active: true, lastRefreshState: 'SUCCESS', rows: 42, taskName: 'mv-daily' },
      'shop.broken': {
        active: false, inactiveReason: 'base table t dropped', lastRefreshState: 'FAILED', lastRefreshError: 'Table t not found',
        rows: 0, taskName: 'mv-broken',
      },
    })
  })

  test('a constant number of queries: 3 MVs and 1,000 MVs cost the same', async () => {
    const small = new FakeClient({ materialized_views: manyMvs(3) }, { database: 'shop' })
    const large = new FakeClient({ materialized_views: manyMvs(1000) }, { database: 'shop' })
    const a = await reflect(small)
    const b = await reflect(large)
    expect(a.mvs).toHaveLength(3)
    expect(b.mvs).toHaveLength(1000)
    expect(small.roundTrips).toBe(3) // version, database, materialized_views (MVs only by default)
    expect(large.roundTrips).toBe(small.roundTrips)
    // with schemas given, no DATABASE() round trip
    const withSchemas = new FakeClient({ materialized_views: manyMvs(1000) })
    await reflect(withSchemas, { schemas: ['shop'] })
    expect(withSchemas.roundTrips).toBe(2)
    // tables and views asked for: tables and tables_config as well (no table: no columns, no views)
    const all = new FakeClient({ materialized_views: manyMvs(1000) })
    await reflect(all, { schemas: ['shop'], objects: ['mvs', 'tables', 'views'] })
    expect(all.roundTrips).toBe(4)
  })

  test('schema names go into the IN list as escaped literals', async () => {
    const weird = "it's \\ odd"
    const client = new FakeClient({ materialized_views: [mvRow(weird, 'm', showCreate('m')), mvRow('shop', 'n', showCreate('n'))] })
    const state = await reflect(client, { schemas: [weird, 'shop', weird] })
    expect(state.mvs.map((m) => [m.schema, m.name])).toEqual([['it\'s \\ odd', 'm'], ['shop', 'n']])
    expect(client.statements).toEqual([
      "SELECT * FROM information_schema.materialized_views WHERE TABLE_SCHEMA IN ('it\\'s \\\\ odd', 'shop')",
    ])
  })

  test('no database and no schemas: a clear error; no schemas at all: an empty state', async () => {
    const client = new FakeClient({ materialized_views: [] })
    await expect(reflect(client)).rejects.toThrow(/reflect\(\) needs a database: .* pass \{ schemas: \[\.\.\.\] \}/)
    const empty = await reflect(client, { schemas: [] })
    expect(empty.mvs).toEqual([])
  })

  test('tolerates rows from older servers: lower-case keys, missing status columns, sync MVs', async () => {
    const client = new FakeClient({
      materialized_views: [
        { table_schema: 'shop', table_name: 's', materialized_view_definition: 'CREATE MATERIALIZED VIEW s AS SELECT k, sum(v) FROM t GROUP BY k', TABLE_SCHEMA: 'shop' },
      ],
    })
    const state = await reflect(client, { schemas: ['shop'] })
    expect(state.mvs[0]).toMatchObject({ name: 's', schema: 'shop', sync: true, query: 'SELECT k, sum(v) FROM t GROUP BY k' })
    expect(state.status?.['shop.s']).toEqual({ active: true })
    expect(client.roundTrips).toBe(2)
  })

  test('when the definition is only the query, tables_config and tables fill in the rest (two more queries, still constant)', async () => {
    const rows = (n: number) => ({
      materialized_views: Array.from({ length: n }, (_, i) => mvRow('shop', `q${i}`, 'SELECT dt, count(*) AS c FROM orders GROUP BY dt', { REFRESH_TYPE: 'MANUAL' })),
      tables_config: Array.from({ length: n }, (_, i) => ({
        TABLE_SCHEMA: 'shop', TABLE_NAME: `q${i}`, DISTRIBUTE_TYPE: 'HASH', DISTRIBUTE_KEY: '`dt`', DISTRIBUTE_BUCKET: '8',
        PARTITION_KEY: "date_trunc('day', `dt`)", SORT_KEY: '`dt`', PROPERTIES: '{"replication_num":"1","storage_medium":"HDD"}',
      })),
      tables: Array.from({ length: n }, (_, i) => ({ TABLE_SCHEMA: 'shop', TABLE_NAME: `q${i}`, TABLE_COMMENT: i === 0 ? 'daily counts' : 'MATERIALIZED_VIEW' })),
    })
    const small = new FakeClient(rows(2))
    const large = new FakeClient(rows(500))
    const state = await reflect(small, { schemas: ['shop'] })
    await reflect(large, { schemas: ['shop'] })
    expect(small.roundTrips).toBe(4)
    expect(large.roundTrips).toBe(4)
    expect(state.mvs[0]).toEqual(
      MvDefinition.create({
        name: 'q0', schema: 'shop', comment: 'daily counts', partitionBy: ["date_trunc('day', `dt`)"],
        distribution: { kind: 'hash', columns: ['dt'], buckets: 8 }, orderBy: ['dt'], refresh: { kind: 'manual', deferred: false },
        properties: { replication_num: '1', storage_medium: 'HDD' }, query: 'SELECT dt, count(*) AS c FROM orders GROUP BY dt',
        dependencies: [{ schema: 'shop', name: 'orders' }],
      }),
    )
    expect(state.mvs[1]?.comment).toBeUndefined()
  })

  test('a definition that does not parse fails with the MV named, never silently skipped', async () => {
    const client = new FakeClient({ materialized_views: [mvRow('shop', 'bad', 'CREATE MATERIALIZED VIEW `bad` REFRESH SOMETIMES AS SELECT 1')] })
    const err = await reflect(client, { schemas: ['shop'] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StarRocksMvError)
    expect((err as StarRocksMvError).code).toBe('PARSE_ERROR')
    expect((err as Error).message).toContain('Cannot read materialized view shop.bad from starrocks://fake:***@fake:9030/shop: Cannot parse CREATE MATERIALIZED VIEW at line 1, column 40: expected a refresh scheme')
  })
})

const ALL = ['mvs', 'tables', 'views'] as const

describe('reflect() reads tables and views from information_schema rows as StarRocks prints them', () => {
  const tableRow = (name: string, type = 'BASE TABLE', comment = ''): Record<string, unknown> =>
    ({ TABLE_CATALOG: 'def', TABLE_SCHEMA: 'shop', TABLE_NAME: name, TABLE_TYPE: type, ENGINE: type === 'VIEW' ? '' : 'StarRocks', TABLE_COMMENT: comment })
  const config = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    TABLE_SCHEMA: 'shop', TABLE_NAME: name, TABLE_ENGINE: 'OLAP', TABLE_MODEL: 'DUP_KEYS', PRIMARY_KEY: '', PARTITION_KEY: '',
    DISTRIBUTE_KEY: '`id`', DISTRIBUTE_TYPE: 'HASH', DISTRIBUTE_BUCKET: '8', SORT_KEY: '`id`', PROPERTIES: '{"replication_num":"3","compression":"LZ4"}', TABLE_ID: '1', ...extra,
  })
  const column = (table: string, name: string, position: number, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    TABLE_SCHEMA: 'shop', TABLE_NAME: table, COLUMN_NAME: name, ORDINAL_POSITION: position, COLUMN_DEFAULT: null, IS_NULLABLE: 'YES',
    DATA_TYPE: type.replace(/\(.*$/, ''), COLUMN_TYPE: type, COLUMN_KEY: '', COLUMN_COMMENT: '', ...extra,
  })
  const rows = (n: number) => ({
    materialized_views: [mvRow('shop', 'daily', showCreate('daily'))],
    tables: [
      ...Array.from({ length: n }, (_, i) => tableRow(`t${i}`, 'BASE TABLE', i === 0 ? 'the first' : '')),
      tableRow('daily', 'VIEW'), tableRow('v', 'VIEW', 'a view'), tableRow('ext', 'BASE TABLE'), tableRow('agg'),
    ],
    tables_config: [
      ...Array.from({ length: n }, (_, i) => config(`t${i}`)),
      config('daily', { TABLE_ENGINE: 'MATERIALIZED_VIEW' }), config('ext', { TABLE_ENGINE: 'MYSQL', TABLE_MODEL: '' }), config('agg', { TABLE_MODEL: 'AGG_KEYS' }),
    ],
    columns: [
      ...Array.from({ length: n }, (_, i) => [
        column(`t${i}`, 'amount', 3, 'decimal(10,2)', { COLUMN_DEFAULT: '0', COLUMN_COMMENT: 'money' }),
        column(`t${i}`, 'id', 1, 'bigint(20)', { IS_NULLABLE: 'NO', COLUMN_KEY: 'DUP' }),
        column(`t${i}`, 'uid', 2, 'varchar(36)', { COLUMN_DEFAULT: 'uuid()' }),
        column(`t${i}`, 'at', 4, 'datetime', { COLUMN_DEFAULT: 'CURRENT_TIMESTAMP' }),
        column(`t${i}`, 'ok', 5, 'tinyint(1)', { DATA_TYPE: 'tinyint' }),
        column(`t${i}`, 'big', 6, 'bigint(20) unsigned', { DATA_TYPE: 'bigint unsigned' }),
        column(`t${i}`, 'm', 7, 'map<int(11),tinyint(4)>', { DATA_TYPE: 'map' }),
      ]).flat(),
      column('v', 'id', 1, 'bigint(20)', { COLUMN_COMMENT: 'the id' }),
    ],
    views: [{ TABLE_CATALOG: 'def', TABLE_SCHEMA: 'shop', TABLE_NAME: 'v', VIEW_DEFINITION: 'SELECT `id` FROM `shop`.`t0`', CHECK_OPTION: 'NONE', IS_UPDATABLE: 'NO' }],
  })
  const showCreateAgg = 'CREATE TABLE `agg` (\n  `k` int(11) NULL COMMENT "",\n  `n` bigint(20) SUM NULL COMMENT ""\n) ENGINE=OLAP \nAGGREGATE KEY(`k`)\nDISTRIBUTED BY HASH(`k`) BUCKETS 2 \nPROPERTIES ("replication_num" = "3");'

  test('types, keys, defaults, comments, distribution and properties; MVs and external tables are not tables', async () => {
    const client = new FakeClient(rows(2), { showCreate: { 'shop.agg': showCreateAgg } })
    const state = await reflect(client, { schemas: ['shop'], objects: ALL })
    expect((state.tables ?? []).map((t) => t.name)).toEqual(['agg', 't0', 't1'])
    expect(state.tables?.find((t) => t.name === 't0')).toEqual(TableDefinition.create({
      name: 't0', schema: 'shop', comment: 'the first',
      columns: [
        { name: 'id', type: 'BIGINT', nullable: false },
        { name: 'uid', type: 'VARCHAR(36)', nullable: true, default: { kind: 'expression', sql: 'uuid()' } },
        { name: 'amount', type: 'DECIMAL(10, 2)', nullable: true, default: { kind: 'value', value: '0' }, comment: 'money' },
        { name: 'at', type: 'DATETIME', nullable: true, default: { kind: 'current_timestamp' } },
        { name: 'ok', type: 'BOOLEAN', nullable: true },
        { name: 'big', type: 'LARGEINT', nullable: true },
        { name: 'm', type: 'MAP<INT, TINYINT>', nullable: true },
      ],
      key: { model: 'DUPLICATE', columns: ['id'] },
      distribution: { kind: 'hash', columns: ['id'], buckets: 8 },
      properties: { replication_num: '3', compression: 'LZ4' },
    }))
    expect(state.tables?.find((t) => t.name === 'agg')?.columns.map((c) => c.aggregate ?? null)).toEqual([null, 'SUM'])
    expect(state.views).toEqual([ViewDefinition.create({
      name: 'v', schema: 'shop', comment: 'a view', columns: [{ name: 'id', comment: 'the id' }],
      query: 'SELECT `id` FROM `shop`.`t0`', dependencies: [{ schema: 'shop', name: 't0' }],
    })])
    expect(state.mvs.map((m) => m.name)).toEqual(['daily'])
  })

  test('a constant number of queries: 2 tables and 300 tables cost the same, SHOW CREATE only for the aggregate one', async () => {
    const small = new FakeClient(rows(2), { showCreate: { 'shop.agg': showCreateAgg } })
    const large = new FakeClient(rows(300), { showCreate: { 'shop.agg': showCreateAgg } })
    await reflect(small, { schemas: ['shop'], objects: ALL })
    const state = await reflect(large, { schemas: ['shop'], objects: ALL })
    expect(state.tables).toHaveLength(301)
    // version, materialized_views, tables, tables_config, views, columns, SHOW CREATE TABLE agg
    expect(small.roundTrips).toBe(7)
    expect(large.roundTrips).toBe(small.roundTrips)
    expect(large.statements.filter((s) => s.startsWith('SHOW'))).toEqual(['SHOW CREATE TABLE `shop`.`agg`'])
  })
})
