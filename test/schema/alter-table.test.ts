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

describe('alterTable(): partitions and indexes', () => {
  const events = table('events', {
    dt: { type: 'DATE', notNull: true },
    id: 'BIGINT',
    note: 'VARCHAR(100)',
  }, {
    schema: 'shop', duplicateKey: ['dt'], indexes: [{ name: 'ix_id', columns: 'id' }],
    partitionBy: { range: ['dt'], partitions: [{ name: 'p202401', lessThan: '2024-02-01' }] },
  })

  it('ADD / DROP PARTITION and ADD / DROP INDEX; on a managed table the drops record what they drop, so the op reverses', () => {
    const a = alterTable(events)
      .addPartition({ name: 'p202402', lessThan: '2024-03-01' })
      .dropPartition('p202401')
      .addIndex({ name: 'ix_note', columns: 'note', using: 'NGRAMBF', properties: { gram_num: 4 } })
      .dropIndex('ix_id')
    expect(a.toStatements()).toEqual([
      'ALTER TABLE `shop`.`events` DROP INDEX `ix_id`',
      'ALTER TABLE `shop`.`events` DROP PARTITION `p202401`',
      'ALTER TABLE `shop`.`events` ADD PARTITION `p202402` VALUES LESS THAN ("2024-03-01")',
      'ALTER TABLE `shop`.`events` ADD INDEX `ix_note` (`note`) USING NGRAMBF ("gram_num" = "4")',
    ])
    const o = op.alterTable(a)
    expect(toStatements(reverse(o))).toEqual([
      'ALTER TABLE `shop`.`events` DROP INDEX `ix_note`',
      'ALTER TABLE `shop`.`events` DROP PARTITION `p202402`',
      'ALTER TABLE `shop`.`events` ADD PARTITION `p202401` VALUES LESS THAN ("2024-02-01")',
      'ALTER TABLE `shop`.`events` ADD INDEX `ix_id` (`id`) USING BITMAP',
    ])
  })

  it('checks its input as table() does: index columns must exist, a LIST partition on a RANGE table is refused', () => {
    // @ts-expect-error an index on a column the table does not declare
    expect(() => alterTable(events).addIndex({ name: 'ix', columns: 'nope' })).toThrow(/does not declare/)
    expect(() => alterTable(events).addPartition({ name: 'p', values: ['x'] })).toThrow(/not LIST-partitioned/)
    const plain = table('regions', { region: 'VARCHAR(20)', city: 'VARCHAR(20)' }, { schema: 'shop' })
    expect(alterTable(plain).addPartition({ name: 'p_w', values: [['west', 'LA']] }).toStatements()).toEqual([
      'ALTER TABLE `shop`.`regions` ADD PARTITION `p_w` VALUES IN (("west", "LA"))',
    ])
  })
})
