import { describe, expect, it } from 'vitest'
import { alter, mv, op, reverse, sql, table, toStatements } from '../../src/index.js'
import { errorOf } from '../support/error-of.js'

const orders = table('orders', { id: 'BIGINT', amount: 'DECIMAL(10, 2)', dt: 'DATE' }, { schema: 'shop' })
const daily = mv('daily')
  .schema('shop')
  .columns('dt', 'total')
  .orderBy('dt')
  .refresh.manual()
  .as(sql`SELECT ${orders.dt}, sum(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.dt}`)

describe('alter(mv, { version }) on 4.2+: ADD COLUMN, DROP COLUMN, ORDER BY', () => {
  it('renders each as one statement, for the builder version by default', () => {
    const a = alter(daily, { version: '4.2' })
      .addColumn('orders_n', sql`count(${orders.id})`, { comment: 'orders' })
      .dropColumn('total')
      .orderBy('orders_n', 'dt')
    expect(a.toStatements()).toEqual([
      "ALTER MATERIALIZED VIEW `shop`.`daily` ADD COLUMN `orders_n` AS count(`orders`.`id`) COMMENT 'orders'",
      'ALTER MATERIALIZED VIEW `shop`.`daily` DROP COLUMN `total`',
      'ALTER MATERIALIZED VIEW `shop`.`daily` ORDER BY (`orders_n`, `dt`)',
    ])
    expect(a.changes[2]).toEqual({ kind: 'orderBy', columns: ['orders_n', 'dt'], previous: ['dt'] })
  })

  it('refuses to render them for an older target', () => {
    const a = alter(daily, { version: '4.2' }).dropColumn('total')
    const e = errorOf(() => a.toStatements({ version: '4.1' }))
    expect(e.code).toBe('UNSUPPORTED_IN_VERSION')
    expect(e.message).toContain('ALTER ... DROP COLUMN needs StarRocks 4.2 or newer, but the target version is 4.1')
  })

  it('throws at run time where the types refuse them', () => {
    for (const a of [alter(daily), alter(daily, { version: '4.1' })] as unknown as Record<string, (...x: unknown[]) => unknown>[]) {
      const add = errorOf(() => (a.addColumn as (...x: unknown[]) => unknown)('n', 'count(id)'))
      expect(add.code).toBe('IMMUTABLE_ATTRIBUTE')
      expect(add.message).toContain("ADD COLUMN on a materialized view needs StarRocks 4.2 or newer: build the alter with alter(mv, { version: '4.2' })")
      expect(errorOf(() => (a.dropColumn as (...x: unknown[]) => unknown)('total')).message).toContain('DROP COLUMN on a materialized view needs StarRocks 4.2 or newer')
      expect(errorOf(() => (a.orderBy as (...x: unknown[]) => unknown)('dt')).message).toContain('ORDER BY of a materialized view cannot be altered')
    }
  })

  it('checks names against the MV it was given', () => {
    expect(errorOf(() => alter(daily, { version: '4.2' }).addColumn('TOTAL', 'max(amount)')).message).toContain('already has a column "TOTAL"')
    expect(errorOf(() => alter(daily, { version: '4.2' }).dropColumn('nope')).message).toContain('has no column "nope" (it has dt, total)')
  })

  it('goes through op.alterMaterializedView, and reverses where the previous state is known', () => {
    const o = op.alterMaterializedView(alter(daily, { version: '4.2' }).addColumn('orders_n', 'count(id)').orderBy('orders_n'))
    expect(toStatements(reverse(o), { version: '4.2' })).toEqual([
      'ALTER MATERIALIZED VIEW `shop`.`daily` ORDER BY (`dt`)',
      'ALTER MATERIALIZED VIEW `shop`.`daily` DROP COLUMN `orders_n`',
    ])
    const dropInner = op.alterMaterializedView({ target: { schema: 'shop', name: 'daily' }, changes: [{ kind: 'dropColumn', name: 'dt', previous: { expression: 'dt', last: false } }] })
    expect(errorOf(() => reverse(dropInner)).message).toContain('was not the last one')
    const dropLast = op.alterMaterializedView({ target: { schema: 'shop', name: 'daily' }, changes: [{ kind: 'dropColumn', name: 'total', previous: { expression: 'sum(amount)', comment: 'c', last: true } }] })
    expect(toStatements(reverse(dropLast), { version: '4.2' })).toEqual(["ALTER MATERIALIZED VIEW `shop`.`daily` ADD COLUMN `total` AS sum(amount) COMMENT 'c'"])
    expect(errorOf(() => reverse(op.alterMaterializedView(alter('shop.daily', { version: '4.2' }).dropColumn('total')))).code).toBe('IRREVERSIBLE')
  })
})
