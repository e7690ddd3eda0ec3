import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalQuery, compareQueries, definitionChanges, dependencyOrder, diff } from '../../src/diff/index.js'
import { isStarRocksMvError } from '../../src/errors.js'
import { MvDefinition, SchemaState } from '../../src/model/index.js'
import { definitionToCode } from '../../src/ops/to-code.js'
import { daily, def } from './defs.js'

/*
 * A plan and its reverse (a migration's down()) compare and order the same definitions; the
 * comparisons of equal pairs, the canonical texts of changed queries and the dependency orders
 * are kept for the second. These tests pin that what is kept never changes a result.
 */

/** A copy of a definition that is not frozen: never kept, always compared afresh. */
const unfrozen = (d: MvDefinition): MvDefinition => JSON.parse(JSON.stringify(d)) as MvDefinition

const variant = fc.record({
  query: fc.constantFrom(daily.query, `${daily.query} `, 'SELECT  dt, sum(amount) AS total FROM shop.orders GROUP BY dt', 'SELECT dt FROM shop.orders'),
  comment: fc.constantFrom(undefined, '', 'daily totals'),
  buckets: fc.constantFrom(undefined, 8, 16),
  replication: fc.constantFrom(undefined, '1', '3'),
  ttl: fc.constantFrom(undefined, '2 MONTH', '3 MONTH'),
  refreshNumber: fc.constantFrom(undefined, '1', '-1'),
  refresh: fc.constantFrom<MvDefinition['refresh']>(undefined, { kind: 'manual', deferred: false }, daily.refresh),
})

const build = (v: typeof variant extends fc.Arbitrary<infer T> ? T : never): MvDefinition => {
  const properties: Record<string, string> = {}
  if (v.replication !== undefined) properties.replication_num = v.replication
  if (v.ttl !== undefined) properties.partition_ttl = v.ttl
  if (v.refreshNumber !== undefined) properties.partition_refresh_number = v.refreshNumber
  return MvDefinition.with(daily, {
    query: v.query,
    comment: v.comment,
    distribution: { kind: 'hash', columns: ['dt'], ...(v.buckets === undefined ? {} : { buckets: v.buckets }) },
    refresh: v.refresh,
    properties,
  })
}

