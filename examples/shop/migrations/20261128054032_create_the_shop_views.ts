/**
 * create the shop views
 *
 * Leads to the state in 20261128054032_create_the_shop_views.snapshot.json.
 */
import { defineMigration, mv, sql } from 'starrocks-mv'

export default defineMigration({
  up(op) {
    op.createMaterializedView(
      mv('daily_sales_mv')
        .schema('analytics')
        .partitionBy('order_date')
        .distributedBy.hash('order_date', { buckets: 8 })
        .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
        .properties({ replication_num: 1 })
        .as(`SELECT \`orders\`.\`order_date\`, COUNT(*) AS order_count, SUM(\`orders\`.\`amount\`) AS total_amount
FROM \`shop\`.\`orders\`
GROUP BY \`orders\`.\`order_date\``),
    )
    op.createMaterializedView(
      mv('user_order_counts')
        .schema('analytics')
        .refresh.manual()
        .as(`SELECT \`orders\`.\`user_id\`, COUNT(\`orders\`.\`id\`) AS order_count
FROM \`shop\`.\`orders\`
GROUP BY \`orders\`.\`user_id\``),
    )
    op.createMaterializedView(
      mv('user_stats_mv')
        .schema('analytics')
        .comment('User order statistics')
        .partitionBy(sql.raw('date_trunc(\'day\', `order_date`)'))
        .distributedBy.hash('user_id', { buckets: 10 })
        .as(`SELECT \`orders\`.\`user_id\`, \`users\`.\`name\` AS user_name, \`orders\`.\`order_date\`,
  COUNT(*) AS order_count, SUM(\`orders\`.\`amount\`) AS total_amount
FROM \`shop\`.\`orders\`
JOIN \`shop\`.\`users\` ON \`orders\`.\`user_id\` = \`users\`.\`id\`
GROUP BY \`orders\`.\`user_id\`, \`users\`.\`name\`, \`orders\`.\`order_date\``),
    )
  },
  down(op) {
    op.dropMaterializedView(
      mv('user_stats_mv')
        .schema('analytics')
        .comment('User order statistics')
        .partitionBy(sql.raw('date_trunc(\'day\', `order_date`)'))
        .distributedBy.hash('user_id', { buckets: 10 })
        .as(`SELECT \`orders\`.\`user_id\`, \`users\`.\`name\` AS user_name, \`orders\`.\`order_date\`,
  COUNT(*) AS order_count, SUM(\`orders\`.\`amount\`) AS total_amount
FROM \`shop\`.\`orders\`
JOIN \`shop\`.\`users\` ON \`orders\`.\`user_id\` = \`users\`.\`id\`
GROUP BY \`orders\`.\`user_id\`, \`users\`.\`name\`, \`orders\`.\`order_date\``),
    )
    op.dropMaterializedView(
      mv('user_order_counts')
        .schema('analytics')
        .refresh.manual()
        .as(`SELECT \`orders\`.\`user_id\`, COUNT(\`orders\`.\`id\`) AS order_count
FROM \`shop\`.\`orders\`
GROUP BY \`orders\`.\`user_id\``),
    )
    op.dropMaterializedView(
      mv('daily_sales_mv')
        .schema('analytics')
        .partitionBy('order_date')
        .distributedBy.hash('order_date', { buckets: 8 })
        .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
        .properties({ replication_num: 1 })
        .as(`SELECT \`orders\`.\`order_date\`, COUNT(*) AS order_count, SUM(\`orders\`.\`amount\`) AS total_amount
FROM \`shop\`.\`orders\`
GROUP BY \`orders\`.\`order_date\``),
    )
  },
})
