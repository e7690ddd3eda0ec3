/**
 * The shop example: two typed source tables (database `shop`) and three materialized views
 * (database `analytics`). Imports the package source directly so it runs without a build.
 * `export default defineSchema({...})` lets the type checker compare the MVs with the deployed
 * ones in migrations/deployed.d.ts (written by `srmv generate` and `srmv types`).
 */
import { defineSchema, mv, sql, table } from '../../src/index.js'

/** Orders placed in the shop. */
export const orders = table(
  'orders',
  {
    id: 'BIGINT',
    user_id: 'BIGINT',
    order_date: 'DATE',
    amount: 'DECIMAL(10, 2)',
    status: 'VARCHAR(20)',
  },
  { schema: 'shop' },
)

/** Registered users. */
export const users = table(
  'users',
  {
    id: 'BIGINT',
    name: 'VARCHAR(100)',
    email: 'VARCHAR(255)',
    created_at: 'DATETIME',
  },
  { schema: 'shop' },
)

/** Sales per day, refreshed daily. */
export const dailySales = mv('daily_sales_mv')
  .schema('analytics')
  .partitionBy('order_date')
  .distributedBy.hash('order_date', { buckets: 8 })
  .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
  .properties({ replication_num: 1 })
  .as(sql`SELECT ${orders.order_date}, COUNT(*) AS order_count, SUM(${orders.amount}) AS total_amount
FROM ${orders}
GROUP BY ${orders.order_date}`)

/** Orders and spend per user and day, with the user's name. */
export const userStats = mv('user_stats_mv')
  .schema('analytics')
  .comment('User order statistics')
  .partitionBy(sql`date_trunc('day', ${sql.id('order_date')})`)
  .distributedBy.hash('user_id', { buckets: 10 })
  .as(sql`SELECT ${orders.user_id}, ${users.name} AS user_name, ${orders.order_date},
  COUNT(*) AS order_count, SUM(${orders.amount}) AS total_amount
FROM ${orders}
JOIN ${users} ON ${orders.user_id} = ${users.id}
GROUP BY ${orders.user_id}, ${users.name}, ${orders.order_date}`)

/** Orders per user, refreshed on demand. */
export const userOrderCounts = mv('user_order_counts')
  .schema('analytics')
  .refresh.manual()
  .as(sql`SELECT ${orders.user_id}, COUNT(${orders.id}) AS order_count
FROM ${orders}
GROUP BY ${orders.user_id}`)

/** The shop's materialized views, checked against migrations/deployed.d.ts. */
export default defineSchema({ dailySales, userStats, userOrderCounts })
