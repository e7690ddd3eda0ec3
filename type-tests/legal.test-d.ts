/**
 * Programs the compiler must accept, with their inferred types: exact where the state is short,
 * otherwise the kind and completeness (a builder's type records every literal argument, see MvState).
 */
import { expectAssignable, expectNotAssignable, expectNotDeprecated, expectType } from 'tsd'
import {
  alter,
  isMaterializedView,
  mv,
  renderCreate,
  sql,
  table,
  toDefinition,
  type AlterableProperties,
  type AlterChange,
  type Column,
  type CommentAttr,
  type HashAttr,
  type InitialMvState,
  type KindOf,
  type MaterializedView,
  type MvAlter,
  type MvBuilder,
  type MvChain,
  type MvDefinition,
  type MvProperties,
  type MvState,
  type NewMvBuilder,
  type QualifiedName,
  type SchemaAttr,
  type SyncAttr,
  type StateOf,
  type Sql,
  type Table,
} from '../dist/index.js'
import { typeOf } from './helpers.js'

const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' }, { schema: 'shop' })

// 1. tables keep their name and column types
expectType<Table<'orders', { readonly id: 'BIGINT'; readonly user_id: 'BIGINT'; readonly order_date: 'DATE'; readonly amount: 'DECIMAL(10, 2)' }>>(orders)

// 2. declared columns are typed references
expectType<Column<'user_id', 'BIGINT'>>(orders.user_id)

// 3. the sql tag accepts references and literals
expectType<Sql>(sql`SELECT ${orders.user_id}, ${1}, ${'x'}, ${null}, ${true}, ${10n}, ${new Date(0)} FROM ${orders}`)

// 4. a new builder is incomplete (and asynchronous until .sync())
const schemaOnly = mv('daily').schema('analytics')
expectType<NewMvBuilder<'daily'>>(mv('daily'))
expectType<MvBuilder<InitialMvState<'daily'>, 'async'>>(mv('daily'))
expectType<MvBuilder<InitialMvState<'daily'> & SchemaAttr<'analytics'>, 'async'>>(mv('daily').schema('analytics'))
// the state and kind a builder carries (type-only members)
expectType<InitialMvState<'daily'> & SchemaAttr<'analytics'>>(typeOf<StateOf<typeof schemaOnly>>())
expectType<'async'>(typeOf<KindOf<typeof schemaOnly>>())
expectType<'sync'>(typeOf<KindOf<ReturnType<typeof schemaOnly.sync>>>())


// 5. every method keeps an incomplete builder incomplete
const incomplete = mv('daily')
    .schema('analytics')
    .columns('d', { name: 'total', comment: 'sum' })
    .comment('c')
    .partitionBy('d')
    .distributedBy.hash(['d'], { buckets: 8 })
    .orderBy('d')
    .refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })
    .properties({ replication_num: 1 })
expectAssignable<MvBuilder<MvState, 'async'>>(incomplete)
expectNotAssignable<MvBuilder<MvState, 'sync'>>(incomplete)
expectNotAssignable<MaterializedView>(incomplete)

// 6. .as() makes a MaterializedView
const daily = mv('daily_sales_mv').schema('analytics').as(sql`SELECT ${orders.order_date} FROM ${orders}`)
expectType<MaterializedView<InitialMvState<'daily_sales_mv'> & SchemaAttr<'analytics'>, 'async'>>(daily)

// 7. methods after .as() keep it complete (any order)
expectAssignable<MaterializedView<MvState, 'async'>>(daily.refresh.manual({ deferred: true }).distributedBy.random({ buckets: 2 }).comment('x'))

// 8. the definition is plain data
expectType<MvDefinition>(daily.definition)

// 9. toSQL renders a string for a version
expectType<string>(daily.toSQL({ version: '4.1', ifNotExists: true }))

// 10. an MV interpolates into another MV's query
expectType<Sql>(sql`SELECT * FROM ${daily}`)
expectType<MaterializedView<InitialMvState<'top'>, 'async'>>(mv('top').as(sql`SELECT * FROM ${daily}`))

// 11. properties: numbers, booleans, enumerations, session keys, the escape hatch
expectAssignable<MaterializedView<MvState, 'async'>>(
  mv('p')
    .properties(
      { partition_refresh_number: 2, force_external_table_query_rewrite: true, storage_medium: 'SSD', 'session.query_timeout': 600, 'session.enable_spill': true },
      { unknown: { my_prop: 'x' }, alterable: ['my_prop'] },
    )
    .as('SELECT 1'),
)
expectType<'strict' | 'adaptive' | undefined>(typeOf<MvProperties['partition_refresh_strategy']>())

// 12. a sync MV and intent methods
expectAssignable<MaterializedView<MvState, 'sync'>>(mv('r').sync().renamedFrom('old_r').rebuild('swap').as('SELECT k, sum(v) FROM t GROUP BY k'))
expectNotAssignable<MaterializedView<MvState, 'async'>>(mv('r').sync().as('SELECT k, sum(v) FROM t GROUP BY k'))

// 13. alter() takes an MV, a definition, a qualified name or a string
expectType<MvAlter>(alter(daily))
expectType<MvAlter>(alter(daily.definition))
expectType<MvAlter>(alter({ schema: 'analytics', name: 'daily_sales_mv' }))
expectType<MvAlter>(alter('analytics.daily_sales_mv'))

