import { describe, expect, it } from 'vitest'
import { dependencyGraph, dependencyOrder, diff, graph, mvDependencies, parseState, serializeState, snapshot } from '../../src/diff/index.js'
import { MvDefinition, SchemaState } from '../../src/model/index.js'
import type { Op } from '../../src/ops/op.js'
import { reverseAll } from '../../src/ops/reverse.js'
import { mv } from '../../src/schema/index.js'
import { sql, table } from '../../src/sql/index.js'

/** MVs whose queries are plain strings: no typed references record what they read. */
const base = mv('z_base').schema('analytics').refresh.manual().as('SELECT dt, sum(amount) AS total FROM analytics.orders GROUP BY dt')
const top = mv('a_top').schema('analytics').refresh.manual().as('SELECT sum(total) AS total FROM z_base')
const topmost = mv('a_topmost').schema('analytics').refresh.manual().as('SELECT total FROM analytics.a_top')
const named = (ops: readonly Op[]): string[] =>
  ops.map((o) =>
    o.kind === 'createMaterializedView'
      ? `create:${o.definition.name}`
      : o.kind === 'dropMaterializedView'
        ? `drop:${o.target.name}`
        : o.kind === 'alterMaterializedView'
          ? `alter:${o.target.name}:${o.changes.map((c) => c.kind).join('+')}`
          : `${o.kind}:${'target' in o ? o.target.name : ''}`,
  )

describe('a query given as a plain string yields its dependencies', () => {
  it('the differ reads them from the text; the builder records only typed references (they are part of migration checksums)', () => {
    expect(mvDependencies(base.definition)).toEqual([{ schema: 'analytics', name: 'orders' }])
    expect(mvDependencies(top.definition)).toEqual([{ name: 'z_base' }])
    expect(mvDependencies(mv('x').as("WITH c AS (SELECT * FROM t1) SELECT 'FROM t9' FROM c /* JOIN t8 */").definition)).toEqual([{ name: 't1' }])
    expect(top.definition.dependencies).toEqual([])
    // a fragment's typed references first, then names written into its text
    const orders = table('orders', { id: 'BIGINT' }, { schema: 'shop' })
    const both = mv('y').as(sql`SELECT ${orders.id} FROM ${orders} JOIN shop.users u ON u.id = ${orders.id}`).definition
    expect(both.dependencies).toEqual([{ schema: 'shop', name: 'orders' }])
    expect(mvDependencies(both)).toEqual([{ schema: 'shop', name: 'orders' }, { schema: 'shop', name: 'users' }])
  })

  it('definitions with the same query text each keep their own recorded dependencies', () => {
    const text = 'SELECT id FROM shop.users'
    const plain = mv('p').as(text).definition
    const recorded = MvDefinition.create({ ...plain, name: 'r', dependencies: [{ schema: 'shop', name: 'orders' }] })
    expect(mvDependencies(plain)).toEqual([{ schema: 'shop', name: 'users' }])
    expect(mvDependencies(recorded)).toEqual([{ schema: 'shop', name: 'orders' }, { schema: 'shop', name: 'users' }])
    expect(mvDependencies(mv('q').as(text).definition)).toEqual([{ schema: 'shop', name: 'users' }])
  })

  it('plans create what is read first (a_top reads z_base), drop readers first', () => {
    const up = diff(SchemaState.empty(), snapshot([top, base, topmost].map((m) => m.definition)))
    expect(up.problems).toEqual([])
    expect(named(up.ops)).toEqual(['create:z_base', 'create:a_top', 'create:a_topmost'])
    const down = diff(snapshot([top, base, topmost].map((m) => m.definition)), SchemaState.empty())
    expect(named(down.ops)).toEqual(['drop:a_topmost', 'drop:a_top', 'drop:z_base'])
  })

  it('states recorded without dependencies (older snapshots, hand-made definitions) are read from the query text', () => {
    const bare = [base, top, topmost].map((m) => MvDefinition.with(m.definition, { dependencies: [] }))
    const stored = parseState(serializeState(snapshot(bare)))
    expect(dependencyOrder(stored.mvs).map((d) => d.name)).toEqual(['z_base', 'a_top', 'a_topmost'])
    expect(named(diff(stored, SchemaState.empty()).ops)).toEqual(['drop:a_topmost', 'drop:a_top', 'drop:z_base'])
  })

  it('the graph shows the edges, unqualified names resolved against the MV\'s database', () => {
    const g = dependencyGraph(snapshot([base.definition, top.definition]))
    expect(g.edges).toEqual([
      { from: 'analytics.orders', to: 'analytics.z_base' },
      { from: 'analytics.z_base', to: 'analytics.a_top' },
    ])
    expect(graph(snapshot([base.definition, top.definition]))).toContain('-->')
    // no database on the MV: the connection's default database
    const loose = mv('r').as('SELECT * FROM s')
    expect(dependencyGraph([loose.definition, mv('s').as('SELECT 1 AS one').definition], { defaultSchema: 'db1' }).edges).toEqual([{ from: 'db1.s', to: 'db1.r' }])
  })
})

describe('readers of a rebuilt MV are re-activated on every rebuild path', () => {
  const before = snapshot([base, top, topmost].map((m) => m.definition))
  const changed = mv('z_base').schema('analytics').refresh.manual().comment('per day').as('SELECT dt, sum(amount) AS total FROM analytics.orders GROUP BY dt')
  const after = snapshot([changed, top, topmost].map((m) => m.definition))

  for (const rebuild of ['swap', 'drop-create'] as const) {
    it(`${rebuild}: up re-activates the readers (and their readers), in dependency order, after the rebuild`, () => {
      const up = diff(before, after, { rebuild })
      expect(up.problems).toEqual([])
      expect(up.reactivated).toEqual(['analytics.a_top', 'analytics.a_topmost'])
      expect(named(up.ops).slice(-2)).toEqual(['alter:a_top:active', 'alter:a_topmost:active'])
    })

    it(`${rebuild}: the plan back (the down of a rebuild) re-activates them too`, () => {
      const back = diff(after, before, { rebuild })
      expect(named(back.ops).slice(-2)).toEqual(['alter:a_top:active', 'alter:a_topmost:active'])
    })

    it(`${rebuild}: undoing the up op by op keeps the readers active (they are re-activated after the undone rebuild)`, () => {
      const up = diff(before, after, { rebuild })
      const undo = reverseAll(up.ops)
      expect(named(undo).slice(-2)).toEqual(['alter:a_top:active', 'alter:a_topmost:active'])
      expect(named(undo).some((n) => n.endsWith(':inactive'))).toBe(false)
    })
  }
})
