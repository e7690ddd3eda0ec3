import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { MvDefinition, QualifiedName } from '../../src/model/index.js'
import { reflect } from '../../src/reflect/reflect.js'
import { renderCreate } from '../../src/render/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const VERSIONS = ['3.1', '3.5', '4.1', '26.2'] as const
const DB = 'srmv_reflect_emulator'
const OTHER = 'srmv_reflect_emulator_2'

const ORDERS = `CREATE TABLE ${DB}.orders (
  order_id BIGINT, dt DATE, user_id BIGINT, amount DECIMAL(10, 2)
) DUPLICATE KEY(order_id) PARTITION BY date_trunc('day', dt) DISTRIBUTED BY HASH(order_id) BUCKETS 4 PROPERTIES ("replication_num" = "1")`

const daily = MvDefinition.create({
  name: 'daily_sales',
  schema: DB,
  columns: [{ name: 'dt', comment: 'the day' }, { name: 'total' }],
  comment: 'sales per day',
  partitionBy: ["date_trunc('month', `dt`)"],
  distribution: { kind: 'hash', columns: ['dt'], buckets: 8 },
  orderBy: ['dt'],
  refresh: { kind: 'async', deferred: true, start: '2030-01-01 00:00:00', every: { value: 1, unit: 'DAY' } },
  properties: { replication_num: '1', 'session.query_timeout': '600' },
  query: `SELECT dt, sum(amount) AS total FROM ${DB}.orders GROUP BY dt`,
  dependencies: [{ schema: DB, name: 'orders' }],
})
const byUser = MvDefinition.create({
  name: 'by_user',
  schema: DB,
  distribution: { kind: 'random' },
  refresh: { kind: 'manual', deferred: false },
  query: `SELECT user_id, count(*) AS n FROM ${DB}.orders GROUP BY user_id`,
  dependencies: [{ schema: DB, name: 'orders' }],
})
const onChange = MvDefinition.create({
  name: 'on_daily',
  schema: DB,
  distribution: { kind: 'hash', columns: ['dt'] },
  refresh: { kind: 'async', deferred: false },
  query: `SELECT dt, total FROM ${DB}.daily_sales`,
  dependencies: [{ schema: DB, name: 'daily_sales' }],
})
const elsewhere = MvDefinition.create({
  name: 'elsewhere',
  schema: OTHER,
  refresh: { kind: 'manual', deferred: false },
  query: `SELECT order_id FROM ${DB}.orders`,
  dependencies: [{ schema: DB, name: 'orders' }],
})

describe.each(VERSIONS)('reflect() against the emulator, version %s', (version) => {
  let sr: Emulator
  let client: Client
  beforeAll(async () => {
    sr = await startEmulator({ version, defaultReplicationNum: 1 })
    const setup = await connect(sr.url)
    for (const s of [`CREATE DATABASE ${DB}`, `CREATE DATABASE ${OTHER}`, ORDERS]) await setup.query(s)
    for (const def of [daily, byUser, onChange, elsewhere]) await setup.query(renderCreate(def, { version }))
    await setup.close()
    client = await connect(`${sr.url}${DB}`)
  })
  afterAll(async () => {
    await client?.close()
    await sr?.close()
  })

  test('reads every MV of the current database with the clauses it was created with', async () => {
    const state = await reflect(client)
    expect(state.serverVersion).toMatch(new RegExp(`^${version.replace('.', '\\.')}`))
    expect(state.mvs.map((m) => QualifiedName.key(m))).toEqual([`${DB}.by_user`, `${DB}.daily_sales`, `${DB}.on_daily`])
    const got = (name: string) => state.mvs.find((m) => m.name === name) as MvDefinition

    const d = got('daily_sales')
    expect(d).toMatchObject({
      schema: DB,
      sync: false,
      columns: [{ name: 'dt', comment: 'the day' }, { name: 'total' }],
      comment: 'sales per day',
      partitionBy: ["date_trunc('month', `dt`)"],
      distribution: { kind: 'hash', columns: ['dt'], buckets: 8 },
      orderBy: ['dt'],
      refresh: { kind: 'async', deferred: true, start: '2030-01-01 00:00:00', every: { value: 1, unit: 'DAY' } },
      dependencies: [{ schema: DB, name: 'orders' }],
    })
    expect(d.properties).toMatchObject({ replication_num: '1', 'session.query_timeout': '600', storage_medium: 'HDD' })
    expect(got('by_user')).toMatchObject({ distribution: { kind: 'random' }, refresh: { kind: 'manual', deferred: false } })
    expect(got('on_daily')).toMatchObject({
      refresh: { kind: 'async', deferred: false },
      dependencies: [{ schema: DB, name: 'daily_sales' }],
    })
    expect(state.status?.[`${DB}.daily_sales`]).toMatchObject({ active: true })
  })

  test('several databases at once, and the status of an MV whose base was dropped', async () => {
    const state = await reflect(client, { schemas: [DB, OTHER] })
    expect(state.mvs.map((m) => QualifiedName.key(m))).toContain(`${OTHER}.elsewhere`)
    await client.query(`DROP MATERIALIZED VIEW ${DB}.daily_sales`)
    const after = await reflect(client)
    expect(after.mvs.map((m) => m.name)).toEqual(['by_user', 'on_daily'])
    const status = after.status?.[`${DB}.on_daily`]
    expect(status?.active).toBe(false)
    expect(status?.inactiveReason).toBeTruthy()
  })

  test('the number of statements does not grow with the number of MVs', async () => {
    const count = async (): Promise<number> => {
      const fresh = await connect(`${sr.url}${DB}`)
      const before = sr.statements.length
      await reflect(fresh, { objects: ['mvs'] })
      const used = sr.statements.length - before
      await fresh.close()
      return used
    }
    const few = await count()
    for (let i = 0; i < 60; i++) {
      await client.query(renderCreate(MvDefinition.with(byUser, { name: `many_${i}` }), { version }))
    }
    const many = await count()
    expect((await reflect(client)).mvs.length).toBeGreaterThan(60)
    expect(many).toBe(few)
    expect(few).toBeLessThanOrEqual(4)
  })
})