// 14. legal ALTERs chain and render one statement each
expectType<string[]>(
  alter(daily)
    .refresh.async({ every: '1 HOUR' })
    .refresh.manual()
    .set({ partition_ttl_number: 30, partition_refresh_strategy: 'adaptive', 'session.insert_timeout': 3600 })
    .set({}, { unknown: { my_prop: 'y' } })
    .rename('daily_v2')
    .inactive()
    .active()
    .swapWith(daily)
    .swapWith('other_mv')
    .toStatements({ version: '3.5' }),
)
expectNotDeprecated(alter(daily).set)

// 15. the changes are plain data for op.alterMaterializedView
expectType<readonly AlterChange[]>(alter(daily).active().changes)
expectType<QualifiedName>(alter(daily).target)

// 16. alterable property types
expectType<number | `${bigint}` | undefined>(typeOf<AlterableProperties['partition_ttl_number']>())
expectAssignable<AlterableProperties>({ resource_group: 'rg', excluded_trigger_tables: 'a,b', 'session.query_timeout': 60 })

// 17. guards and conversions
const unknownValue: unknown = daily
if (isMaterializedView(unknownValue)) expectType<MaterializedView>(unknownValue)
expectType<MvDefinition>(toDefinition(daily))
expectType<string>(renderCreate(daily.definition, { version: '3.5' }))

// the Python dialect's values: numbers and flags as the strings the server prints
expectAssignable<MvBuilder<MvState, 'async'>>(mv('py').properties({ replication_num: '1', partition_refresh_number: '-1', force_external_table_query_rewrite: 'true' }))

// typed columns in the column list, as in the other clauses
expectAssignable<MvBuilder<MvState, 'async'>>(mv('cols').columns(orders.user_id, 'total', { name: 'n', comment: 'count' }))

// table aliases: typed columns under the alias
const aliased = orders.as('o')
expectType<Column<'user_id', 'BIGINT'>>(aliased.user_id)
expectType<Sql>(sql`SELECT ${aliased.user_id} FROM ${aliased}`)

// a synchronous MV goes wherever an MV goes
const rollup = mv('rollup').sync().properties({ replication_num: 1 }).as(sql`SELECT ${orders.user_id}, SUM(${orders.amount}) FROM ${orders} GROUP BY ${orders.user_id}`)
expectAssignable<MaterializedView>(rollup)
expectType<MvDefinition>(toDefinition(rollup))
expectType<MvDefinition>(rollup.definition)
expectAssignable<MvBuilder>(mv('b').sync())
// code over any MV (kind unknown) keeps every method; sync and async MVs share one list
const anyMv = (m: MaterializedView): MaterializedView => m.refresh.manual()
expectAssignable<MaterializedView[]>([daily, rollup])
expectType<MaterializedView>(anyMv(daily))

// a table of an external catalog: a typed reference like any unmanaged table
const extOrders = table('orders', { id: 'BIGINT', amount: 'DECIMAL(10, 2)' }, { catalog: 'hive', schema: 'sales' })
expectType<Table<'orders', { readonly id: 'BIGINT'; readonly amount: 'DECIMAL(10, 2)' }>>(extOrders)
expectType<Column<'amount', 'DECIMAL(10, 2)'>>(extOrders.amount)
// the internal catalog may be named on a managed table
table('internal_orders', { id: 'BIGINT' }, { catalog: 'default_catalog', schema: 'shop', primaryKey: ['id'] })

// a step called on a union of builders returns the union of their next builders
declare const either: boolean
expectType<MvBuilder<InitialMvState<'a'> & CommentAttr<'c'>, 'async'> | MvBuilder<InitialMvState<'b'> & SyncAttr & CommentAttr<'c'>, 'sync'>>(
  (either ? mv('a') : mv('b').sync()).comment('c'),
)
expectType<MvBuilder<InitialMvState<'a'> & HashAttr<'k', undefined>, 'async'> | MvBuilder<InitialMvState<'b'> & CommentAttr<'c'> & HashAttr<'k', undefined>, 'async'>>(
  (either ? mv('a') : mv('b').comment('c')).distributedBy.hash('k'),
)
// any builder, complete or not
const commented = (c: MvChain) => c.comment('x')
expectAssignable<MvChain>(commented(mv('a')))
// helpers generic in their builder: given a builder, the next builder of that builder; inside, the
// next builder of the constraint, whose .refresh and .distributedBy are those of its kind
const standardComment = <B extends MvBuilder>(b: B) => b.comment('standard')
expectType<MvBuilder<InitialMvState<'h'> & CommentAttr<'standard'>, 'async'>>(standardComment(mv('h')))
const manualRandom = <B extends MvBuilder>(b: B) => b.comment('x').refresh.manual().distributedBy.random({ buckets: 2 })
expectAssignable<MvBuilder<MvState, 'async'>>(manualRandom(mv('h')))
const completeManual = <M extends MaterializedView<MvState, 'async'>>(m: M) => m.properties({ replication_num: 1 }).refresh.manual()
expectAssignable<MaterializedView<MvState, 'async'>>(completeManual(mv('h').as('SELECT 1')))
