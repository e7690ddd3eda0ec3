import { describe, expect, it } from 'vitest'
import { dailySales, userOrderCounts, userStats } from '../../examples/shop/schema.js'

describe('examples/shop', () => {
  it('daily_sales_mv renders its clauses exactly', () => {
    expect(dailySales.toSQL()).toBe(
      [
        'CREATE MATERIALIZED VIEW `analytics`.`daily_sales_mv`',
        'PARTITION BY `order_date`',
        'DISTRIBUTED BY HASH(`order_date`) BUCKETS 8',
        "REFRESH ASYNC START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY)",
        'PROPERTIES ("replication_num" = "1")',
        'AS SELECT `orders`.`order_date`, COUNT(*) AS order_count, SUM(`orders`.`amount`) AS total_amount',
        'FROM `shop`.`orders`',
        'GROUP BY `orders`.`order_date`',
      ].join('\n'),
    )
    expect(dailySales.definition.dependencies).toEqual([{ schema: 'shop', name: 'orders' }])
  })

  it('user_stats_mv joins orders and users', () => {
    const text = userStats.toSQL()
    expect(text.split('\n').slice(0, 4)).toEqual([
      'CREATE MATERIALIZED VIEW `analytics`.`user_stats_mv`',
      "COMMENT 'User order statistics'",
      "PARTITION BY date_trunc('day', `order_date`)",
      'DISTRIBUTED BY HASH(`user_id`) BUCKETS 10',
    ])
    expect(text).toContain('JOIN `shop`.`users` ON `orders`.`user_id` = `users`.`id`')
    expect(userStats.definition.dependencies).toEqual([
      { schema: 'shop', name: 'orders' },
      { schema: 'shop', name: 'users' },
    ])
  })

  it('user_order_counts is MANUAL and built from typed columns', () => {
    expect(userOrderCounts.toSQL()).toBe(
      'CREATE MATERIALIZED VIEW `analytics`.`user_order_counts`\nREFRESH MANUAL\nAS SELECT `orders`.`user_id`, COUNT(`orders`.`id`) AS order_count\nFROM `shop`.`orders`\nGROUP BY `orders`.`user_id`',
    )
  })

  it('renders SCHEDULE for 4.1 and refuses 2.5-era targets where a feature is newer', () => {
    expect(dailySales.toSQL({ version: '4.1.1-ee' })).toContain("REFRESH SCHEDULE START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY)")
    expect(() => userStats.toSQL({ version: '2.5' })).not.toThrow()
  })
})
