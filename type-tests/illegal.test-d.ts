/**
 * Programs the compiler must reject. Each `expectError` is paired with the exact message type the
 * error shows (pinned with `expectType`), so a changed or lost message fails these tests.
 */
import { expectDeprecated, expectError, expectType } from 'tsd'
import {
  alter,
  mv,
  sql,
  table,
  type AlterableProperties,
  type ColumnFieldMessage,
  type IntervalString,
  type MvBuilder,
  type MvDefinition,
  type MvProperties,
  type SqlInterpolationError,
  type SyncDistributionMessage,
  type SyncRefreshMessage,
  type StartTimeString,
} from '../dist/index.js'
import { messageOf, typeOf } from './helpers.js'

const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE' }, { schema: 'shop' })
const m = mv('daily').schema('analytics').refresh.manual().as(sql`SELECT ${orders.id} FROM ${orders}`)
const a = alter(m)

const WAY_OUT = 'rebuild it (drop + create, or build a new MV and SWAP WITH it).'
type WayOut = typeof WAY_OUT

// 1. the query cannot be altered
expectError(a.as(sql`SELECT 1`))
expectDeprecated(a.as)
expectType<`The query of a materialized view cannot be altered: ${WayOut}`>(messageOf(a.as))

// 2. the column list cannot be altered
expectError(a.columns('x'))
expectType<`The column list of a materialized view cannot be altered: ${WayOut}`>(messageOf(a.columns))

// 3. COMMENT cannot be altered
expectError(a.comment('new comment'))
expectDeprecated(a.comment)
expectType<`The COMMENT of a materialized view cannot be altered: ${WayOut}`>(messageOf(a.comment))

// 4. PARTITION BY cannot be altered
expectError(a.partitionBy('order_date'))
expectType<`PARTITION BY of a materialized view cannot be altered: ${WayOut}`>(messageOf(a.partitionBy))

// 5, 6. DISTRIBUTED BY cannot be altered (hash or random)
expectError(a.distributedBy.hash('id', { buckets: 4 }))
expectError(a.distributedBy.random())
expectDeprecated(a.distributedBy)
expectType<`DISTRIBUTED BY (and BUCKETS) of a materialized view cannot be altered: ${WayOut}`>(messageOf(a.distributedBy))

// 7. ORDER BY cannot be altered
expectError(a.orderBy('id'))
expectType<`ORDER BY of a materialized view cannot be altered: ${WayOut}`>(messageOf(a.orderBy))

// 8. ALTER takes .set(), not .properties()
expectError(a.properties({ partition_ttl_number: 1 }))
expectType<'ALTER takes properties through .set({...}) (alterable properties only); create-only properties need a rebuild (drop + create, or a new MV and SWAP WITH).'>(
  messageOf(a.properties),
)

// 9. an MV's kind cannot be altered
expectError(a.sync())
expectType<`Whether a materialized view is synchronous cannot be altered: ${WayOut}`>(messageOf(a.sync))

// 10-14. create-only properties in .set() name the property
type SetValue<K extends keyof AlterableProperties> = Exclude<AlterableProperties[K], undefined>
const createOnly = <K extends string>(k: K) =>
  `${k} is a create-only property: ALTER MATERIALIZED VIEW ... SET cannot change it. Rebuild the MV (drop + create, or build a new MV and SWAP WITH it).` as const
expectError(a.set({ replication_num: 3 }))
expectType<SetValue<'replication_num'>>(createOnly('replication_num'))
expectError(a.set({ storage_medium: 'SSD' }))
expectType<SetValue<'storage_medium'>>(createOnly('storage_medium'))
expectError(a.set({ partition_ttl: '2 MONTH' }))
expectType<SetValue<'partition_ttl'>>(createOnly('partition_ttl'))
expectError(a.set({ query_rewrite_consistency: 'loose' }))
expectType<SetValue<'query_rewrite_consistency'>>(createOnly('query_rewrite_consistency'))
expectError(a.set({ partition_ttl_number: 3, refresh_mode: 'AUTO' }))
expectType<SetValue<'refresh_mode'>>(createOnly('refresh_mode'))

// 15, 16. ALTER ... REFRESH takes no moment
const noMoment = 'ALTER ... REFRESH takes no moment: DEFERRED and IMMEDIATE apply only when a materialized view is created.' as const
expectError(a.refresh.async({ every: '1 DAY', deferred: true }))
expectError(a.refresh.manual({ deferred: false }))
expectType<typeof noMoment>(typeOf<Exclude<Parameters<typeof a.refresh.async>[0], undefined>['deferred'] & string>())

// 17-19. a builder without .as() is not a complete MV
const incomplete = mv('x').schema('s')
const incompleteMessage = 'This materialized view has no query yet: call .as(sql`SELECT ...`) to make it a complete MaterializedView.' as const
expectError(incomplete.toSQL())
expectDeprecated(incomplete.toSQL)
expectType<typeof incompleteMessage>(messageOf(incomplete.toSQL))
expectError<MvDefinition>(incomplete.definition)
expectType<typeof incompleteMessage>(messageOf(incomplete.definition))
expectError(alter(incomplete))
expectError(a.swapWith(incomplete))

