import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { tableChanges } from '../../src/diff/canonical-table.js'
import { diff } from '../../src/diff/index.js'
import { QualifiedName, SchemaState, TableDefinition, ViewDefinition } from '../../src/model/index.js'
import { reflect } from '../../src/reflect/reflect.js'
import { renderCreateTable, renderCreateView } from '../../src/render/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const VERSIONS = ['3.1', '3.5', '4.1', '26.2'] as const
const DB = 'srmv_reflect_tables'
const MANY = 'srmv_reflect_many'
const props = { replication_num: '1' }

const tables: TableDefinition[] = [
  TableDefinition.create({
    name: 'events', schema: DB,
    columns: [
      { name: 'id', type: 'BIGINT', nullable: false, comment: 'event id' },
      { name: 'dt', type: 'DATE', nullable: false },
      { name: 'kind', type: 'VARCHAR(20)', nullable: true, default: { kind: 'value', value: 'click' } },
      { name: 'score', type: 'DECIMAL(10, 2)', nullable: true, default: { kind: 'value', value: '0' }, comment: 'a score' },
      { name: 'payload', type: 'VARCHAR(65533)', nullable: true },
    ],
    key: { model: 'DUPLICATE', columns: ['id', 'dt'] },
    comment: 'raw events',
    distribution: { kind: 'hash', columns: ['id'], buckets: 4 },
    orderBy: ['dt', 'id'],
    properties: props,
  }),
  TableDefinition.create({
    name: 'totals', schema: DB,
    columns: [
      { name: 'k', type: 'INT', nullable: false },
      { name: 'total', type: 'BIGINT', nullable: true, aggregate: 'SUM' },
      { name: 'last_seen', type: 'DATETIME', nullable: true, aggregate: 'REPLACE' },
      { name: 'peak', type: 'INT', nullable: true, aggregate: 'MAX', comment: 'highest' },
    ],
    key: { model: 'AGGREGATE', columns: ['k'] },
    distribution: { kind: 'hash', columns: ['k'], buckets: 2 },
    properties: props,
  }),
  TableDefinition.create({
    name: 'latest', schema: DB,
    columns: [
      { name: 'k', type: 'BIGINT', nullable: false },
      { name: 'v', type: 'VARCHAR(100)', nullable: true },
    ],
    key: { model: 'UNIQUE', columns: ['k'] },
    properties: props,
  }),
  TableDefinition.create({
    name: 'users', schema: DB,
    columns: [
      { name: 'id', type: 'BIGINT', nullable: false },
      { name: 'name', type: 'VARCHAR(100)', nullable: true, comment: 'display name' },
      { name: 'created_at', type: 'DATETIME', nullable: true, default: { kind: 'current_timestamp' } },
      { name: 'active', type: 'BOOLEAN', nullable: false, default: { kind: 'value', value: '1' } },
    ],
    key: { model: 'PRIMARY', columns: ['id'] },
    comment: 'registered users',
    distribution: { kind: 'hash', columns: ['id'], buckets: 3 },
    properties: props,
  }),
  TableDefinition.create({
    name: 'orders_by_day', schema: DB,
    columns: [
      { name: 'dt', type: 'DATE', nullable: false },
      { name: 'id', type: 'BIGINT', nullable: false },
      { name: 'amount', type: 'DECIMAL(12, 2)', nullable: true },
    ],
    key: { model: 'DUPLICATE', columns: ['dt', 'id'] },
    partitionBy: { kind: 'expression', expressions: ["date_trunc('day', `dt`)"] },
    distribution: { kind: 'hash', columns: ['id'] },
    properties: props,
  }),
  TableDefinition.create({
    name: 'orders_by_range', schema: DB,
    columns: [
      { name: 'dt', type: 'DATE', nullable: false },
      { name: 'id', type: 'BIGINT', nullable: false },
    ],
    key: { model: 'DUPLICATE', columns: ['dt'] },
    partitionBy: {
      kind: 'range', columns: ['dt'],
      partitions: [{ name: 'p2024', lessThan: ['2025-01-01'] }, { name: 'p2025', lessThan: ['2026-01-01'] }],
    },
    distribution: { kind: 'hash', columns: ['id'], buckets: 2 },
    properties: props,
  }),
  TableDefinition.create({
    name: 'by_region', schema: DB,
    columns: [
      { name: 'region', type: 'VARCHAR(10)', nullable: false },
      { name: 'n', type: 'INT', nullable: true },
    ],
    key: { model: 'DUPLICATE', columns: ['region'] },
    partitionBy: { kind: 'list', columns: ['region'], partitions: [{ name: 'p_eu', values: [['de'], ['fr']] }, { name: 'p_us', values: [['us']] }] },
    distribution: { kind: 'hash', columns: ['region'], buckets: 1 },
    properties: props,
  }),
  TableDefinition.create({
    name: 'plain', schema: DB,
    columns: [
      { name: 'a', type: 'INT', nullable: true },
      { name: 'b', type: 'VARCHAR(10)', nullable: true },
      { name: 'c', type: 'DOUBLE', nullable: true },
      { name: 'flag', type: 'BOOLEAN', nullable: true },
      { name: 'small', type: 'TINYINT', nullable: true },
      { name: 'big', type: 'LARGEINT', nullable: true },
      { name: 'flags', type: 'ARRAY<BOOLEAN>', nullable: true },
    ],
    properties: props,
  }),
]

