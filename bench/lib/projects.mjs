/**
 * Synthetic projects of N materialized views for `srmv generate`, and the same N views for
 * `drizzle-kit generate` (MySQL views, the nearest thing drizzle-kit migrates).
 *
 * Both projects describe the same shape: two source tables, N aggregating views over a join, and
 * every tenth view reading the view before it (so plans must order by dependency). A "change" step
 * rewrites the query of every tenth view, as a follow-up migration would.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const srmvHeader = `import { mv, sql, table } from 'starrocks-mv'

export const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)', status: 'VARCHAR(20)' }, { schema: 'shop' })
export const users = table('users', { id: 'BIGINT', name: 'VARCHAR(100)', country: 'VARCHAR(2)' }, { schema: 'shop' })
`

/** The threshold in view i's WHERE clause; `changed` bumps it for every tenth view. */
const threshold = (i, changed) => (changed && i % 10 === 5 ? i + 1000 : i)

const srmvMv = (i, changed) => {
  const reads = i % 10 === 9
  const query = reads
    ? `sql\`SELECT \${mv_${i - 1}}.d, SUM(\${mv_${i - 1}}.total) AS total FROM \${mv_${i - 1}} WHERE \${mv_${i - 1}}.total > \${${threshold(i, changed)}} GROUP BY \${mv_${i - 1}}.d\``
    : `sql\`SELECT \${orders.order_date} AS d, \${orders.user_id}, \${users.name}, SUM(\${orders.amount}) AS total
FROM \${orders} JOIN \${users} ON \${orders.user_id} = \${users.id}
WHERE \${orders.amount} > \${${threshold(i, changed)}} AND \${orders.status} = \${'paid'}
GROUP BY \${orders.order_date}, \${orders.user_id}, \${users.name}\``
  return `
export const mv_${i} = mv('mv_${i}')
  .schema('analytics')
  .comment('bench ${i}')
  .partitionBy('d')
  .distributedBy.hash('d', { buckets: ${1 + (i % 16)} })
  .refresh.async({ every: '${1 + (i % 24)} HOUR' })
  .properties({ replication_num: 1, partition_ttl_number: ${1 + (i % 30)} })
  .as(${query})
`
}

const drizzleHeader = `import { sql, eq, gt, and } from 'drizzle-orm'
import { bigint, date, decimal, mysqlTable, mysqlView, varchar } from 'drizzle-orm/mysql-core'

export const orders = mysqlTable('orders', { id: bigint('id', { mode: 'number' }).primaryKey(), userId: bigint('user_id', { mode: 'number' }), orderDate: date('order_date'), amount: decimal('amount', { precision: 10, scale: 2 }), status: varchar('status', { length: 20 }) })
export const users = mysqlTable('users', { id: bigint('id', { mode: 'number' }).primaryKey(), name: varchar('name', { length: 100 }), country: varchar('country', { length: 2 }) })
`

const drizzleView = (i, changed) => {
  const reads = i % 10 === 9
  const body = reads
    ? `(qb) => qb.select({ d: v_${i - 1}.d, total: sql\`sum(\${v_${i - 1}.total})\`.as('total') }).from(v_${i - 1}).where(gt(v_${i - 1}.total, '${threshold(i, changed)}')).groupBy(v_${i - 1}.d)`
    : `(qb) => qb.select({ d: orders.orderDate, userId: orders.userId, name: users.name, total: sql\`sum(\${orders.amount})\`.as('total') })
    .from(orders).innerJoin(users, eq(orders.userId, users.id))
    .where(and(gt(orders.amount, '${threshold(i, changed)}'), eq(orders.status, 'paid')))
    .groupBy(orders.orderDate, orders.userId, users.name)`
  return `
export const v_${i} = mysqlView('v_${i}').as(${body})
`
}

/** Write the srmv project for `n` MVs into `dir` (config, schema module, empty migrations folder). */
export const writeSrmvProject = (dir, n) => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'migrations'), { recursive: true })
  writeFileSync(
    join(dir, 'srmv.config.ts'),
    `import { defineConfig } from 'starrocks-mv'\n\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', version: '3.5' })\n`,
  )
  writeSrmvSchema(dir, n, false)
}

/** (Re)write the schema module of an srmv project; `changed` alters every tenth MV's query. */
export const writeSrmvSchema = (dir, n, changed) => {
  const parts = [srmvHeader]
  for (let i = 0; i < n; i++) parts.push(srmvMv(i, changed))
  writeFileSync(join(dir, 'schema.ts'), parts.join(''))
}

/** Write the drizzle-kit project for `n` views into `dir`. */
export const writeDrizzleProject = (dir, n) => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    `import { defineConfig } from 'drizzle-kit'\n\nexport default defineConfig({ dialect: 'mysql', schema: './schema.ts', out: './drizzle' })\n`,
  )
  writeDrizzleSchema(dir, n, false)
}

/** (Re)write the drizzle schema file; `changed` alters every tenth view's query. */
export const writeDrizzleSchema = (dir, n, changed) => {
  const parts = [drizzleHeader]
  for (let i = 0; i < n; i++) parts.push(drizzleView(i, changed))
  writeFileSync(join(dir, 'schema.ts'), parts.join(''))
}