// 20-24. the sql tag refuses undefined, objects, arrays, functions and symbols
const use = 'use a Sql fragment, a table, column or MV reference, or a string, number, bigint, boolean, null or Date'
type Use = typeof use
expectError(sql`SELECT ${undefined}`)
expectType<`sql: cannot interpolate a value of this type (undefined); ${Use}`>(typeOf<SqlInterpolationError<undefined>>())
expectError(sql`SELECT ${{ a: 1 }}`)
expectType<`sql: cannot interpolate a value of this type (object); ${Use}`>(typeOf<SqlInterpolationError<{ a: number }>>())
expectError(sql`SELECT ${[1, 2]}`)
expectType<`sql: cannot interpolate a value of this type (array); ${Use}`>(typeOf<SqlInterpolationError<readonly [1, 2]>>())
expectError(sql`SELECT ${() => 1}`)
expectType<`sql: cannot interpolate a value of this type (function); ${Use}`>(typeOf<SqlInterpolationError<() => number>>())
// (a symbol in a template is also TS error 2731, so the tag is called as a function here)
expectError(sql(typeOf<TemplateStringsArray>(), Symbol('s')))
expectType<`sql: cannot interpolate a value of this type (symbol); ${Use}`>(typeOf<SqlInterpolationError<symbol>>())

// 25, 26. undeclared table columns
expectError(orders.nope)
expectError(sql`SELECT ${orders.amount} FROM ${orders}`)
expectType<'id' | 'user_id' | 'order_date' | 'as'>(typeOf<Extract<keyof typeof orders, string>>())

// 27-30. property values typed from the catalog
expectError(mv('x').properties({ replication_num: 'one' }))
expectError(mv('x').properties({ replication_num: '1.5' }))
expectType<number | `${bigint}` | undefined>(typeOf<MvProperties['replication_num']>())
expectError(mv('x').properties({ storage_medium: 'TAPE' }))
expectType<'HDD' | 'SSD' | undefined>(typeOf<MvProperties['storage_medium']>())
expectError(mv('x').properties({ force_external_table_query_rewrite: 'yes' }))
expectType<boolean | 'true' | 'false' | undefined>(typeOf<MvProperties['force_external_table_query_rewrite']>())
expectError(mv('x').properties({ 'session.query_timeout': { seconds: 1 } }))
expectType<string | number | boolean>(typeOf<MvProperties[`session.${string}`]>())

// 31. unknown properties only through the escape hatch
expectError(mv('x').properties({ my_prop: 'x' }))
expectError(a.set({ my_prop: 'x' }))

// 32, 33. intervals and START times are typed
expectError(mv('x').refresh.async({ every: '1 fortnight' }))
expectType<`${number} ${'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year'}`>(
  typeOf<IntervalString>(),
)
expectError(mv('x').refresh.async({ start: 'tomorrow', every: '1 DAY' }))
expectType<`${number}-${number}-${number} ${number}:${number}:${number}`>(typeOf<StartTimeString>())

// 34, 35. BUCKETS are numbers; PARTITION BY / ORDER BY need at least one entry
expectError(mv('x').distributedBy.hash('id', { buckets: '8' }))
expectError(mv('x').partitionBy())
expectError(mv('x').orderBy())

// a column list takes names, typed columns or { name, comment }: a field such as `type` is refused, not dropped
expectError(mv('x').columns({ name: 'a', type: 'BIGINT' }))
expectError(mv('x').columns('b', { name: 'a', comment: 'c', type: 'BIGINT' }))
expectType<'.columns() takes names, typed columns or { name, comment }: "type" is not part of an MV\'s column list (StarRocks takes the types from the query). Remove it.'>(
  typeOf<ColumnFieldMessage<'type'>>(),
)

// an alias has the table's columns only
expectError(orders.as('o').nope)

// a synchronous MV has no REFRESH and no DISTRIBUTED BY: the calls are errors whose text says why
expectError(mv('r').sync().refresh.manual())
expectError(mv('r').sync().refresh.async({ every: '1 DAY' }))
expectError(mv('r').sync().distributedBy.hash('a'))
expectError(mv('r').sync().distributedBy.random())
expectError(mv('r').sync().as('SELECT 1').refresh.manual())
expectError(mv('r').schema('s').sync().comment('c').distributedBy.hash('a'))
expectDeprecated(mv('r').sync().refresh.manual)
// the kind survives a helper generic in its builder
const commentedBy = <B extends MvBuilder>(b: B) => b.comment('x')
expectError(commentedBy(mv('r').sync()).refresh.manual())
expectType<'A synchronous MV (.sync()) has no REFRESH: StarRocks updates it with every load of its base table. Remove .sync() for an asynchronous MV with a refresh scheme.'>(typeOf<SyncRefreshMessage>())
expectType<'A synchronous MV (.sync()) has no DISTRIBUTED BY: it is stored with its base table. Remove .sync() for an asynchronous MV with its own distribution.'>(typeOf<SyncDistributionMessage>())

// a table of an external catalog is a typed reference only: DDL options with a catalog are refused
expectError(table('ext_orders', { id: 'BIGINT' }, { catalog: 'hive', schema: 'sales', primaryKey: ['id'] }))
expectError(table('ext_orders', { id: 'BIGINT' }, { catalog: 'hive', schema: 'sales', managed: true }))
// also when the options are not a literal (no excess-property check to lean on)
const externalDdl = { catalog: 'hive', schema: 'sales', primaryKey: ['id'] } as const
expectError(table('ext_orders', { id: 'BIGINT' }, externalDdl))
