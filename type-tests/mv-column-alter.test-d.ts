/**
 * The alter builder follows the target version: `.addColumn()`, `.dropColumn()` and `.orderBy()`
 * exist only on `alter(mv, { version })` with a 4.2+ literal; elsewhere they are refusals whose
 * messages are pinned here.
 */
import { expectAssignable, expectError, expectType } from 'tsd'
import { alter, mv, sql, table, type MvAlter, type MvAlter42, type VersionAtLeast42 } from '../dist/index.js'
import { messageOf } from './helpers.js'

const orders = table('orders', { id: 'BIGINT', amount: 'DECIMAL(10, 2)', dt: 'DATE' }, { schema: 'shop' })
const m = mv('daily').schema('shop').refresh.manual().as(sql`SELECT ${orders.dt}, sum(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.dt}`)

type WayOut = 'rebuild it (drop + create, or build a new MV and SWAP WITH it).'

// Version literals at the type level
expectType<true>(typeOf<VersionAtLeast42<'4.2'>>())
expectType<true>(typeOf<VersionAtLeast42<'4.2.1-ee'>>())
expectType<true>(typeOf<VersionAtLeast42<'4.10'>>())
expectType<true>(typeOf<VersionAtLeast42<'26.2.0-ee'>>())
expectType<true>(typeOf<VersionAtLeast42<'main-d4df1c9'>>())
expectType<false>(typeOf<VersionAtLeast42<'4.1'>>())
expectType<false>(typeOf<VersionAtLeast42<'4.1.1-ee'>>())
expectType<false>(typeOf<VersionAtLeast42<'4'>>())
expectType<false>(typeOf<VersionAtLeast42<'3.5.17'>>())
expectType<false>(typeOf<VersionAtLeast42<string>>())

// 4.2+: the schema changes are methods, and chain with the rest
const a42 = alter(m, { version: '4.2' })
expectType<MvAlter42>(a42)
expectType<MvAlter42>(a42.addColumn('orders_n', sql`count(${orders.id})`, { comment: 'orders' }).set({ partition_ttl_number: 3 }))
expectType<MvAlter42>(a42.refresh.manual().dropColumn('total'))
expectType<MvAlter42>(alter(m, { version: '26.2.0-ee' }).orderBy('dt', 'total'))
expectAssignable<string[]>(a42.addColumn('n', 'count(id)').toStatements())
expectError(a42.orderBy())
expectError(a42.addColumn('n', 42))
// the rest stays refused
expectType<`The query of a materialized view cannot be altered: ${WayOut}`>(messageOf(a42.as))

// Before 4.2, and without a version: refusals that say why and what to do
const a41 = alter(m, { version: '4.1' })
expectType<MvAlter>(a41)
const plain = alter(m)
for (const a of [a41, plain]) {
  expectError(a.addColumn('n', 'count(id)'))
  expectError(a.dropColumn('total'))
  expectError(a.orderBy('dt'))
  expectType<`ADD COLUMN on a materialized view needs StarRocks 4.2 or newer: build the alter with alter(mv, { version: '4.2' }) (or the newer version you target), or ${WayOut}`>(messageOf(a.addColumn))
  expectType<`DROP COLUMN on a materialized view needs StarRocks 4.2 or newer: build the alter with alter(mv, { version: '4.2' }) (or the newer version you target), or ${WayOut}`>(messageOf(a.dropColumn))
  expectType<`ORDER BY of a materialized view cannot be altered: ${WayOut}`>(messageOf(a.orderBy))
}
// A version known only at run time is not 4.2+ at compile time
declare const someVersion: string
expectType<MvAlter>(alter(m, { version: someVersion }))

declare function typeOf<T>(): T