const views: ViewDefinition[] = [
  ViewDefinition.create({
    name: 'active_users', schema: DB,
    columns: [{ name: 'id', comment: 'user id' }, { name: 'name' }],
    comment: 'users that are active',
    query: `SELECT id, name FROM ${DB}.users WHERE active = 1`,
  }),
  ViewDefinition.create({ name: 'event_kinds', schema: DB, query: `SELECT DISTINCT kind FROM ${DB}.events` }),
]

const manyTables = (n: number): TableDefinition[] =>
  Array.from({ length: n }, (_, i) => TableDefinition.create({
    name: `t${String(i).padStart(3, '0')}`, schema: MANY,
    columns: [{ name: 'id', type: 'BIGINT', nullable: false }, { name: 'v', type: 'VARCHAR(20)', nullable: true }],
    key: { model: 'PRIMARY', columns: ['id'] },
    distribution: { kind: 'hash', columns: ['id'], buckets: 1 },
    properties: props,
  }))

const ALL = ['mvs', 'tables', 'views'] as const

describe.each(VERSIONS)('reflect() reads tables and views from the emulator, version %s', (version) => {
  let sr: Emulator
  let client: Client
  beforeAll(async () => {
    sr = await startEmulator({ version, defaultReplicationNum: 1 })
    const setup = await connect(sr.url)
    await setup.query(`CREATE DATABASE ${DB}`)
    await setup.query(`CREATE DATABASE ${MANY}`)
    await setup.close()
    client = await connect(`${sr.url}${DB}`)
    for (const t of tables) await client.query(renderCreateTable(t, { version }))
    for (const v of views) await client.query(renderCreateView(v, { version }))
    await client.query(`CREATE MATERIALIZED VIEW ${DB}.user_count DISTRIBUTED BY HASH(n) REFRESH MANUAL AS SELECT count(*) AS n FROM ${DB}.users`)
  })
  afterAll(async () => {
    await client?.close()
    await sr?.close()
  })

  test('every table compares equal to its declaration; MVs are not tables', async () => {
    const state = await reflect(client, { objects: ALL })
    expect((state.tables ?? []).map((t) => QualifiedName.key(t))).toEqual(tables.map((t) => QualifiedName.key(t)).sort())
    expect(state.mvs.map((m) => m.name)).toEqual(['user_count'])
    for (const declared of tables) {
      const got = state.tables?.find((t) => t.name === declared.name) as TableDefinition
      expect(tableChanges(declared, got, { live: true }), declared.name).toEqual([])
    }
    // what the rows hold, read back as data
    const users = state.tables?.find((t) => t.name === 'users')
    expect(users?.columns.find((c) => c.name === 'created_at')?.default).toEqual({ kind: 'current_timestamp' })
    expect(users?.key).toEqual({ model: 'PRIMARY', columns: ['id'] })
    expect(state.tables?.find((t) => t.name === 'totals')?.columns.map((c) => c.aggregate ?? null)).toEqual([null, 'SUM', 'REPLACE', 'MAX'])
  })

  test('views compare equal to their declarations, and a plan from the server to them is empty', async () => {
    const state = await reflect(client, { objects: ALL })
    expect((state.views ?? []).map((v) => v.name)).toEqual(['active_users', 'event_kinds'])
    expect(state.views?.[0]).toMatchObject({ comment: 'users that are active', columns: [{ name: 'id', comment: 'user id' }, { name: 'name' }] })
    const desired = SchemaState.create(state.mvs, { tables, views })
    const plan = diff(state, desired, { version })
    expect(plan.ops).toEqual([])
    expect(plan.problems).toEqual([])
  })

  test('a hand change shows: an added column, a new comment', async () => {
    const admin = await connect(`${sr.url}${DB}`)
    await admin.query(`CREATE TABLE ${DB}.scratch (id BIGINT NOT NULL, v INT) PRIMARY KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES ("replication_num" = "1")`)
    await admin.query(`ALTER TABLE ${DB}.scratch ADD COLUMN note VARCHAR(30) DEFAULT "none" COMMENT "by hand"`)
    const state = await reflect(client, { objects: ALL })
    const scratch = state.tables?.find((t) => t.name === 'scratch') as TableDefinition
    const declared = TableDefinition.create({
      name: 'scratch', schema: DB,
      columns: [{ name: 'id', type: 'BIGINT', nullable: false }, { name: 'v', type: 'INT', nullable: true }],
      key: { model: 'PRIMARY', columns: ['id'] }, distribution: { kind: 'hash', columns: ['id'], buckets: 1 }, properties: props,
    })
    expect(tableChanges(declared, scratch, { live: true }).map((c) => c.attribute)).toEqual(['columns'])
    expect(scratch.columns.at(-1)).toEqual({ name: 'note', type: 'VARCHAR(30)', nullable: true, default: { kind: 'value', value: 'none' }, comment: 'by hand' })
    await admin.query(`DROP TABLE ${DB}.scratch`)
    await admin.close()
  })

  test('a constant number of statements: 3 tables and 300 tables cost the same', async () => {
    const count = async (): Promise<{ used: string[]; tables: number }> => {
      const fresh = await connect(`${sr.url}${MANY}`)
      const before = sr.statements.length
      const state = await reflect(fresh, { objects: ALL })
      const used = sr.statements.slice(before)
      await fresh.close()
      return { used, tables: state.tables?.length ?? 0 }
    }
    const all = manyTables(300)
    for (const t of all.slice(0, 3)) await client.query(renderCreateTable(t, { version }))
    const few = await count()
    for (const t of all.slice(3)) await client.query(renderCreateTable(t, { version }))
    const many = await count()
    expect(few.tables).toBe(3)
    expect(many.tables).toBe(300)
    // materialized_views, tables, tables_config, columns (no views there), after the version and database
    expect(few.used.filter((s) => /information_schema/.test(s)).map((s) => /information_schema\.(\w+)/.exec(s)?.[1])).toEqual(['materialized_views', 'tables', 'tables_config', 'columns'])
    expect(few.used.length).toBeLessThanOrEqual(6)
    expect(many.used).toEqual(few.used)
  })

  test('indexes and AUTO_INCREMENT are not in information_schema: read right only through showCreate', async () => {
    const indexed = TableDefinition.create({
      name: 'indexed', schema: DB,
      columns: [
        { name: 'id', type: 'BIGINT', nullable: false, autoIncrement: true },
        { name: 'tag', type: 'VARCHAR(20)', nullable: true },
      ],
      key: { model: 'PRIMARY', columns: ['id'] },
      indexes: [{ name: 'idx_tag', columns: ['tag'], using: 'BITMAP' }],
      distribution: { kind: 'hash', columns: ['id'], buckets: 1 },
      properties: props,
    })
    await client.query(renderCreateTable(indexed, { version }))
    const fromRows = (await reflect(client, { objects: ALL })).tables?.find((t) => t.name === 'indexed') as TableDefinition
    expect(tableChanges(indexed, fromRows, { live: true }).map((c) => c.attribute)).toEqual(['columns', 'indexes'])
    const shown = (await reflect(client, { objects: ALL, showCreate: [`${DB}.indexed`] })).tables?.find((t) => t.name === 'indexed') as TableDefinition
    expect(tableChanges(indexed, shown, { live: true })).toEqual([])
    await client.query(`DROP TABLE ${DB}.indexed`)
  })

  test('SHOW CREATE TABLE only for the tables whose rows need it, and for those asked for', async () => {
    const before = sr.statements.length
    await reflect(client, { objects: ALL, showCreate: [`${DB}.plain`, `${DB}.active_users`] })
    const shows = sr.statements.slice(before).filter((s) => /^SHOW CREATE/i.test(s)).sort()
    expect(shows).toEqual([
      `SHOW CREATE TABLE \`${DB}\`.\`by_region\``, `SHOW CREATE TABLE \`${DB}\`.\`orders_by_day\``, `SHOW CREATE TABLE \`${DB}\`.\`orders_by_range\``,
      `SHOW CREATE TABLE \`${DB}\`.\`plain\``, `SHOW CREATE TABLE \`${DB}\`.\`totals\``, `SHOW CREATE VIEW \`${DB}\`.\`active_users\``,
    ])
  })
})
