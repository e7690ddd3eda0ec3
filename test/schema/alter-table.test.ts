import { describe, expect, it } from 'vitest'
import { op, reverse, toStatements } from '../../src/ops/index.js'
import { alterTable, table } from '../../src/schema/index.js'

const orders = table('orders', {
  id: { type: 'BIGINT', notNull: true },
  order_date: { type: 'DATE', notNull: true },
  amount: 'DECIMAL(10, 2)',
  note: 'VARCHAR(100)',
}, { schema: 'shop', primaryKey: ['id', 'order_date'], partitionBy: { dateTrunc: 'month', column: 'order_date' } })

describe('alterTable(): the legal ALTERs of a table, the rest refused at compile time', () => {
  it('column changes go in one statement, the others one each; RENAME last', () => {
    const a = alterTable(orders)
      .addColumn('channel', { type: 'VARCHAR(20)', comment: 'web' }, { after: 'amount' })
      .dropColumn('note')
      .modifyColumn('amount', 'DECIMAL(12, 2)')
      .set({ replication_num: 3, bloom_filter_columns: 'channel' })
      .comment('all orders')
      .orderBy('channel')
      .distributedBy.hash('id', { buckets: 16 })
      .rename('orders_v2')
    expect(a.toStatements()).toEqual([
      "ALTER TABLE `shop`.`orders` ADD COLUMN `channel` VARCHAR(20) NULL COMMENT 'web' AFTER `amount`, DROP COLUMN `note`, MODIFY COLUMN `amount` DECIMAL(12, 2) NULL",
      'ALTER TABLE `shop`.`orders` SET ("replication_num" = "3")',
      'ALTER TABLE `shop`.`orders` SET ("bloom_filter_columns" = "channel")',
      "ALTER TABLE `shop`.`orders` COMMENT = 'all orders'",
      'ALTER TABLE `shop`.`orders` ORDER BY (`channel`)',
      'ALTER TABLE `shop`.`orders` DISTRIBUTED BY HASH(`id`) BUCKETS 16',
      'ALTER TABLE `shop`.`orders` RENAME `orders_v2`',
    ])
  })

  it('on a managed table, drops and modifications record the previous column, so the op reverses', () => {
    const o = op.alterTable(alterTable(orders).dropColumn('note').modifyColumn('amount', 'DECIMAL(12, 2)'))
    expect(toStatements(reverse(o))).toEqual(['ALTER TABLE `shop`.`orders` MODIFY COLUMN `amount` DECIMAL(10, 2) NULL, ADD COLUMN `note` VARCHAR(100) NULL AFTER `amount`'])
    // An unmanaged reference knows only names: the drop cannot be undone.
    const ref = table('orders', { id: 'BIGINT', note: 'VARCHAR(100)' }, { schema: 'shop' })
    expect(() => reverse(op.alterTable(alterTable(ref).dropColumn('note')))).toThrow(/does not record the dropped column/)
  })

  it('refuses immutable edits at compile time and at run time', () => {
    const a = alterTable(orders)
    // @ts-expect-error the key model cannot be altered
    expect(() => a.primaryKey(['id'])).toThrow(/key model and key columns of a table cannot be altered/)
    // @ts-expect-error the partition scheme cannot be altered
    expect(() => a.partitionBy()).toThrow(/partition scheme/)
    // @ts-expect-error compression is create-only
    expect(() => a.set({ compression: 'ZSTD' })).toThrow(/can only be set when the table is created/)
    // @ts-expect-error no such column
    expect(() => a.dropColumn('nope')).toThrow(/no column "nope"/)
    // @ts-expect-error the column exists already
    expect(() => a.addColumn('amount', 'INT')).toThrow(/already has a column "amount"/)
    // a column added in the same builder can be referenced afterwards
    expect(a.addColumn('x', 'INT').orderBy('x').changes).toHaveLength(2)
  })
})
