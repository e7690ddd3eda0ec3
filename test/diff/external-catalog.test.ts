import { describe, expect, it } from 'vitest'
import { compareQueries, dependencyGraph, dependencyOrder, diff, mvDependencies, parseState, serializeState, snapshot } from '../../src/diff/index.js'
import { MvDefinition, QualifiedName, SchemaState } from '../../src/model/index.js'
import { parseMaterializedView } from '../../src/reflect/index.js'
import { renderCreate } from '../../src/render/index.js'
import { mv, table, view } from '../../src/schema/index.js'
import { sql } from '../../src/sql/index.js'

const hiveOrders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', amount: 'DECIMAL(10, 2)' }, { catalog: 'hive', schema: 'sales' })
/** An internal MV with the same database and name as the Hive table it mirrors. */
const mirror = mv('orders').schema('sales').refresh.manual().as(sql`SELECT ${hiveOrders.id}, ${hiveOrders.user_id}, ${hiveOrders.amount} FROM ${hiveOrders}`)
const byUser = mv('orders_by_user')
  .schema('sales')
  .refresh.manual()
  .as(sql`SELECT ${hiveOrders.user_id}, sum(${hiveOrders.amount}) AS total FROM ${hiveOrders} GROUP BY ${hiveOrders.user_id}`)

describe('dependencies on a table of an external catalog', () => {
  it('records { catalog, schema, name } and keys it catalog.db.name', () => {
    expect(byUser.definition.dependencies).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
    expect(mvDependencies(byUser.definition)).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
    expect(QualifiedName.key(QualifiedName.create('orders', 'sales', 'hive'))).toBe('hive.sales.orders')
    expect(QualifiedName.create('orders', 'sales', 'default_catalog')).toEqual({ schema: 'sales', name: 'orders' })
    expect(QualifiedName.equals({ catalog: 'hive', schema: 'sales', name: 'orders' }, { schema: 'sales', name: 'orders' })).toBe(false)
    // a query given as text: the three-part name is read the same way
    const text = mv('t').schema('sales').refresh.manual().as('SELECT user_id FROM `hive`.`sales`.`orders`').definition
    expect(mvDependencies(text)).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
  })

  it('views record the catalog too', () => {
    const v = view('recent').schema('sales').as(sql`SELECT ${hiveOrders.id} FROM ${hiveOrders}`)
    expect(v.definition.dependencies).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
  })

  it('an internal MV mirroring an external table of the same db and name is no cycle', () => {
    expect(dependencyOrder([byUser.definition, mirror.definition]).map((d) => d.name)).toEqual(['orders', 'orders_by_user'])
    const plan = diff(SchemaState.empty(), snapshot([mirror, byUser]))
    expect(plan.problems).toEqual([])
    expect(plan.ops.map((o) => o.kind)).toEqual(['createMaterializedView', 'createMaterializedView'])
    const g = dependencyGraph(snapshot([mirror, byUser]))
    expect(g.nodes).toEqual([
      { key: 'hive.sales.orders', kind: 'table' },
      { key: 'sales.orders', kind: 'mv' },
      { key: 'sales.orders_by_user', kind: 'mv' },
    ])
    expect(g.edges).toEqual([
      { from: 'hive.sales.orders', to: 'sales.orders' },
      { from: 'hive.sales.orders', to: 'sales.orders_by_user' },
    ])
  })

  it('a reader of the external table is not ordered after, nor hit by dropping, the internal MV of that name', () => {
    const zeta = table('zeta', { k: 'INT' }, { catalog: 'iceberg', schema: 'sales' })
    const internalZeta = mv('zeta').schema('sales').refresh.manual().as('SELECT 1 AS k')
    const alpha = mv('alpha').schema('sales').refresh.manual().as(sql`SELECT ${zeta.k} FROM ${zeta}`)
    expect(dependencyOrder([internalZeta.definition, alpha.definition]).map((d) => d.name)).toEqual(['alpha', 'zeta'])
    const plan = diff(snapshot([internalZeta, alpha]), snapshot([alpha]))
    expect(plan.problems).toEqual([])
    expect(plan.ops.map((o) => o.kind)).toEqual(['dropMaterializedView'])
    // the internal MV still counts: a reader of sales.zeta is hit by the drop
    const reader = mv('beta').schema('sales').refresh.manual().as('SELECT k FROM sales.zeta')
    expect(diff(snapshot([internalZeta, reader]), snapshot([reader])).problems.map((p) => p.code)).toEqual(['MISSING_DEPENDENCY'])
  })
})

