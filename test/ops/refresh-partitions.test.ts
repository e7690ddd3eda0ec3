import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { diff } from '../../src/diff/index.js'
import { MvDefinition, SchemaState } from '../../src/model/index.js'
import { op, renderOpsAsCode, toStatements, type Op } from '../../src/ops/index.js'
import { mv } from '../../src/schema/index.js'
import { sql } from '../../src/sql/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const DB = 'srmv_refresh_ops'
const byProvince = mv('by_province').schema(DB).partitionBy('province').refresh.manual().properties({ replication_num: 1 })
  .as(sql`SELECT province, dt, sum(num) AS total FROM srmv_refresh_ops.t GROUP BY province, dt`)
const incremental = mv('inc').schema(DB).refresh.manual().properties({ replication_num: 1, refresh_mode: 'INCREMENTAL' })
  .as(sql`SELECT province, num FROM srmv_refresh_ops.t`)

describe('REFRESH of list partitions and WITH PRIORITY', () => {
  test('renders list values, tuples for several partition columns, and the priority', () => {
    expect(toStatements(op.refreshMaterializedView(byProvince, { partition: { values: ['beijing', 'it\'s', null] }, wait: true, priority: 90 }), { version: '3.4' })).toEqual([
      'REFRESH MATERIALIZED VIEW `srmv_refresh_ops`.`by_province` PARTITION ("beijing", "it\\\'s", NULL) WITH SYNC MODE WITH PRIORITY 90',
    ])
    expect(toStatements(op.refreshMaterializedView('m', { partition: { values: [['beijing', '2024-01-01'], ['chengdu', null]] }, force: true }), { version: '4.1' })).toEqual([
      'REFRESH MATERIALIZED VIEW `m` PARTITION (("beijing", "2024-01-01"), ("chengdu", NULL)) FORCE',
    ])
  })

  test('refuses what the target version or the grammar cannot take, naming the way out', () => {
    expect(() => toStatements(op.refreshMaterializedView('m', { partition: { values: ['a'] } }), { version: '3.3' })).toThrow(/needs StarRocks 3\.4 or newer/)
    expect(() => toStatements(op.refreshMaterializedView('m', { priority: 10 }), { version: '3.3' })).toThrow(/WITH PRIORITY needs StarRocks 3\.4/)
    expect(() => toStatements(op.refreshMaterializedView('m', { priority: 1.5 }), { version: '3.5' })).toThrow(/whole number/)
    expect(() => toStatements(op.refreshMaterializedView('m', { partition: { values: [] } }), { version: '3.5' })).toThrow(/at least one value/)
    expect(() => toStatements(op.refreshMaterializedView('m', { partition: { values: ['a', ['b']] } }), { version: '3.5' })).toThrow(/not a mix/)
    expect(() => toStatements(op.refreshMaterializedView('m', { partition: { values: [['a', 'b'], ['c']] } }), { version: '3.5' })).toThrow(/same number/)
  })

  test('ops with list values and a priority survive JSON and the code generator', () => {
    const o = op.refreshMaterializedView('m', { partition: { values: [['a', null], ['b', 'c']] }, priority: 70 })
    expect(JSON.parse(JSON.stringify(o))).toEqual(o)
    expect(toStatements(JSON.parse(JSON.stringify(o)) as Op, { version: '3.5' })).toEqual(toStatements(o, { version: '3.5' }))
    expect(renderOpsAsCode([o])).toContain("op.refreshMaterializedView('m', { partition: { values: [['a', null], ['b', 'c']] }, priority: 70 })")
  })

  test('refresh_mode INCREMENTAL or AUTO: FORCE and partition refreshes are refused before anything is sent', () => {
    expect(() => op.refreshMaterializedView(incremental, { force: true })).toThrow(/refresh_mode INCREMENTAL.*refuses FORCE/)
    expect(() => op.refreshMaterializedView(incremental.definition, { partition: { start: 'a', end: 'b' } })).toThrow(/refuses a partition refresh/)
    const auto = mv('a').refresh.manual().properties({ refresh_mode: 'AUTO' }).as(sql`SELECT 1 AS one`)
    expect(() => op.refreshMaterializedView(auto, { partition: { values: ['x'] } })).toThrow(/refresh_mode AUTO/)
    expect(toStatements(op.refreshMaterializedView(incremental, { wait: true }), { version: '4.1' })).toEqual(['REFRESH MATERIALIZED VIEW `srmv_refresh_ops`.`inc` WITH SYNC MODE'])
  })

  test('the swap rebuild of an INCREMENTAL MV refreshes its copy without FORCE or PARTITION', () => {
    const changed = MvDefinition.with(incremental.definition, { comment: 'now with a comment' })
    const plan = diff(SchemaState.create([incremental.definition]), SchemaState.create([changed]), { rebuild: 'swap', version: '4.1' })
    const refreshes = toStatements(plan.ops, { version: '4.1' }).filter((s) => s.startsWith('REFRESH'))
    expect(refreshes).toEqual(['REFRESH MATERIALIZED VIEW `srmv_refresh_ops`.`inc__srmv_new` WITH SYNC MODE'])
  })
})

