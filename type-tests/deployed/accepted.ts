/**
 * Programs the compiler accepts with the deployed declaration present, and that `diff` plans
 * without a rebuild: alterable changes, new MVs, equal values written differently, and what the
 * type checker cannot see (left to `srmv generate`).
 */
import { defineSchema, mv, sql, type MaterializedView } from '../../src/index.js'
import { byUser, byUserBase, byUserQuery, daily, dailyBase, dailyQuery, monthly, monthlyBase, monthlyQuery, orders, plain, rollup } from './deployed-mvs.js'

/** The deployed MVs themselves. */
export const unchanged = defineSchema({ daily, byUser, monthly, rollup, plain })

/** REFRESH is alterable. */
export const refreshChanged = defineSchema({
  daily: dailyBase.refresh.manual().as(dailyQuery),
  byUser: byUserBase.refresh.async({ every: '2 HOUR' }).as(byUserQuery),
})

/** Alterable and session properties. */
export const alterableProperties = defineSchema({
  daily: dailyBase.properties({ partition_ttl_number: 90, resource_group: 'etl', 'session.query_timeout': 600 }).as(dailyQuery),
  byUser: byUserBase.properties({ partition_refresh_number: 2, excluded_trigger_tables: 'shop.users' }).as(byUserQuery),
})

/** A create-only property set to the server default is no change (storage_medium defaults to HDD, replication_num to 3). */
export const defaultValues = defineSchema({ byUser: byUserBase.properties({ storage_medium: 'HDD', replication_num: 3 }).as(byUserQuery) })

/** Identifiers compare case-insensitively, an empty comment is none, a column as a typed column or a name. */
export const sameValues = defineSchema({
  daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns({ name: 'Order_Date' }, { name: 'TOTAL', comment: 'sum of amounts' })
    .comment('Sales per day')
    .partitionBy(orders.order_date)
    .distributedBy.hash([orders.order_date], { buckets: 8 })
    .orderBy('ORDER_DATE')
    .properties({ replication_num: 1, storage_medium: 'SSD' })
    .as(dailyQuery),
  plain: mv('plain_mv').comment('').as('SELECT 1 AS one'),
})

/** New MVs, and deployed MVs left out of the schema (srmv generate drops them). */
export const newMvs = defineSchema({ fresh: mv('fresh_mv').schema('mart').distributedBy.hash('k', { buckets: 3 }).as(sql`SELECT 1 AS k`) })

/** A new name without .renamedFrom() is a new MV (the old one is dropped): nothing to compare. */
export const newName = defineSchema({ daily: mv('daily_revenue_v2').schema('mart').distributedBy.hash('order_date', { buckets: 16 }).as(dailyQuery) })

/** The query is not compared at compile time (srmv generate compares it). */
export const queryChanged = defineSchema({ daily: dailyBase.as(sql`SELECT ${orders.order_date}, MAX(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.order_date}`) })

/** A sql fragment in PARTITION BY is not visible to the type checker. */
export const partitionExpression = defineSchema({ monthly: monthlyBase.partitionBy(sql`date_trunc('month', ${sql.id('m')})`).as(monthlyQuery) })

/** Values that are not literals are not compared (srmv generate compares them). */
const someBuckets: number = Number('16')
const someComment: string = ['Daily', 'sales'].join(' ')
const someName: string = ['some', 'other', 'mv'].join('_')
export const notLiterals = defineSchema({
  daily: mv('daily_revenue_mv')
    .schema('mart')
    .columns('order_date', { name: 'total', comment: 'sum of amounts' })
    .comment(someComment)
    .partitionBy('order_date')
    .distributedBy.hash('order_date', { buckets: someBuckets })
    .orderBy('order_date')
    .properties({ replication_num: 1, storage_medium: 'SSD' })
    .as(dailyQuery),
  other: mv(someName).schema('mart').distributedBy.hash('order_date', { buckets: 99 }).as(dailyQuery),
})

/** An entry whose type is a union of MVs: each member is compared with its own deployed MV. */
const preferDaily = [daily, plain].length > 1
export const unionEntry = defineSchema({ either: preferDaily ? daily : plain })

/**
 * A helper generic in its MVs compiles: inside it nothing is known to compare, and the MVs passed
 * through it are not checked at compile time (srmv generate still compares them).
 */
const schemaOf = <T extends Readonly<Record<string, MaterializedView>>>(mvs: T) => defineSchema(mvs)
export const throughHelper = schemaOf({ daily, plain })
