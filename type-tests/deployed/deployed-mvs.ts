/**
 * The MVs as deployed: `test/deployed/type-checks.test.ts` snapshots them and writes the deployed
 * declaration that the other files in this folder are checked against.
 */
import { mv, sql, table } from '../../src/index.js'

export const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' }, { schema: 'shop' })

export const dailyQuery = sql`SELECT ${orders.order_date}, SUM(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.order_date}`

/** Every immutable attribute set. */
export const dailyBase = mv('daily_revenue_mv')
  .schema('mart')
  .columns('order_date', { name: 'total', comment: 'sum of amounts' })
  .comment('Sales per day')
  .partitionBy('order_date')
  .distributedBy.hash('order_date', { buckets: 8 })
  .orderBy('order_date')
  .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
  .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
export const daily = dailyBase.as(dailyQuery)

export const byUserQuery = sql`SELECT ${orders.user_id}, COUNT(*) AS n FROM ${orders} GROUP BY ${orders.user_id}`
/** Random distribution with buckets, nothing else. */
export const byUserBase = mv('by_user').schema('mart').distributedBy.random({ buckets: 4 }).refresh.manual()
export const byUser = byUserBase.as(byUserQuery)

export const monthlyQuery = sql`SELECT date_trunc('month', ${orders.order_date}) AS m, ${orders.user_id}, SUM(${orders.amount}) AS total FROM ${orders} GROUP BY 1, 2`
/** An expression in PARTITION BY, a typed column in DISTRIBUTED BY. */
export const monthlyBase = mv('monthly').schema('mart').partitionBy(sql`date_trunc('month', ${sql.id('m')})`).distributedBy.hash(orders.user_id)
export const monthly = monthlyBase.as(monthlyQuery)

/** A synchronous MV. */
export const rollupQuery = sql`SELECT ${orders.user_id}, SUM(${orders.amount}) FROM ${orders} GROUP BY ${orders.user_id}`
export const rollup = mv('rollup_mv').schema('shop').sync().as(rollupQuery)

/** An MV without a database. */
export const plain = mv('plain_mv').as('SELECT 1 AS one')

export const deployed = [daily, byUser, monthly, rollup, plain]
