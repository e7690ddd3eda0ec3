/**
 * Edits of deployed MVs that StarRocks cannot ALTER: each `defineSchema` entry below is a compile
 * error with the message pinned on the line above it (MV | attribute | deployed | new), followed by
 * the ways out. `test/deployed/type-checks.test.ts` checks the messages, that the same edits compile
 * once acknowledged with `.rebuild(...)` (it adds one before each `.as(`), and that `diff` refuses
 * them at run time.
 */
import { defineSchema, mv, sql } from '../../src/index.js'
import { byUserQuery, dailyQuery, monthlyQuery, orders, rollupQuery } from './deployed-mvs.js'

// @refused mart.daily_revenue_mv | BUCKETS | 8 | 16
export const bucketsChanged = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 16 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | BUCKETS | 8 | auto
export const bucketsRemoved = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash('order_date')
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | DISTRIBUTED BY | HASH(order_date) BUCKETS 8 | HASH(order_date, total) BUCKETS 8
export const hashColumnsChanged = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash(['order_date', 'total'], { buckets: 8 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | DISTRIBUTED BY | HASH(order_date) BUCKETS 8 | RANDOM BUCKETS 8
export const hashToRandom = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.random({ buckets: 8 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | the column list | (order_date, total COMMENT 'sum of amounts') | (order_date, amount COMMENT 'sum of amounts')
export const columnRenamed = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'amount', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 8 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | the column list | (order_date, total COMMENT 'sum of amounts') | (order_date, total COMMENT 'total amount')
export const columnCommentChanged = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'total amount' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 8 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | COMMENT | 'Sales per day' | 'Daily sales'
export const commentChanged = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Daily sales')
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 8 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | COMMENT | 'Sales per day' | none
export const commentRemoved = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 8 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | PARTITION BY | (order_date) | (total)
export const partitionChanged = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('total')
    .distributedBy.hash('order_date', { buckets: 8 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | ORDER BY | (order_date) | (total, order_date)
export const orderByChanged = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 8 })
    .orderBy('total', orders.order_date)
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | ORDER BY | (order_date) | none
export const orderByRemoved = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 8 })
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | the create-only property replication_num | 1 | 3
export const createOnlyChanged = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 8 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 3, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_mv | the create-only property storage_medium | SSD | HDD
export const createOnlyRemoved = defineSchema({ daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 8 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.daily_revenue_v2 (renamed from mart.daily_revenue_mv) | BUCKETS | 8 | 32
export const renamedAndChanged = defineSchema({ daily: mv('daily_revenue_v2')
    .schema('mart')
    .renamedFrom('daily_revenue_mv')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: 32 })
    .orderBy('order_date')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1, storage_medium: 'SSD', partition_ttl_number: 30 })
    .as(dailyQuery) })

// @refused mart.by_user | PARTITION BY | none | (user_id)
export const partitionAdded = defineSchema({ byUser: mv('by_user').schema('mart').partitionBy(orders.user_id).distributedBy.random({ buckets: 4 }).as(byUserQuery) })

// @refused mart.monthly | PARTITION BY | (date_trunc ( "month" , m )) | (m)
export const partitionExpressionToColumn = defineSchema({ monthly: mv('monthly').schema('mart').partitionBy('m').distributedBy.hash(orders.user_id).as(monthlyQuery) })

// @refused mart.by_user | the create-only property storage_medium | HDD | SSD
export const createOnlyAdded = defineSchema({ byUser: mv('by_user').schema('mart').distributedBy.random({ buckets: 4 }).properties({ storage_medium: 'SSD' }).as(byUserQuery) })

// @refused mart.by_user | BUCKETS | 4 | 6
export const randomBucketsChanged = defineSchema({ byUser: mv('by_user').schema('mart').distributedBy.random({ buckets: 6 }).as(byUserQuery) })

// @refused mart.by_user | DISTRIBUTED BY | RANDOM BUCKETS 4 | HASH(user_id) BUCKETS 4
export const randomToHash = defineSchema({ byUser: mv('by_user').schema('mart').distributedBy.hash(orders.user_id, { buckets: 4 }).as(byUserQuery) })

// @refused shop.rollup_mv | the kind (sync or async) | sync | async
export const syncToAsync = defineSchema({ rollup: mv('rollup_mv').schema('shop').as(rollupQuery) })

// @refused mart.by_user | the kind (sync or async) | async | sync
export const asyncToSync = defineSchema({ byUser: mv('by_user').schema('mart').sync().as(byUserQuery) })

// @refused plain_mv | COMMENT | none | 'one row'
export const unqualifiedCommentAdded = defineSchema({ plain: mv('plain_mv').comment('one row').as('SELECT 1 AS one') })

// Two MVs in one schema: each conflicting entry is refused on its own line.
export const two = defineSchema({
  // @refused mart.daily_revenue_mv | BUCKETS | 8 | 12
  daily: mv('daily_revenue_mv').schema('mart').columns('order_date', { name: 'total', comment: 'sum of amounts' }).comment('Sales per day').partitionBy('order_date').distributedBy.hash('order_date', { buckets: 12 }).orderBy('order_date').properties({ replication_num: 1, storage_medium: 'SSD' }).as(dailyQuery),
  // @refused mart.by_user | BUCKETS | 4 | 2
  byUser: mv('by_user').schema('mart').distributedBy.random({ buckets: 2 }).as(byUserQuery),
  fresh: mv('brand_new').schema('mart').as(sql`SELECT 1 AS one`),
})

// A union entry with one member changed: the entry is refused with that member's message.
const preferDaily = [dailyQuery].length > 1
export const unionOneChanged = defineSchema({
  // @refused plain_mv | COMMENT | none | 'one row'
  either: preferDaily ? mv('daily_revenue_mv').schema('mart').columns('order_date', { name: 'total', comment: 'sum of amounts' }).comment('Sales per day').partitionBy('order_date').distributedBy.hash('order_date', { buckets: 8 }).orderBy('order_date').properties({ replication_num: 1, storage_medium: 'SSD' }).as(dailyQuery) : mv('plain_mv').comment('one row').as('SELECT 1 AS one'),
})
