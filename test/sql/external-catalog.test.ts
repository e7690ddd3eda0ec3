import { describe, expect, it } from 'vitest'
import { aliasTable, alterTable, isManagedTable, isStarRocksMvError, sql, table, tableInfo } from '../../src/index.js'
import { queryDependencies, queryTableReferences } from '../../src/sql/index.js'

describe('table() of an external catalog', () => {
  const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', amount: 'DECIMAL(10, 2)' }, { catalog: 'hive', schema: 'sales' })

  it('renders catalog.db.table, columns as for any table, and records the catalog', () => {
    const f = sql`SELECT ${orders.user_id}, sum(${orders.amount}) FROM ${orders} GROUP BY ${orders.user_id}`
    expect(f.toSQL()).toBe('SELECT `orders`.`user_id`, sum(`orders`.`amount`) FROM `hive`.`sales`.`orders` GROUP BY `orders`.`user_id`')
    expect(f.dependencies).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
    expect(orders[tableInfo]).toEqual({ name: 'orders', catalog: 'hive', schema: 'sales', columns: { id: 'BIGINT', user_id: 'BIGINT', amount: 'DECIMAL(10, 2)' } })
    expect(isManagedTable(orders)).toBe(false)
  })

  it('quotes every part through the one quoting function', () => {
    const odd = table('t`1', { a: 'INT' }, { catalog: 'my`cat', schema: 'd b' })
    expect(sql`${odd}`.toSQL()).toBe('`my``cat`.`d b`.`t``1`')
  })

  it('aliases render the three-part name with AS, columns under the alias, one dependency', () => {
    const o = orders.as('o')
    const p = aliasTable(orders, 'p')
    const f = sql`SELECT ${o.id} FROM ${o} JOIN ${p} ON ${o.user_id} = ${p.user_id}`
    expect(f.toSQL()).toBe('SELECT `o`.`id` FROM `hive`.`sales`.`orders` AS `o` JOIN `hive`.`sales`.`orders` AS `p` ON `o`.`user_id` = `p`.`user_id`')
    expect(f.dependencies).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
  })

  it('is a different dependency from the internal table of the same database and name', () => {
    const internal = table('orders', { id: 'BIGINT' }, { schema: 'sales' })
    const f = sql`SELECT 1 FROM ${internal} JOIN ${orders} ON ${internal.id} = ${orders.id}`
    expect(f.dependencies).toEqual([{ schema: 'sales', name: 'orders' }, { catalog: 'hive', schema: 'sales', name: 'orders' }])
  })

  it('default_catalog is the internal catalog: the same table as one without a catalog', () => {
    for (const catalog of ['default_catalog', 'DEFAULT_CATALOG']) {
      const t = table('orders', { id: 'BIGINT' }, { catalog, schema: 'shop' })
      expect(sql`${t}`.toSQL()).toBe('`shop`.`orders`')
      expect(sql`${t}`.dependencies).toEqual([{ schema: 'shop', name: 'orders' }])
      expect(t[tableInfo].catalog).toBeUndefined()
    }
    const managed = table('orders', { id: { type: 'BIGINT', notNull: true } }, { catalog: 'default_catalog', schema: 'shop', primaryKey: ['id'] })
    expect(isManagedTable(managed)).toBe(true)
    expect(sql`${managed}`.toSQL()).toBe('`shop`.`orders`')
  })

  it('refuses a catalog without its database, and an empty catalog', () => {
    expect(() => table('orders', { id: 'BIGINT' }, { catalog: 'hive' })).toThrow(/catalog 'hive' needs its database: .*schema: 'db'/)
    expect(() => table('orders', { id: 'BIGINT' }, { catalog: '', schema: 's' })).toThrow(/the catalog must be a non-empty string/)
  })

  it('refuses DDL options with an external catalog, naming the table and the way out', () => {
    const call = (): unknown => table('orders', { id: 'BIGINT' }, { catalog: 'hive', schema: 'sales', primaryKey: ['id'] } as never)
    let error: unknown
    try {
      call()
    } catch (e) {
      error = e
    }
    expect(isStarRocksMvError(error, 'INVALID_TABLE')).toBe(true)
    const message = (error as Error).message
    expect(message).toContain("table('orders')")
    expect(message).toContain("external catalog 'hive' cannot be managed")
    expect(message).toContain('primaryKey')
    expect(message).toContain("{ catalog: 'hive', schema: 'sales' }")
    expect(() => table('orders', { id: 'BIGINT' }, { catalog: 'iceberg', schema: 's', managed: true } as never)).toThrow(/cannot be managed/)
  })

  it('alterTable() refuses a table of an external catalog', () => {
    expect(() => alterTable(orders)).toThrow(/external catalog 'hive'/)
  })
})

describe('queryDependencies: three-part names', () => {
  it('reads catalog.db.table as a table of that catalog, not db.table', () => {
    expect(queryDependencies('SELECT * FROM hive.sales.orders o JOIN `iceberg`.`d`.`t` ON 1 = 1')).toEqual([
      { catalog: 'hive', schema: 'sales', name: 'orders' },
      { catalog: 'iceberg', schema: 'd', name: 't' },
    ])
    expect(queryTableReferences('SELECT * FROM hive.sales.orders').map((r) => [r.catalog, r.schema, r.name])).toEqual([['hive', 'sales', 'orders']])
  })

  it('keeps an external table and the internal one of the same db and name apart', () => {
    expect(queryDependencies('SELECT * FROM sales.orders a JOIN hive.sales.orders b ON a.id = b.id JOIN `hive`.`sales`.`orders` c ON 1 = 1')).toEqual([
      { schema: 'sales', name: 'orders' },
      { catalog: 'hive', schema: 'sales', name: 'orders' },
    ])
  })

  it('default_catalog.db.table is the internal db.table', () => {
    expect(queryDependencies('SELECT * FROM `default_catalog`.`shop`.`orders` JOIN shop.orders o2 ON 1 = 1')).toEqual([{ schema: 'shop', name: 'orders' }])
  })
})