describe('kept comparisons', () => {
  it('a snapshot comparison of frozen definitions gives what a fresh one gives, either way round and again', () => {
    fc.assert(
      fc.property(variant, variant, (va, vb) => {
        const a = build(va)
        const b = build(vb)
        for (const version of ['3.1', '3.5', '4.2']) {
          const fresh = definitionChanges(unfrozen(a), unfrozen(b), { version })
          const freshBack = definitionChanges(unfrozen(b), unfrozen(a), { version })
          // the comparison is symmetric in snapshot mode: what the kept pairs rely on
          expect(fresh.length === 0).toBe(freshBack.length === 0)
          expect(definitionChanges(a, b, { version })).toEqual(fresh)
          expect(definitionChanges(b, a, { version })).toEqual(freshBack)
          expect(definitionChanges(a, b, { version })).toEqual(fresh)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('a pair found equal for one version is compared again for another', () => {
    // partition_refresh_number defaults to 1 from 3.3 and to -1 before
    const a = MvDefinition.with(daily, { properties: {} })
    const b = MvDefinition.with(daily, { properties: { partition_refresh_number: '1' } })
    expect(definitionChanges(a, b, { version: '3.5' })).toEqual([])
    expect(definitionChanges(b, a, { version: '3.1' }).map((c) => c.kind)).toEqual(['propertyRemoved'])
    for (const version of ['3.5', '3.1', '3.5', '4.2', '3.1']) {
      expect(definitionChanges(a, b, { version })).toEqual(definitionChanges(unfrozen(a), unfrozen(b), { version }))
      expect(definitionChanges(b, a, { version })).toEqual(definitionChanges(unfrozen(b), unfrozen(a), { version }))
    }
  })

  it('live comparisons are never kept (they are not symmetric)', () => {
    const desired = MvDefinition.with(daily, { properties: {} })
    const reflected = MvDefinition.with(daily, { properties: { replication_num: '1' } })
    const there = definitionChanges(reflected, desired, { mode: 'live' })
    const back = definitionChanges(desired, reflected, { mode: 'live' })
    expect(there).toEqual([])
    expect(back).toEqual(definitionChanges(unfrozen(desired), unfrozen(reflected), { mode: 'live' }))
    expect(back.map((c) => c.kind)).toEqual(['propertyAdded'])
  })

  it('compareQueries gives the canonical texts, the same on every call; a text that does not tokenize throws every time', () => {
    const texts = fc.constantFrom('SELECT a FROM t', 'select  a from t', 'SELECT a FROM db.t', 'SELECT `a` FROM t -- x', 'SELECT b FROM t')
    fc.assert(
      fc.property(texts, texts, fc.constantFrom('light' as const, 'full' as const), (a, b, mode) => {
        const first = compareQueries(a, b, mode)
        expect(first.from).toBe(canonicalQuery(a, mode))
        expect(first.to).toBe(canonicalQuery(b, mode))
        expect(first.equal).toBe(canonicalQuery(a, mode) === canonicalQuery(b, mode))
        expect(compareQueries(a, b, mode)).toEqual(first)
        expect(compareQueries(b, a, mode)).toEqual({ ...first, from: first.to, to: first.from })
      }),
      { numRuns: 200 },
    )
    for (let i = 0; i < 2; i++) {
      let thrown: unknown
      try {
        compareQueries("SELECT 'open", 'SELECT 1', 'light')
      } catch (e) {
        thrown = e
      }
      expect(isStarRocksMvError(thrown) && thrown.code).toBe('PARSE_ERROR')
    }
  })

  it('a definition that holds a part that is not frozen is compared afresh (a frozen list may hold an object that is not)', () => {
    const column = { name: 'dt' }
    const distribution = { kind: 'hash' as const, columns: ['dt'] }
    // create() shares frozen parts as they are, so these stay editable inside a frozen definition
    const a = MvDefinition.with(daily, { columns: Object.freeze([column]), distribution: Object.freeze(distribution) })
    const b = MvDefinition.with(daily, { columns: [{ name: 'dt' }], distribution: { kind: 'hash', columns: ['dt'] } })
    expect(Object.isFrozen(a)).toBe(true)
    expect(definitionChanges(a, b)).toEqual([])
    column.name = 'day'
    distribution.columns[0] = 'other'
    const kinds = definitionChanges(a, b).map((c) => c.kind)
    expect(kinds).toEqual(definitionChanges(unfrozen(a), unfrozen(b)).map((c) => c.kind))
    expect(kinds.length).toBeGreaterThan(0)
  })

  it('the migration code of a definition that holds a part that is not frozen is written afresh', () => {
    const column = { name: 'dt' }
    const a = MvDefinition.with(daily, { columns: Object.freeze([column]) })
    expect(definitionToCode(a)).toContain(".columns('dt')")
    column.name = 'day'
    expect(definitionToCode(a)).toContain(".columns('day')")
    const b = MvDefinition.with(daily, { columns: [{ name: 'dt' }] })
    expect(definitionToCode(b)).toBe(definitionToCode(b))
  })

  it('a version given as an object is kept by its numbers, not by its text', () => {
    const a = MvDefinition.with(daily, { properties: {} })
    const b = MvDefinition.with(daily, { properties: { partition_refresh_number: '1' } })
    expect(definitionChanges(a, b, { version: { major: 3, minor: 5, patch: 0, text: 'prod' } })).toEqual([])
    expect(definitionChanges(a, b, { version: { major: 3, minor: 1, patch: 0, text: 'prod' } }).map((c) => c.kind)).toEqual(['propertyAdded'])
    expect(definitionChanges(a, b, { version: '3.5.0' })).toEqual([])
  })

  it('a mode compareQueries does not know (from JavaScript) is compared as before, not kept', () => {
    for (const mode of ['toString', '__proto__', 'other']) {
      const r = compareQueries('SELECT a FROM t', 'select a from t', mode as 'full')
      expect(r).toEqual(compareQueries('SELECT a FROM t', 'select a from t', mode as 'full'))
      expect(r.from).toBe(canonicalQuery('SELECT a FROM t', mode as 'full'))
    }
  })

  it('SELECT * against an expanded list is still decided on the tokens in full mode', () => {
    const r = compareQueries('SELECT * FROM t', 'SELECT a, b FROM t', 'full', { to: ['a', 'b'] })
    expect(r).toMatchObject({ equal: true, starExpansion: true })
    expect(compareQueries('SELECT * FROM t', 'SELECT a, b FROM t', 'full', { to: ['a', 'c'] }).equal).toBe(false)
  })
})

/** A chain of `n` MVs, each reading the next: the order is the list backwards. */
const chain = (n: number, prefix = 'c'): MvDefinition[] =>
  Array.from({ length: n }, (_, i) =>
    def({ name: `${prefix}${i}`, query: i + 1 < n ? `SELECT * FROM ${prefix}${i + 1}` : 'SELECT * FROM shop.orders', dependencies: [] }),
  )

describe('kept dependency orders', () => {
  it('an order is the same when asked again, and changing the array it returned changes nothing', () => {
    const defs = chain(80)
    const expected = defs.map((d) => d.name).reverse()
    for (let i = 0; i < 3; i++) {
      const order = dependencyOrder(defs)
      expect(order.map((d) => d.name)).toEqual(expected)
      order.reverse()
      order.length = 3
    }
  })

  it('a list that differs in one definition, or in the default schema, is ordered afresh', () => {
    const defs = chain(80)
    dependencyOrder(defs)
    // c40 now reads nothing: c40 … c79 no longer have to come before c0 … c39
    const changed = defs.map((d) => (d.name === 'c39' ? MvDefinition.with(d, { query: 'SELECT * FROM shop.orders' }) : d))
    const order = dependencyOrder(changed).map((d) => d.name)
    expect(order.indexOf('c39')).toBeLessThan(order.indexOf('c40'))
    expect(order).toEqual(dependencyOrder([...changed].reverse()).map((d) => d.name))

    // MVs without a database reading shop.u<i+1>: they read each other only when the default schema is shop
    const bare = chain(70, 'u').map((d, i) => MvDefinition.with(d, { schema: undefined, query: i + 1 < 70 ? `SELECT * FROM shop.u${i + 1}` : d.query }))
    const names = bare.map((d) => d.name)
    for (let i = 0; i < 2; i++) {
      expect(dependencyOrder(bare, { defaultSchema: 'shop' }).map((d) => d.name)).toEqual([...names].reverse())
      expect(dependencyOrder(bare).map((d) => d.name)).toEqual([...names].sort())
    }
  })

  it('the order is the smallest ready key first, kept for the same definitions in any order, never for a list with one twice', () => {
    const graph = fc.integer({ min: 64, max: 110 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        names: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => `k${String(i).padStart(3, '0')}`), { minLength: n, maxLength: n }),
        reads: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }),
        seed: fc.nat(),
      }),
    )
    fc.assert(
      fc.property(graph, ({ n, names, reads, seed }) => {
        // MV i reads MVs of smaller index (no cycle); names are shuffled, so key order is not read order
        const deps = reads.map((r, i) => (i === 0 ? [] : [...new Set(r.map((x) => names[x % i] as string))]))
        const defs = names.map((name, i) =>
          def({ name: `${name}_${seed}`, query: `SELECT * FROM shop.orders${(deps[i] ?? []).map((d) => ` JOIN ${d}_${seed}`).join('')}`, dependencies: [] }),
        )
        // the reference: Kahn's algorithm taking the smallest ready key each time, by scanning
        const left = new Set(defs.map((_, i) => i))
        const done = new Set<string>()
        const expected: string[] = []
        while (left.size > 0) {
          const ready = [...left].filter((i) => (deps[i] ?? []).every((d) => done.has(`${d}_${seed}`)))
          const next = ready.reduce((a, b) => ((defs[a] as MvDefinition).name < (defs[b] as MvDefinition).name ? a : b))
          left.delete(next)
          done.add((defs[next] as MvDefinition).name)
          expected.push(`shop.${(defs[next] as MvDefinition).name}`)
        }
        const keyOf = (d: MvDefinition): string => `${d.schema}.${d.name}`
        expect(dependencyOrder(defs).map(keyOf)).toEqual(expected)
        const shuffled = [...defs].sort((a, b) => (a.name.length % 3) - (b.name.length % 3) || (a.name < b.name ? 1 : -1))
        expect(dependencyOrder(shuffled).map(keyOf)).toEqual(expected)
        // one definition twice and another left out: not the kept definitions
        const twice = [defs[0] as MvDefinition, ...defs.slice(0, n - 1)]
        expect(dependencyOrder(twice).map(keyOf)).toEqual(expected.filter((k) => k !== keyOf(defs[n - 1] as MvDefinition)))
      }),
      { numRuns: 40 },
    )
  })

  it('definitions holding a part that is not frozen are not kept', () => {
    const deps = chain(70, 'g').map((d) => MvDefinition.with(d, { dependencies: Object.freeze([{ name: 'orders', schema: 'shop' }]) }))
    expect(dependencyOrder(deps).map((d) => d.name)).toEqual(deps.map((d) => d.name).reverse())
    // the recorded dependency of g69 is edited in place: g69 now reads g0, which reads it through g1 … g68
    const edited = deps[69]?.dependencies[0] as { name: string; schema?: string }
    edited.name = 'g0'
    let thrown: unknown
    try {
      dependencyOrder(deps)
    } catch (e) {
      thrown = e
    }
    expect(isStarRocksMvError(thrown) && thrown.code).toBe('DEPENDENCY_CYCLE')
  })

  it('definitions that are not frozen are not kept', () => {
    const defs = chain(70, 'f').map(unfrozen)
    expect(dependencyOrder(defs).map((d) => d.name)).toEqual(defs.map((d) => d.name).reverse())
    // the same objects, edited in place: the order follows the edit
    const last = defs[69] as unknown as { query: string }
    const first = defs[0] as unknown as { query: string }
    first.query = 'SELECT * FROM shop.orders'
    last.query = 'SELECT * FROM f0'
    const order = dependencyOrder(defs).map((d) => d.name)
    expect(order.indexOf('f0')).toBeLessThan(order.indexOf('f69'))
  })

  it('a cycle is still reported when an order of other lists is kept', () => {
    dependencyOrder(chain(80))
    const cyclic = chain(70, 'y').map((d) => (d.name === 'y69' ? MvDefinition.with(d, { query: 'SELECT * FROM y0' }) : d))
    let thrown: unknown
    try {
      dependencyOrder(cyclic)
    } catch (e) {
      thrown = e
    }
    expect(isStarRocksMvError(thrown) && thrown.code).toBe('DEPENDENCY_CYCLE')
  })

  it('a plan and its reverse are the same with orders kept as without', () => {
    const before = chain(90, 'p')
    const after = before.map((d, i) => (i % 10 === 0 ? MvDefinition.with(d, { comment: `changed ${i}` }) : d))
    const from = SchemaState.create(before)
    const to = SchemaState.create(after)
    const fresh = (s: SchemaState): SchemaState => SchemaState.create(s.mvs.map(unfrozen))
    dependencyOrder(before)
    dependencyOrder(after)
    expect(diff(from, to, { rebuild: 'swap' })).toEqual(diff(fresh(from), fresh(to), { rebuild: 'swap' }))
    expect(diff(to, from, { rebuild: 'swap' })).toEqual(diff(fresh(to), fresh(from), { rebuild: 'swap' }))
  })
})
