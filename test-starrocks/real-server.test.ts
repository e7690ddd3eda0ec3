/**
 * Against a real StarRocks (opt-in): set STARROCKS_URL, e.g. starrocks://root@127.0.0.1:9030/.
 * One-node clusters need replication 1: STARROCKS_REPLICATION_NUM defaults to 1.
 * Everything happens in a fresh database that is dropped at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alter, connect, diff, mv, op, reflect, snapshot, sql, table, toStatements, type Client, type MaterializedView, type Op } from '../src/index.js'

const url = process.env.STARROCKS_URL
const replication = Number(process.env.STARROCKS_REPLICATION_NUM ?? '1')
if (url === undefined) console.warn('STARROCKS_URL is not set: skipping the real-StarRocks suite (see README, "Running against a real StarRocks").')

describe.skipIf(url === undefined)('a real StarRocks server', () => {
  const db = `srmv_it_${Date.now().toString(36)}`
  let client: Client
  let version: string
  const run = async (ops: Op | readonly Op[]): Promise<void> => {
    for (const statement of toStatements(ops, { version })) await client.query(statement)
  }
  const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' }, { schema: db })
  const daily = (buckets: number): MaterializedView =>
    mv('daily_sales_mv')
      .schema(db)
      .partitionBy('order_date')
      .distributedBy.hash('order_date', { buckets })
      .refresh.async({ every: '1 DAY' })
      .properties({ replication_num: replication })
      .as(sql`SELECT ${orders.order_date}, sum(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.order_date}`)

  beforeAll(async () => {
    client = await connect(url as string)
    version = await client.version()
    await client.query(`CREATE DATABASE ${sql.id(db).toSQL()}`)
    await client.query(
      sql`CREATE TABLE ${orders} (id BIGINT, user_id BIGINT, order_date DATE, amount DECIMAL(10, 2))
          DUPLICATE KEY(id) PARTITION BY date_trunc('day', order_date) DISTRIBUTED BY HASH(id)
          PROPERTIES ('replication_num' = ${String(replication)})`.toSQL(),
    )
  })
  afterAll(async () => {
    if (client !== undefined) {
      await client.query(`DROP DATABASE IF EXISTS ${sql.id(db).toSQL()} FORCE`).catch(() => undefined)
      await client.close()
    }
  })

  it('creates an MV and reads it back with nothing to change', async () => {
    await run(op.createMaterializedView(daily(4)))
    const live = await reflect(client, { schemas: [db] })
    expect(live.mvs.map((m) => m.name)).toEqual(['daily_sales_mv'])
    const plan = diff(live, snapshot([daily(4)]), { compare: 'live', version })
    expect(plan.problems).toEqual([])
    expect(plan.ops).toEqual([])
  })

  it('alters the refresh scheme and a property', async () => {
    await run(op.alterMaterializedView(alter(daily(4)).refresh.manual().set({ task_priority: 5 })))
    const live = await reflect(client, { schemas: [db] })
    expect(live.mvs[0]?.refresh?.kind).toBe('manual')
    expect(live.mvs[0]?.properties.task_priority).toBe('5')
  })

  it('rebuilds a bucket change with SWAP and converges', async () => {
    const before = await reflect(client, { schemas: [db] })
    const target = snapshot([daily(8)])
    const plan = diff(before, target, { compare: 'live', rebuild: 'swap', version })
    expect(plan.problems).toEqual([])
    await run(plan.ops)
    const after = await reflect(client, { schemas: [db] })
    expect(diff(after, target, { compare: 'live', version }).ops).toEqual([])
  })

  it('drops the MV', async () => {
    await run(op.dropMaterializedView(daily(8)))
    expect((await reflect(client, { schemas: [db] })).mvs).toEqual([])
  })
})
