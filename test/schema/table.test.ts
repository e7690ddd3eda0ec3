import { describe, expect, expectTypeOf, it } from 'vitest'
import { isStarRocksMvError } from '../../src/errors.js'
import * as root from '../../src/index.js'
import { isManagedTable, table, tableDefinition, toTableDefinition } from '../../src/schema/index.js'
import { sql, tableInfo, type Column } from '../../src/sql/index.js'

describe('table(): unmanaged references stay as they were', () => {
  it('a bare table is a typed reference without a definition', () => {
    const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT' }, { schema: 'shop' })
    expect(isManagedTable(orders)).toBe(false)
    expect(sql`SELECT ${orders.user_id} FROM ${orders}`.toSQL()).toBe('SELECT `orders`.`user_id` FROM `shop`.`orders`')
    expect(orders[tableInfo]).toEqual({ name: 'orders', schema: 'shop', columns: { id: 'BIGINT', user_id: 'BIGINT' } })
    // Any type string is accepted for a reference (external catalogs print their own types).
    expect(() => table('ext', { payload: 'hive_struct_thing' })).not.toThrow()
    expectTypeOf(orders.user_id).toEqualTypeOf<Column<'user_id', 'BIGINT'>>()
  })

  it('the package root exports the managing table()', () => {
    expect(isManagedTable(root.table('t', { a: 'INT' }, { managed: true }))).toBe(true)
  })
})

describe('table(): managed tables', () => {
  const orders = table('orders', {
    id: { type: 'BIGINT', notNull: true },
    order_date: { type: 'DATE', notNull: true },
    amount: { type: 'DECIMAL(10,2)', default: 0, comment: 'money' },
    status: 'varchar(16)',
  }, {
    schema: 'shop', primaryKey: ['id', 'order_date'], partitionBy: { dateTrunc: 'month', column: 'order_date' },
    distributedBy: { hash: 'id', buckets: 8 }, properties: { replication_num: 1, enable_persistent_index: true, compression: 'zstd' },
  })

  it('keeps typed column references and carries a frozen definition', () => {
    expect(sql`SELECT ${orders.amount} FROM ${orders}`.toSQL()).toBe('SELECT `orders`.`amount` FROM `shop`.`orders`')
    expectTypeOf(orders.amount).toEqualTypeOf<Column<'amount', 'DECIMAL(10,2)'>>()
    expectTypeOf(orders.status).toEqualTypeOf<Column<'status', 'varchar(16)'>>()
    const def = toTableDefinition(orders)
    expect(Object.isFrozen(def)).toBe(true)
    expect(Object.isFrozen(def.columns[0])).toBe(true)
    expect(def).toEqual({
      kind: 'TableDefinition', name: 'orders', schema: 'shop',
      columns: [
        { name: 'id', type: 'BIGINT', nullable: false },
        { name: 'order_date', type: 'DATE', nullable: false },
        { name: 'amount', type: 'DECIMAL(10, 2)', nullable: true, default: { kind: 'value', value: '0' }, comment: 'money' },
        { name: 'status', type: 'VARCHAR(16)', nullable: true },
      ],
      key: { model: 'PRIMARY', columns: ['id', 'order_date'] },
      partitionBy: { kind: 'expression', expressions: ["date_trunc('month', `order_date`)"] },
      distribution: { kind: 'hash', columns: ['id'], buckets: 8 },
      properties: { replication_num: '1', enable_persistent_index: 'true', compression: 'ZSTD' },
    })
    expect(JSON.parse(JSON.stringify(def))).toEqual(def)
    expect(orders[tableDefinition]).toBe(def)
  })

  it('refuses bad input with INVALID_TABLE naming the table and the way out', () => {
    const bad = (f: () => unknown, message: RegExp): void => {
      try {
        f()
        expect.unreachable()
      } catch (e) {
        expect(isStarRocksMvError(e, 'INVALID_TABLE'), String(e)).toBe(true)
        expect((e as Error).message).toMatch(message)
      }
    }
    // @ts-expect-error two key models
    bad(() => table('t', { a: 'INT' }, { duplicateKey: ['a'], uniqueKey: ['a'] }), /^t: a table has one key model/)
    // @ts-expect-error a key column that is not declared
    bad(() => table('t', { a: 'INT' }, { schema: 'd', duplicateKey: ['b'] }), /^d\.t: duplicateKey names column "b"/)
    // @ts-expect-error a distribution column that is not declared
    bad(() => table('t', { a: 'INT' }, { distributedBy: { hash: 'zz' } }), /distributedBy\.hash names column "zz"/)
    // @ts-expect-error not a StarRocks type
    bad(() => table('t', { a: 'INTEGRAL(3' }, { managed: true }), /column "a"/)
    // @ts-expect-error an unknown property goes through unknownProperties
    bad(() => table('t', { a: 'INT' }, { properties: { no_such_thing: 1 } }), /unknownProperties/)
    // @ts-expect-error an enumeration value outside the catalog's
    bad(() => table('t', { a: 'INT' }, { properties: { storage_medium: 'TAPE' } }), /"HDD", "SSD"/)
    bad(() => table('t', { a: 'INT' }, { distributedBy: { random: true, buckets: 0 } }), /BUCKETS must be a whole number/)
    bad(() => table('t', { a: { type: 'INT', aggregate: 'SUM' } }, { managed: true }), /only AGGREGATE KEY tables/)
    bad(() => table('t', { a: 'DATE' }, { partitionBy: { range: ['a'], partitions: [{ name: 'p', lessThan: '2024-01-01' }, { name: 'P', lessThan: '2025-01-01' }] } }), /declared twice/)
    bad(() => table('t', { a: 'DATE', b: 'INT' }, { partitionBy: { list: ['a', 'b'], partitions: [{ name: 'p', values: ['x'] }] } }), /2 part\(s\)/)
    // @ts-expect-error an interval time_slice does not take
    bad(() => table('t', { a: 'DATETIME' }, { partitionBy: { timeSlice: 'an hour', column: 'a' } }), /timeSlice takes an interval/)
  })

  it('partition helpers build canonical expressions; a sql fragment is kept as written', () => {
    const t = table('t', { ts: 'DATETIME', r: 'VARCHAR(4)' }, { partitionBy: { timeSlice: '2 hour', column: 'ts' } })
    expect(toTableDefinition(t).partitionBy).toEqual({ kind: 'expression', expressions: ['time_slice(`ts`, INTERVAL 2 HOUR)'] })
    const u = table('t', { ts: 'DATETIME', r: 'VARCHAR(4)' }, { partitionBy: sql`date_trunc('day', ${sql.id('ts')})` })
    expect(toTableDefinition(u).partitionBy).toEqual({ kind: 'expression', expressions: ["date_trunc('day', `ts`)"] })
    const v = table('t', { ts: 'DATETIME', r: 'VARCHAR(4)' }, { partitionBy: { expressions: ['r', sql`date_trunc('month', ${sql.id('ts')})`] } })
    expect(toTableDefinition(v).partitionBy).toEqual({ kind: 'expression', expressions: ['`r`', "date_trunc('month', `ts`)"] })
    expect(() => table('t', { r: 'INT' }, { partitionBy: { expressions: [] } })).toThrow(/partitionBy.expressions needs at least one/)
    // @ts-expect-error a column the table does not declare
    expect(() => table('t', { r: 'INT' }, { partitionBy: { expressions: ['nope'] } })).toThrow(/names column "nope", which the table does not declare/)
  })
})
