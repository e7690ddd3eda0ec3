import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/db/index.js'
import type { Client } from '../../src/db/index.js'
import { diff, snapshot, type DiffOptions } from '../../src/diff/index.js'
import { MvDefinition, type SchemaState } from '../../src/model/index.js'
import { toStatements } from '../../src/ops/to-statements.js'
import { reflect } from '../../src/reflect/reflect.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const DB = 'srmv_diff_convergence'

const orders = { schema: DB, name: 'orders' }
const dailyV1 = MvDefinition.create({
  name: 'daily',
  schema: DB,
  query: `SELECT dt, region, sum(amount) AS total FROM ${DB}.orders GROUP BY dt, region`,
  partitionBy: ['dt'],
  distribution: { kind: 'hash', columns: ['region'], buckets: 4 },
  refresh: { kind: 'async', deferred: false, every: { value: 1, unit: 'DAY' } },
  properties: { replication_num: '1', task_priority: '5' },
  dependencies: [orders],
})
const monthlyV1 = MvDefinition.create({
  name: 'monthly',
  schema: DB,
  query: `SELECT region, sum(total) AS total FROM ${DB}.daily GROUP BY region`,
  refresh: { kind: 'manual', deferred: false },
  properties: { replication_num: '1' },
  dependencies: [{ schema: DB, name: 'daily' }],
})

/** Successive desired states: creation, alters, a swap rebuild that touches a reader, a rename and a drop. */
const steps: { name: string; state: SchemaState; options?: DiffOptions; sent?: RegExp[] }[] = [
  { name: 'create two MVs, the reader after what it reads', state: snapshot([monthlyV1, dailyV1]) },
  {
    name: 'alter refresh and properties',
    state: snapshot([
      MvDefinition.with(dailyV1, { properties: { replication_num: '1', task_priority: '7', 'session.query_timeout': '600' } }),
      MvDefinition.with(monthlyV1, { refresh: { kind: 'async', deferred: false } }),
    ]),
  },
  {
    name: 'rebuild the base MV by SWAP and re-activate its reader',
    state: snapshot([
      MvDefinition.with(dailyV1, { comment: 'Sales per day', distribution: { kind: 'hash', columns: ['region'], buckets: 8 }, properties: { replication_num: '1', task_priority: '7', 'session.query_timeout': '600' } }),
      MvDefinition.with(monthlyV1, { refresh: { kind: 'async', deferred: false } }),
    ]),
    options: { rebuild: 'swap' },
    sent: [/REFRESH MATERIALIZED VIEW `srmv_diff_convergence`.`daily__srmv_new` WITH SYNC MODE/, /SWAP WITH `daily__srmv_new`/, /`monthly` ACTIVE/],
  },
  {
    name: 'rebuild by drop-create',
    state: snapshot([
      MvDefinition.with(dailyV1, { comment: 'Sales per day', query: `SELECT dt, region, sum(amount) AS total FROM ${DB}.orders WHERE amount > 0 GROUP BY dt, region` }),
      MvDefinition.with(monthlyV1, { refresh: { kind: 'async', deferred: false } }),
    ]),
    options: { rebuild: 'drop-create' },
    sent: [/^DROP MATERIALIZED VIEW `srmv_diff_convergence`.`daily`$/, /`monthly` ACTIVE/],
  },
  {
    name: 'rename the reader, then drop it',
    state: snapshot([
      MvDefinition.with(dailyV1, { comment: 'Sales per day', query: `SELECT dt, region, sum(amount) AS total FROM ${DB}.orders WHERE amount > 0 GROUP BY dt, region` }),
      MvDefinition.with(monthlyV1, { name: 'per_region', refresh: { kind: 'async', deferred: false } }),
    ]),
    options: { renames: { [`${DB}.per_region`]: `${DB}.monthly` } },
    sent: [/`monthly` RENAME `per_region`/],
  },
  { name: 'drop everything', state: snapshot([]) },
]

for (const version of ['3.5', '4.1']) {
  describe(`plans converge on the ${version} emulator: diff(reflect(after applying the plan), target) is empty`, () => {
    let sr: Emulator
    let client: Client

    beforeAll(async () => {
      sr = await startEmulator({ version })
      const admin = await connect(sr.url)
      await admin.query(`CREATE DATABASE ${DB}`)
      await admin.query(`CREATE TABLE ${DB}.orders (dt date, region varchar(16), amount int) DUPLICATE KEY(dt) PARTITION BY date_trunc('day', dt) DISTRIBUTED BY HASH(dt)`)
      await admin.close()
      client = await connect(`${sr.url}${DB}`)
    })

    afterAll(async () => {
      await client?.close()
      await sr?.close()
    })

    for (const step of steps) {
      it(step.name, async () => {
        const before = await reflect(client, { objects: ['mvs'] })
        const plan = diff(before, step.state, { compare: 'live', ...step.options })
        expect(plan.problems).toEqual([])
        expect(plan.ops.length).toBeGreaterThan(0)
        const sent = sr.statements.length
        for (const statement of toStatements(plan.ops, { version })) await client.query(statement)
        const received = sr.statements.slice(sent)
        for (const pattern of step.sent ?? []) expect(received.some((text) => pattern.test(text)), `${pattern} in\n${received.join('\n')}`).toBe(true)
        const after = await reflect(client, { objects: ['mvs'] })
        const again = diff(after, step.state, { compare: 'live' })
        expect(again.changes).toEqual([])
        expect(again.ops).toEqual([])
        expect(Object.values(after.status ?? {}).every((s) => s.active)).toBe(true)
      })
    }
  })
}
