/**
 * create the shop tables and views
 *
 * Leads to the state in 20261204190158_create_the_shop_tables_and_views.snapshot.json.
 */
import { defineMigration, mv, sql } from 'starrocks-mv'

export default defineMigration({
  up(op) {
    op.createTable({ kind: 'TableDefinition', properties: { replication_num: '1' }, name: 'orders', schema: 'store', columns: [{ name: 'id', type: 'BIGINT', nullable: false, comment: 'order id' }, { name: 'order_date', type: 'DATE', nullable: false }, { name: 'user_id', type: 'BIGINT', nullable: false }, { name: 'amount', type: 'DECIMAL(10, 2)', nullable: true, default: { kind: 'value', value: '0' } }, { name: 'status', type: 'VARCHAR(20)', nullable: true }], key: { model: 'PRIMARY', columns: ['id', 'order_date'] }, comment: 'Orders placed in the shop', partitionBy: { kind: 'expression', expressions: ['date_trunc(\'day\', `order_date`)'] }, distribution: { kind: 'hash', columns: ['id'], buckets: 8 } })
    op.createTable({ kind: 'TableDefinition', properties: { replication_num: '1' }, name: 'users', schema: 'store', columns: [{ name: 'id', type: 'BIGINT', nullable: false }, { name: 'name', type: 'VARCHAR(100)', nullable: true }, { name: 'email', type: 'VARCHAR(255)', nullable: true }, { name: 'created_at', type: 'DATETIME', nullable: true, default: { kind: 'current_timestamp' } }], key: { model: 'PRIMARY', columns: ['id'] }, distribution: { kind: 'hash', columns: ['id'], buckets: 4 } })
    op.createMaterializedView(
      mv('daily_sales_mv')
        .schema('sales')
        .partitionBy('order_date')
        .distributedBy.hash('order_date', { buckets: 8 })
        .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
        .properties({ replication_num: 1 })
        .as(`SELECT \`orders\`.\`order_date\`, COUNT(*) AS order_count, SUM(\`orders\`.\`amount\`) AS total_amount
FROM \`store\`.\`orders\`
GROUP BY \`orders\`.\`order_date\``),
    )
    op.createMaterializedView(
      mv('user_order_counts')
        .schema('sales')
        .refresh.manual()
        .properties({ replication_num: 1 })
        .as(`SELECT \`orders\`.\`user_id\`, COUNT(\`orders\`.\`id\`) AS order_count
FROM \`store\`.\`orders\`
GROUP BY \`orders\`.\`user_id\``),
    )
    op.createMaterializedView(
      mv('user_stats_mv')
        .schema('sales')
        .comment('User order statistics')
        .partitionBy(sql.raw('date_trunc(\'day\', `order_date`)'))
        .distributedBy.hash('user_id', { buckets: 10 })
        .properties({ replication_num: 1 })
        .as(`SELECT \`orders\`.\`user_id\`, \`users\`.\`name\` AS user_name, \`orders\`.\`order_date\`,
  COUNT(*) AS order_count, SUM(\`orders\`.\`amount\`) AS total_amount
FROM \`store\`.\`orders\`
JOIN \`store\`.\`users\` ON \`orders\`.\`user_id\` = \`users\`.\`id\`
GROUP BY \`orders\`.\`user_id\`, \`users\`.\`name\`, \`orders\`.\`order_date\``),
    )
  },
  down(op) {
    op.dropMaterializedView(
      mv('user_stats_mv')
        .schema('sales')
        .comment('User order statistics')
        .partitionBy(sql.raw('date_trunc(\'day\', `order_date`)'))
        .distributedBy.hash('user_id', { buckets: 10 })
        .properties({ replication_num: 1 })
        .as(`SELECT \`orders\`.\`user_id\`, \`users\`.\`name\` AS user_name, \`orders\`.\`order_date\`,
  COUNT(*) AS order_count, SUM(\`orders\`.\`amount\`) AS total_amount
FROM \`store\`.\`orders\`
JOIN \`store\`.\`users\` ON \`orders\`.\`user_id\` = \`users\`.\`id\`
GROUP BY \`orders\`.\`user_id\`, \`users\`.\`name\`, \`orders\`.\`order_date\``),
    )
    op.dropMaterializedView(
      mv('user_order_counts')
        .schema('sales')
        .refresh.manual()
        .properties({ replication_num: 1 })
        .as(`SELECT \`orders\`.\`user_id\`, COUNT(\`orders\`.\`id\`) AS order_count
FROM \`store\`.\`orders\`
GROUP BY \`orders\`.\`user_id\``),
    )
    op.dropMaterializedView(
      mv('daily_sales_mv')
        .schema('sales')
        .partitionBy('order_date')
        .distributedBy.hash('order_date', { buckets: 8 })
        .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
        .properties({ replication_num: 1 })
        .as(`SELECT \`orders\`.\`order_date\`, COUNT(*) AS order_count, SUM(\`orders\`.\`amount\`) AS total_amount
FROM \`store\`.\`orders\`
GROUP BY \`orders\`.\`order_date\``),
    )
    op.dropTable('store.users', { definition: { kind: 'TableDefinition', properties: { replication_num: '1' }, name: 'users', schema: 'store', columns: [{ name: 'id', type: 'BIGINT', nullable: false }, { name: 'name', type: 'VARCHAR(100)', nullable: true }, { name: 'email', type: 'VARCHAR(255)', nullable: true }, { name: 'created_at', type: 'DATETIME', nullable: true, default: { kind: 'current_timestamp' } }], key: { model: 'PRIMARY', columns: ['id'] }, distribution: { kind: 'hash', columns: ['id'], buckets: 4 } } })
    op.dropTable('store.orders', { definition: { kind: 'TableDefinition', properties: { replication_num: '1' }, name: 'orders', schema: 'store', columns: [{ name: 'id', type: 'BIGINT', nullable: false, comment: 'order id' }, { name: 'order_date', type: 'DATE', nullable: false }, { name: 'user_id', type: 'BIGINT', nullable: false }, { name: 'amount', type: 'DECIMAL(10, 2)', nullable: true, default: { kind: 'value', value: '0' } }, { name: 'status', type: 'VARCHAR(20)', nullable: true }], key: { model: 'PRIMARY', columns: ['id', 'order_date'] }, comment: 'Orders placed in the shop', partitionBy: { kind: 'expression', expressions: ['date_trunc(\'day\', `order_date`)'] }, distribution: { kind: 'hash', columns: ['id'], buckets: 8 } } })
  },
})