describe('snapshots', () => {
  it('keep the catalog through serialize and parse', () => {
    const state = snapshot([byUser])
    const back = parseState(serializeState(state))
    expect(back.mvs[0]?.dependencies).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
    expect(diff(back, state).ops).toEqual([])
  })

  it('written before catalogs were told apart read back unchanged, and the text says which table it is', () => {
    // a snapshot read from a server by an older version: `hive.sales.orders` recorded as sales.orders
    const old = JSON.stringify({
      kind: 'SchemaState',
      format: 1,
      mvs: [{
        kind: 'MvDefinition', name: 'orders', schema: 'sales', sync: false, refresh: { kind: 'manual', deferred: false },
        properties: {}, dependencies: [{ schema: 'sales', name: 'orders' }],
        query: 'SELECT `id` FROM `hive`.`sales`.`orders`',
      }],
    })
    const state = parseState(old)
    const recorded = state.mvs[0] as MvDefinition
    expect(recorded.dependencies).toEqual([{ schema: 'sales', name: 'orders' }])
    expect(mvDependencies(recorded)).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
    // so the MV is no cycle of its own, and dropping it plans cleanly
    expect(dependencyOrder(state.mvs).map((d) => d.name)).toEqual(['orders'])
    expect(diff(state, SchemaState.empty()).problems).toEqual([])
    // a recorded internal name that the text also reads as internal stays
    const both = MvDefinition.with(recorded, { name: 'both', query: 'SELECT 1 FROM `hive`.`sales`.`orders` JOIN `sales`.`orders` o ON 1 = 1' })
    expect(mvDependencies(both)).toEqual([{ schema: 'sales', name: 'orders' }, { catalog: 'hive', schema: 'sales', name: 'orders' }])
  })
})

describe('round trip through the DDL text (render, parse back, diff)', () => {
  it('an MV over hive.sales.orders parses back equal: no changes', () => {
    for (const version of ['3.1', '3.5', '4.1']) {
      const ddl = renderCreate(byUser.definition, { version })
      expect(ddl).toContain('FROM `hive`.`sales`.`orders` GROUP BY')
      const parsed = parseMaterializedView(ddl)
      expect(parsed.dependencies).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
      const plan = diff(snapshot([parsed]), snapshot([byUser]))
      expect(plan.changes).toEqual([])
      expect(plan.ops).toEqual([])
    }
  })

  it('SHOW CREATE text with the query qualified the way servers before 4.0.6 print it reads the same table', () => {
    const shown = [
      'CREATE MATERIALIZED VIEW `orders_by_user` (`user_id`, `total`)',
      'DISTRIBUTED BY RANDOM',
      'REFRESH MANUAL',
      'PROPERTIES (',
      '"replication_num" = "3",',
      '"replicated_storage" = "true",',
      '"storage_medium" = "HDD"',
      ')',
      'AS SELECT `hive`.`sales`.`orders`.`user_id`, sum(`hive`.`sales`.`orders`.`amount`) AS `total`',
      'FROM `hive`.`sales`.`orders`',
      'GROUP BY `hive`.`sales`.`orders`.`user_id`;',
    ].join('\n')
    const parsed = parseMaterializedView(shown)
    expect(parsed.dependencies).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
    expect(compareQueries(parsed.query, byUser.definition.query, 'full').equal).toBe(true)
    // the other form servers print: columns qualified with the table name only
    const tableQualified = parseMaterializedView([
      'CREATE MATERIALIZED VIEW `orders_by_user`',
      'COMMENT "MATERIALIZED_VIEW"',
      'DISTRIBUTED BY HASH(`user_id`) BUCKETS 4 ',
      'REFRESH MANUAL',
      'PROPERTIES (',
      '"replication_num" = "1"',
      ')',
      'AS SELECT `orders`.`user_id`, sum(`orders`.`amount`) AS `total`',
      'FROM `hive`.`sales`.`orders`',
      'GROUP BY `orders`.`user_id`;',
    ].join('\n'))
    expect(tableQualified.dependencies).toEqual([{ catalog: 'hive', schema: 'sales', name: 'orders' }])
    expect(compareQueries(tableQualified.query, byUser.definition.query, 'light').equal).toBe(true)
  })
})
