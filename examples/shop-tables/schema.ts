/**
 * The shop example with managed base tables (database `store`) and three materialized views
 * (database `sales`). A table declared with DDL options is managed: created, altered and dropped
 * in the same plan as the MVs, and its columns are the typed references of the `sql` tag.
 */
import { defineSchema, mv, sql, table } from '../../src/index.js'

/** Orders placed in the shop, partitioned by day. */
export const orders = table(
  'orders',
  {
    id: { type: 'BIGINT', notNull: true, comment: 'order id' },
    order_date: { type: 'DATE', notNull: true },
    user_id: { type: 'BIGINT', notNull: true },
    amount: { type: 'DECIMAL(10, 2)', default: '0' },
    status: 'VARCHAR(20)',
    channel: { type: 'VARCHAR(20)', comment: 'web or store' },
  },
  {
    schema: 'store',
    primaryKey: ['id', 'order_date'],
    comment: 'Orders placed in the shop',
    partitionBy: { dateTrunc: 'day', column: 'order_date' },
    distributedBy: { hash: 'id', buckets: 8 },
    properties: { replication_num: 1 },
  },
)

/** Registered users. */
export const users = table(
  'users',
  {
    id: { type: 'BIGINT', notNull: true },
    name: 'VARCHAR(100)',
    email: 'VARCHAR(255)',
    created_at: { type: 'DATETIME', default: { currentTimestamp: true } },
  },
  {
    schema: 'store',
    primaryKey: ['id'],
    distributedBy: { hash: 'id', buckets: 4 },
    properties: { replication_num: 1 },
  },
)

/** Sales per day, refreshed daily. */
export const dailySales = mv('daily_sales_mv')
  .schema('sales')
  .partitionBy('order_date')
  .distributedBy.hash('order_date', { buckets: 8 })
  .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
  .properties({ replication_num: 1 })
  .as(sql`SELECT ${orders.order_date}, COUNT(*) AS order_count, SUM(${orders.amount}) AS total_amount
FROM ${orders}
GROUP BY ${orders.order_date}`)

/** Orders and spend per user and day, with the user's name. */
export const userStats = mv('user_stats_mv')
  .schema('sales')
  .comment('User order statistics')
  .partitionBy(sql`date_trunc('day', ${sql.id('order_date')})`)
  .distributedBy.hash('user_id', { buckets: 10 })
  .properties({ replication_num: 1 })
  .as(sql`SELECT ${orders.user_id}, ${users.name} AS user_name, ${orders.order_date},
  COUNT(*) AS order_count, SUM(${orders.amount}) AS total_amount
FROM ${orders}
JOIN ${users} ON ${orders.user_id} = ${users.id}
GROUP BY ${orders.user_id}, ${users.name}, ${orders.order_date}`)

/** Orders per user, refreshed on demand. */
export const userOrderCounts = mv('user_order_counts')
  .schema('sales')
  .refresh.manual()
  .properties({ replication_num: 1 })
  .as(sql`SELECT ${orders.user_id}, COUNT(${orders.id}) AS order_count
FROM ${orders}
GROUP BY ${orders.user_id}`)

/** The shop's materialized views. */
export default defineSchema({ dailySales, userStats, userOrderCounts })
