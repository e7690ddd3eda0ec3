import { MvDefinition } from '../../src/model/index.js'

type Input = Parameters<typeof MvDefinition.create>[0]

/** A periodic, hash-distributed, partitioned MV over shop.orders: every attribute set. */
export const daily = MvDefinition.create({
  name: 'daily',
  schema: 'shop',
  query: 'SELECT dt, sum(amount) AS total FROM shop.orders GROUP BY dt',
  partitionBy: ['dt'],
  distribution: { kind: 'hash', columns: ['dt'], buckets: 8 },
  refresh: { kind: 'async', deferred: false, every: { value: 1, unit: 'DAY' } },
  properties: { replication_num: '1', task_priority: '5', partition_ttl: '2 MONTH' },
  dependencies: [{ schema: 'shop', name: 'orders' }],
})

/** An MV in shop reading `daily` (unqualified: resolves to its own database). */
export const monthly = MvDefinition.create({
  name: 'monthly',
  schema: 'shop',
  query: "SELECT date_trunc('month', dt) AS m, sum(total) AS total FROM daily GROUP BY 1",
  refresh: { kind: 'manual', deferred: false },
  dependencies: [{ name: 'daily' }],
})

export const def = (fields: Partial<Input> & Pick<Input, 'name'>): MvDefinition =>
  MvDefinition.create({ schema: 'shop', query: `SELECT * FROM shop.orders`, dependencies: [{ schema: 'shop', name: 'orders' }], ...fields })

export const edit = (d: MvDefinition, change: Parameters<typeof MvDefinition.with>[1]): MvDefinition => MvDefinition.with(d, change)