describe('the emulator takes them as StarRocks does', () => {
  let sr: Emulator
  let client: Client
  beforeAll(async () => {
    sr = await startEmulator({ version: '4.1', defaultReplicationNum: 1 })
    client = await connect(sr.url)
    await client.query(`CREATE DATABASE ${DB}`)
    await client.query(`CREATE TABLE ${DB}.t (province VARCHAR(20) NOT NULL, dt DATE, num INT) DUPLICATE KEY(province) PARTITION BY LIST(province) (PARTITION p1 VALUES IN ("beijing"), PARTITION p2 VALUES IN ("chengdu")) DISTRIBUTED BY HASH(province)`)
    for (const s of toStatements([op.createMaterializedView(byProvince), op.createMaterializedView(incremental)], { version: '4.1' })) await client.query(s)
  })
  afterAll(async () => {
    await client?.close()
    await sr?.close()
  })

  test('list values and a priority are accepted and recorded', async () => {
    for (const s of toStatements(op.refreshMaterializedView(byProvince, { partition: { values: ['beijing', null] }, wait: true, priority: 90 }), { version: '4.1' })) await client.query(s)
    const { rows } = await client.query(`SELECT LAST_REFRESH_STATE, LAST_REFRESH_START_PARTITION FROM information_schema.materialized_views WHERE TABLE_NAME = 'by_province'`)
    expect(rows[0]).toMatchObject({ LAST_REFRESH_STATE: 'SUCCESS', LAST_REFRESH_START_PARTITION: 'beijing, NULL' })
  })

  test('INCREMENTAL MVs refuse FORCE and partition refreshes; a plain refresh works', async () => {
    await expect(client.query(`REFRESH MATERIALIZED VIEW ${DB}.inc FORCE`)).rejects.toThrow(/FORCE refresh is not supported/)
    await expect(client.query(`REFRESH MATERIALIZED VIEW ${DB}.inc PARTITION ("beijing")`)).rejects.toThrow(/Partition refresh is not supported/)
    await client.query(`REFRESH MATERIALIZED VIEW ${DB}.inc WITH SYNC MODE`)
  })

  test('older servers do not know the new clauses', async () => {
    const old = await startEmulator({ version: '3.3', defaultReplicationNum: 1 })
    const c = await connect(old.url)
    try {
      await c.query(`CREATE DATABASE ${DB}`)
      await c.query(`CREATE TABLE ${DB}.t (province VARCHAR(20) NOT NULL, dt DATE, num INT) DUPLICATE KEY(province) DISTRIBUTED BY HASH(province)`)
      await c.query(`CREATE MATERIALIZED VIEW ${DB}.m REFRESH MANUAL PROPERTIES ("replication_num" = "1") AS SELECT province FROM ${DB}.t`)
      await expect(c.query(`REFRESH MATERIALIZED VIEW ${DB}.m PARTITION ("beijing")`)).rejects.toThrow(/syntax|Unexpected input/i)
      await expect(c.query(`REFRESH MATERIALIZED VIEW ${DB}.m WITH PRIORITY 3`)).rejects.toThrow(/syntax|Unexpected input/i)
    } finally {
      await c.close()
      await old.close()
    }
  })
})
