import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dependencyGraph, dependencyKey, dependencyOrder, graph, mvDependencies, mvKey, snapshot } from '../../src/diff/index.js'
import { mvDependenciesAmong, mvNameSet } from '../../src/diff/dependency-order.js'
import { isStarRocksMvError } from '../../src/errors.js'
import { MvDefinition, SchemaState } from '../../src/model/index.js'
import { daily, def, monthly } from './defs.js'

describe('dependencyOrder', () => {
  it('puts an MV after what it reads, stable by key otherwise', () => {
    const a = def({ name: 'a', dependencies: [{ name: 'monthly' }] })
    expect(dependencyOrder([a, monthly, daily]).map((d) => d.name)).toEqual(['daily', 'monthly', 'a'])
  })

  it('resolves unqualified dependencies against the MV database, not another one', () => {
    const other = def({ name: 'daily', schema: 'other' })
    const reader = def({ name: 'a', schema: 'other', dependencies: [{ name: 'daily' }] })
    expect(dependencyOrder([reader, daily, other]).map((d) => `${d.schema}.${d.name}`)).toEqual(['other.daily', 'other.a', 'shop.daily'])
  })

  it('throws DEPENDENCY_CYCLE naming the cycle', () => {
    const x = def({ name: 'x', dependencies: [{ name: 'z' }] })
    const y = def({ name: 'y', dependencies: [{ name: 'x' }] })
    const z = def({ name: 'z', dependencies: [{ name: 'y' }] })
    let error: unknown
    try {
      dependencyOrder([x, y, z, daily])
    } catch (e) {
      error = e
    }
    expect(isStarRocksMvError(error, 'DEPENDENCY_CYCLE')).toBe(true)
    expect((error as Error).message).toContain('shop.x → shop.z → shop.y → shop.x')
    expect(() => dependencyOrder([def({ name: 's', dependencies: [{ name: 's' }] })])).toThrow(/shop\.s → shop\.s/)
  })

  it('orders every random DAG correctly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(20), { maxLength: 4 }), { minLength: 1, maxLength: 12 }), (deps) => {
        // MV i may read only MVs with a smaller index: always acyclic
        const defs: MvDefinition[] = deps.map((ds, i) =>
          def({ name: `m${i}`, dependencies: ds.filter((d) => d < i).map((d) => ({ name: `m${d}` })) }),
        )
        const order = dependencyOrder([...defs].reverse()).map((d) => d.name)
        const position = new Map(order.map((n, i) => [n, i]))
        for (const d of defs) for (const dep of d.dependencies) expect(position.get(dep.name)! < position.get(d.name)!).toBe(true)
      }),
    )
  })
})

describe('dependencyGraph and graph', () => {
  const state = snapshot([daily, monthly])

  it('has MVs and tables as nodes and an edge per read', () => {
    expect(dependencyGraph(state)).toEqual({
      nodes: [
        { key: 'shop.daily', kind: 'mv' },
        { key: 'shop.monthly', kind: 'mv' },
        { key: 'shop.orders', kind: 'table' },
      ],
      edges: [
        { from: 'shop.daily', to: 'shop.monthly' },
        { from: 'shop.orders', to: 'shop.daily' },
      ],
    })
  })

  it('prints Mermaid with rebuilt and inactive MVs marked', () => {
    expect(graph(state, { format: 'mermaid', rebuilt: ['shop.daily'], inactive: ['shop.monthly'] })).toBe(
      [
        'flowchart LR',
        '  n0["shop.daily<br/>(rebuilt)"]:::rebuilt',
        '  n1["shop.monthly<br/>(inactive)"]:::inactive',
        '  n2[("shop.orders")]:::table',
        '  n0 --> n1',
        '  n2 --> n0',
        '  classDef rebuilt fill:#fde68a,stroke:#b45309',
        '  classDef inactive fill:#fecaca,stroke:#b91c1c,stroke-dasharray:5 5',
        '  classDef table fill:#e5e7eb,stroke:#6b7280',
        '',
      ].join('\n'),
    )
  })

  it('prints DOT, taking inactive MVs from a reflected state, escaping quotes', () => {
    const reflected = SchemaState.create([daily, monthly, def({ name: 'we"ird' })], { status: { 'shop.monthly': { active: false } } })
    const dot = graph(reflected, { format: 'dot' })
    expect(dot).toContain('"shop.monthly" [label="shop.monthly\\n(inactive)", style="filled,dashed", fillcolor="#fecaca"];')
    expect(dot).toContain('"shop.orders" [label="shop.orders", shape=cylinder')
    expect(dot).toContain('"shop.daily" -> "shop.monthly";')
    expect(dot).toContain('"shop.we\\"ird"')
    expect(dot.startsWith('digraph srmv {')).toBe(true)
  })
})

