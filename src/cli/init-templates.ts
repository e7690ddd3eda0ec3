const usableProject = (name: string | undefined): name is string =>
  name !== undefined && name !== '' && name.length <= 255 && name === name.trim() && !/[\u0000-\u001f\u007f]/.test(name)

/**
 * The files `srmv init` writes, by path relative to the project folder. `project` (the folder's
 * name) becomes the config's `project`: the project's key in a history table shared with others.
 */
export const initTemplates = (project?: string): Readonly<Record<string, string>> => ({
  'srmv.config.ts': `import { defineConfig } from 'starrocks-mv'

export default defineConfig({
  // The module that exports your materialized views.
  schema: './schema.ts',
  // Where \`srmv generate\` writes migrations.
  migrations: './migrations',
  // The StarRocks version to render SQL for when no server is connected.
  version: '3.5',
  // The server comes from STARROCKS_URL (environment or .env), e.g.
  // STARROCKS_URL=starrocks://root@127.0.0.1:9030/analytics
  // One-node clusters need one replica for the history table:
  historyProperties: { replication_num: '1' },${
    usableProject(project)
      ? `
  // This project's key in the history table, so that projects sharing one table see only their own
  // migrations. Keep it stable once migrations are applied.
  project: ${JSON.stringify(project)},`
      : ''
  }
})
`,
  'schema.ts': `import { defineSchema, mv, sql, table } from 'starrocks-mv'

/** A source table (this project reads tables; it does not migrate them). */
export const orders = table('orders', { id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' })

/** Sales per day, refreshed every day. */
export const dailySales = mv('daily_sales_mv')
  .partitionBy('order_date')
  .distributedBy.hash('order_date', { buckets: 4 })
  .refresh.async({ every: '1 DAY' })
  .properties({ replication_num: 1 })
  .as(sql\`SELECT \${orders.order_date}, SUM(\${orders.amount}) AS total_amount
FROM \${orders}
GROUP BY \${orders.order_date}\`)

/**
 * The schema's typed form. With migrations/deployed.d.ts in your tsconfig's program (srmv generate
 * writes it), the compiler refuses edits of deployed MVs that StarRocks cannot ALTER.
 */
export default defineSchema({ dailySales })
`,
  'migrations/.gitkeep': '',
  '.env.example': 'STARROCKS_URL=starrocks://root@127.0.0.1:9030/analytics\n',
})