describe('mvDependenciesAmong', () => {
  // what a plan looks up: the dependencies that are MVs of the state, by key
  const amongMvs = (d: MvDefinition, deps: readonly { name: string; schema?: string; catalog?: string }[], keys: ReadonlySet<string>): string[] =>
    deps.map((dep) => dependencyKey(d, dep)).filter((k) => keys.has(k)).sort()

  it('finds every MV the full read finds, without tokenizing texts that name none of them', () => {
    const names = ['m1', 'm_2', 'orders', 'x$y', 'a.b', 'M1', '1m', 'ü', 'sales']
    const word = fc.constantFrom(
      'SELECT', '*', 'FROM', 'JOIN', 'ON', ',', 'WHERE', '=', '1', '1.5', '(', ')', 'AS', 'hive', '.', 'default_catalog',
      ...names, ...names.map((n) => `\`${n}\``), '`m1``x`', "'m1'", '-- m1\n', '/* m1 */', '`x.m1`', 'm1x', 'xm1', '5m1', '$m1',
    )
    const query = fc.array(word, { minLength: 1, maxLength: 14 }).map((w) => w.join(' '))
    const mvName = fc.constantFrom(...names)
    const recorded = fc.array(fc.record({ name: mvName, schema: fc.constantFrom(undefined, 'shop', 'sales') }, { requiredKeys: ['name'] }), { maxLength: 2 })
    fc.assert(
      fc.property(fc.uniqueArray(mvName, { minLength: 1, maxLength: 5 }), query, recorded, (mvNames, text, deps) => {
        const mvs = mvNames.map((n) => def({ name: n, query: 'SELECT 1', dependencies: [] }))
        const reader = def({ name: 'reader', query: text, dependencies: deps.map((d) => (d.schema === undefined ? { name: d.name } : { name: d.name, schema: d.schema })) })
        const keys = new Set([...mvs, reader].map((m) => mvKey(m)))
        const set = mvNameSet([...mvs, reader])
        expect(amongMvs(reader, mvDependenciesAmong(reader, set), keys)).toEqual(amongMvs(reader, mvDependencies(reader), keys))
      }),
      { numRuns: 1000 },
    )
  })

  it('finds a name in a text read before the name was known', () => {
    const reader = def({ name: 'late_reader', query: 'SELECT * FROM shop.late_learned_mv', dependencies: [] })
    expect(mvDependenciesAmong(reader, mvNameSet([reader, def({ name: 'late_other_mv' })])).map((d) => d.name)).toEqual([])
    expect(mvDependenciesAmong(reader, mvNameSet([reader, def({ name: 'late_learned_mv' })])).map((d) => d.name)).toEqual(['late_learned_mv'])
    expect(mvDependenciesAmong(reader, mvNameSet([reader, def({ name: 'late_other_mv' })])).map((d) => d.name)).toEqual([])
  })

  it('still finds the names of a set made before the known names were emptied', () => {
    const reader = def({ name: 'epoch_reader', query: 'SELECT * FROM shop.epoch_early_mv', dependencies: [] })
    const early = mvNameSet([reader, def({ name: 'epoch_early_mv' })])
    const many = (prefix: string) => mvNameSet(Array.from({ length: 90_000 }, (_, i) => ({ name: `${prefix}_${i}` })))
    expect(many('epoch_fill_a')).toBeDefined()
    expect(many('epoch_fill_b')).toBeDefined()
    expect(many('epoch_fill_c')).toBeDefined()
    expect(mvDependenciesAmong(reader, early).map((d) => d.name)).toEqual(['epoch_early_mv'])
    expect(mvNameSet(Array.from({ length: 150_000 }, (_, i) => ({ name: `epoch_huge_${i}` })))).toBeUndefined()
  })

  it('gives nothing for a definition that names none of the MVs, and the recorded ones when it records one', () => {
    const tablesOnly = def({ name: 'tables_only', query: 'SELECT * FROM shop.orders', dependencies: [{ name: 'orders', schema: 'shop' }] })
    const recordsMv = def({ name: 'records_mv', query: 'SELECT * FROM shop.orders', dependencies: [{ name: 'orders', schema: 'shop' }, { name: 'm1', schema: 'shop' }] })
    const set = mvNameSet([tablesOnly, recordsMv, def({ name: 'm1' })])
    expect(mvDependenciesAmong(tablesOnly, set)).toEqual([])
    expect(mvDependenciesAmong(recordsMv, set).map((d) => d.name)).toEqual(['orders', 'm1'])
    expect(mvDependenciesAmong(tablesOnly, undefined).map((d) => d.name)).toEqual(['orders'])
  })

  it('orders by a recorded dependency whose name holds the database (hand-made definitions)', () => {
    const base = MvDefinition.create({ name: 'daily', schema: 'db', query: 'SELECT 1' })
    const top = MvDefinition.create({ name: 'a_top', query: 'SELECT * FROM v', dependencies: [{ name: 'db.daily' }] })
    expect(dependencyOrder([top, base]).map((d) => d.name)).toEqual(['daily', 'a_top'])
  })

  it('reads every text when a name is not a plain word, and skips the text otherwise', () => {
    const reader = def({ name: 'reader', query: 'SELECT * FROM shop.orders JOIN shop.m1 ON 1 = 1', dependencies: [] })
    expect(mvNameSet([reader, def({ name: 'a.b' })])).toBeUndefined()
    expect(mvDependenciesAmong(reader, mvNameSet([reader, def({ name: 'other' })])).map((d) => d.name)).toEqual([])
    expect(mvDependenciesAmong(reader, mvNameSet([reader, def({ name: 'm1' })])).map((d) => d.name)).toEqual(['orders', 'm1'])
  })
})
