import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dependencyCycle, dependencyOrder, diff, snapshot, type DiffOptions, type RebuildOption } from '../../src/diff/index.js'
import { SchemaState, type MvDefinition } from '../../src/model/index.js'
import type { Op } from '../../src/ops/op.js'
import { toStatements } from '../../src/ops/to-statements.js'
import { daily, def, edit, monthly } from './defs.js'

const state = (...defs: MvDefinition[]): SchemaState => SchemaState.create(defs)
const kinds = (ops: readonly Op[]): string[] =>
  ops.map((o) => (o.kind === 'alterMaterializedView' ? `alter:${o.changes.map((c) => c.kind).join('+')}` : o.kind))
const plan = (from: MvDefinition[], to: MvDefinition[], options: DiffOptions = {}) => diff(state(...from), state(...to), options)

// -- immutable attributes: every one × every strategy
const immutableCases: { attribute: string; change: string; to: MvDefinition; kind: string }[] = [
  { attribute: 'query', change: 'changed', kind: 'queryChanged', to: edit(daily, { query: 'SELECT dt, sum(amount) AS total FROM shop.orders WHERE amount > 0 GROUP BY dt' }) },
  { attribute: 'columns', change: 'added', kind: 'columnsChanged', to: edit(daily, { columns: [{ name: 'dt' }, { name: 'total' }] }) },
  { attribute: 'comment', change: 'added', kind: 'commentChanged', to: edit(daily, { comment: 'Sales per day' }) },
  { attribute: 'partitionBy', change: 'changed', kind: 'partitionByChanged', to: edit(daily, { partitionBy: ["date_trunc('month', dt)"] }) },
  { attribute: 'partitionBy', change: 'removed', kind: 'partitionByChanged', to: edit(daily, { partitionBy: undefined }) },
  { attribute: 'distribution', change: 'changed', kind: 'distributionChanged', to: edit(daily, { distribution: { kind: 'random' } }) },
  { attribute: 'distribution', change: 'columns changed', kind: 'distributionChanged', to: edit(daily, { distribution: { kind: 'hash', columns: ['total'], buckets: 8 } }) },
  { attribute: 'buckets', change: 'changed', kind: 'bucketsChanged', to: edit(daily, { distribution: { kind: 'hash', columns: ['dt'], buckets: 16 } }) },
  { attribute: 'orderBy', change: 'added', kind: 'orderByChanged', to: edit(daily, { orderBy: ['dt'] }) },
  { attribute: 'property replication_num', change: 'changed', kind: 'propertyChanged', to: edit(daily, { properties: { ...daily.properties, replication_num: '3' } }) },
  { attribute: 'property storage_medium', change: 'added', kind: 'propertyAdded', to: edit(daily, { properties: { ...daily.properties, storage_medium: 'SSD' } }) },
  { attribute: 'property partition_ttl', change: 'removed', kind: 'propertyRemoved', to: edit(daily, { properties: { replication_num: '1', task_priority: '5' } }) },
  { attribute: 'property x_unknown', change: 'added (unknown keys are create-only)', kind: 'propertyAdded', to: edit(daily, { properties: { ...daily.properties, x_unknown: '1' } }) },
]

describe('immutable attribute × strategy', () => {
  for (const c of immutableCases) {
    describe(`${c.attribute} ${c.change}`, () => {
      it('error: one problem naming the MV, attribute, old and new value and the ways out; no ops', () => {
        const r = plan([daily], [c.to])
        expect(r.changes.map((x) => x.kind)).toEqual([c.kind])
        expect(r.ops).toEqual([])
        expect(r.problems).toHaveLength(1)
        const p = r.problems[0]
        expect(p).toMatchObject({ code: 'IMMUTABLE_CHANGE', mv: 'shop.daily', attribute: c.attribute })
        expect(p?.message).toContain('shop.daily')
        expect(p?.message).toContain('--rebuild swap')
        expect(p?.message).toContain('--rebuild drop-create')
        expect(p?.message).toContain(".rebuild('swap')")
        expect(p?.message).toContain('new name')
        if (p?.from !== undefined) expect(p.message).toContain(c.kind === 'queryChanged' ? '+WHERE amount > 0' : p.from)
      })

      it('drop-create: drop (carrying the old definition), then create the new one', () => {
        const r = plan([daily], [c.to], { rebuild: 'drop-create' })
        expect(r.problems).toEqual([])
        expect(kinds(r.ops)).toEqual(['dropMaterializedView', 'createMaterializedView'])
        expect(r.ops[0]).toMatchObject({ target: { schema: 'shop', name: 'daily' }, definition: daily })
        expect(r.ops[1]).toMatchObject({ definition: c.to })
        expect(r.rebuilt).toEqual(['shop.daily'])
      })

      it('swap: create under the temporary name, refresh and wait, SWAP WITH, drop the old copy', () => {
        const r = plan([daily], [c.to], { rebuild: 'swap' })
        expect(r.problems).toEqual([])
        expect(kinds(r.ops)).toEqual(['createMaterializedView', 'refreshMaterializedView', 'alter:swap', 'dropMaterializedView'])
        const [create, refresh, swap, drop] = r.ops as [Op, Op, Op, Op]
        if (create.kind !== 'createMaterializedView' || drop.kind !== 'dropMaterializedView') throw new Error('unexpected ops')
        expect(create.definition.name).toBe('daily__srmv_new')
        expect(create.definition.query).toBe(c.to.query)
        expect(create.definition.refresh).toMatchObject({ deferred: true })
        expect(refresh).toMatchObject({ target: { schema: 'shop', name: 'daily__srmv_new' }, wait: true })
        expect(swap).toMatchObject({ target: { schema: 'shop', name: 'daily' }, changes: [{ kind: 'swap', other: 'daily__srmv_new' }] })
        expect(drop.target).toEqual({ schema: 'shop', name: 'daily__srmv_new' })
        expect(drop.definition?.query).toBe(daily.query)
        expect(drop.definition?.name).toBe('daily__srmv_new')
      })
    })
  }

  it('sync changed: drop-create works, swap is refused (SWAP WITH is for async MVs)', () => {
    const sync = edit(daily, { sync: true, refresh: undefined, distribution: undefined, partitionBy: undefined })
    expect(kinds(plan([daily], [sync], { rebuild: 'drop-create' }).ops)).toEqual(['dropMaterializedView', 'createMaterializedView'])
    const swap = plan([daily], [sync], { rebuild: 'swap' })
    expect(swap.ops).toEqual([])
    expect(swap.problems.map((p) => p.code)).toEqual(['SWAP_UNSUPPORTED'])
    expect(swap.problems[0]?.message).toContain('drop-create')
  })

  it('swap before 3.1 is a problem that points to drop-create', () => {
    const r = plan([daily], [immutableCases[0]?.to as MvDefinition], { rebuild: 'swap', version: '3.0' })
    expect(r.ops).toEqual([])
    expect(r.problems.map((p) => p.code)).toEqual(['SWAP_UNSUPPORTED'])
    expect(r.problems[0]?.message).toMatch(/3\.0.*3\.1/)
  })

  it("the MV's own rebuild intent overrides the global strategy", () => {
    const to = edit(daily, { comment: 'x', rebuild: 'swap' })
    expect(kinds(plan([daily], [to]).ops)).toEqual(['createMaterializedView', 'refreshMaterializedView', 'alter:swap', 'dropMaterializedView'])
    const dc = edit(daily, { comment: 'x', rebuild: 'drop-create' })
    expect(kinds(plan([daily], [dc], { rebuild: 'swap' }).ops)).toEqual(['dropMaterializedView', 'createMaterializedView'])
    // intents never reach the ops
    const created = plan([daily], [dc]).ops[1]
    expect(created?.kind === 'createMaterializedView' && created.definition.rebuild).toBe(undefined)
  })

  it('a configurable temporary suffix; a taken temporary name is a problem', () => {
    const to = edit(daily, { comment: 'x' })
    const r = plan([daily], [to], { rebuild: 'swap', tempSuffix: '_next' })
    expect(r.ops[0]?.kind === 'createMaterializedView' && r.ops[0].definition.name).toBe('daily_next')
    const taken = def({ name: 'daily__srmv_new' })
    const t = plan([daily, taken], [to, taken], { rebuild: 'swap' })
    expect(t.problems.map((p) => p.code)).toEqual(['TEMP_NAME_TAKEN'])
  })

  it('several immutable changes give one problem each, and one rebuild', () => {
    const to = edit(daily, { comment: 'x', orderBy: ['dt'], query: 'SELECT 1 AS one' })
    expect(plan([daily], [to]).problems.map((p) => p.attribute).sort()).toEqual(['comment', 'orderBy', 'query'])
    expect(kinds(plan([daily], [to], { rebuild: 'drop-create' }).ops)).toEqual(['dropMaterializedView', 'createMaterializedView'])
  })

  it('swap plans render to StarRocks SQL', () => {
    const r = plan([daily], [edit(daily, { comment: 'x' })], { rebuild: 'swap' })
    const sql = toStatements(r.ops, { version: '3.5' })
    expect(sql[0]).toMatch(/^CREATE MATERIALIZED VIEW `shop`\.`daily__srmv_new`/)
    expect(sql[0]).toContain('REFRESH DEFERRED ASYNC')
    expect(sql[1]).toBe('REFRESH MATERIALIZED VIEW `shop`.`daily__srmv_new` WITH SYNC MODE')
    expect(sql[2]).toBe('ALTER MATERIALIZED VIEW `shop`.`daily` SWAP WITH `daily__srmv_new`')
    expect(sql[3]).toBe('DROP MATERIALIZED VIEW `shop`.`daily__srmv_new`')
  })
})

// -- alterable changes: the same ops whatever the strategy
const alterableCases: { name: string; to: MvDefinition; version?: string; expected: unknown[] }[] = [
  {
    name: 'refresh changed',
    to: edit(daily, { refresh: { kind: 'manual', deferred: false } }),
    expected: [{ kind: 'refresh', refresh: { kind: 'manual', deferred: false }, previous: daily.refresh }],
  },
  {
    name: 'alterable property added',
    to: edit(daily, { properties: { ...daily.properties, task_retry_attempts: '3' } }),
    expected: [{ kind: 'set', properties: { task_retry_attempts: '3' }, previous: { task_retry_attempts: null } }],
  },
  {
    name: 'alterable property changed',
    to: edit(daily, { properties: { ...daily.properties, task_priority: '7' } }),
    expected: [{ kind: 'set', properties: { task_priority: '7' }, previous: { task_priority: '5' } }],
  },
  {
    name: 'alterable property removed: reset to the catalog default',
    to: edit(daily, { properties: { replication_num: '1', partition_ttl: '2 MONTH' } }),
    expected: [{ kind: 'set', properties: { task_priority: '0' }, previous: { task_priority: '5' } }],
  },
  {
    name: 'version-dependent default (partition_refresh_number before 3.3)',
    to: daily,
    version: '3.2',
    expected: [{ kind: 'set', properties: { partition_refresh_number: '-1' }, previous: { partition_refresh_number: '4' } }],
  },
  {
    name: 'session property added',
    to: edit(daily, { properties: { ...daily.properties, 'session.query_timeout': '600' } }),
    expected: [{ kind: 'set', properties: { 'session.query_timeout': '600' }, previous: { 'session.query_timeout': null } }],
  },
  {
    name: 'escape-hatch property declared alterable',
    to: edit(daily, { properties: { ...daily.properties, x_new: '2' }, alterableProperties: ['x_new'] }),
    expected: [{ kind: 'set', properties: { x_new: '2' }, previous: { x_new: null } }],
  },
  {
    name: 'refresh and several properties: one REFRESH, one SET',
    to: edit(daily, { refresh: { kind: 'async', deferred: false }, properties: { ...daily.properties, task_priority: '9', resource_group: 'rg1' } }),
    expected: [
      { kind: 'refresh', refresh: { kind: 'async', deferred: false }, previous: daily.refresh },
      { kind: 'set', properties: { resource_group: 'rg1', task_priority: '9' }, previous: { resource_group: null, task_priority: '5' } },
    ],
  },
]

describe('alterable change × strategy', () => {
  for (const c of alterableCases) {
    for (const rebuild of ['error', 'drop-create', 'swap'] as RebuildOption[]) {
      it(`${c.name} (${rebuild})`, () => {
        const from = c.name.startsWith('version-dependent') ? edit(daily, { properties: { ...daily.properties, partition_refresh_number: '4' } }) : daily
        const r = plan([from], [c.to], { rebuild, ...(c.version === undefined ? {} : { version: c.version }) })
        expect(r.problems).toEqual([])
        expect(r.ops).toEqual([{ kind: 'alterMaterializedView', target: { schema: 'shop', name: 'daily' }, changes: c.expected }])
        expect(r.rebuilt).toEqual([])
      })
    }
  }

  it('a removed property without a known default is a problem that says so', () => {
    const from = edit(daily, { properties: { ...daily.properties, mv_rewrite_staleness_second: '60', 'session.query_timeout': '600' } })
    const r = plan([from], [daily])
    expect(r.ops).toEqual([])
    expect(r.problems.map((p) => [p.code, p.attribute])).toEqual([
      ['UNRESETTABLE_PROPERTY', 'property mv_rewrite_staleness_second'],
      ['UNRESETTABLE_PROPERTY', 'property session.query_timeout'],
    ])
    expect(r.problems[0]?.message).toContain('cannot unset')
    // a rebuild makes it moot
    expect(plan([from], [edit(daily, { comment: 'x' })], { rebuild: 'drop-create' }).problems).toEqual([])
  })

  it('a property set to its default, or a default removed, is no change', () => {
    expect(plan([daily], [edit(daily, { properties: { ...daily.properties, storage_medium: 'HDD' } })]).changes).toEqual([])
    expect(plan([edit(daily, { properties: { ...daily.properties, task_retry_attempts: '0' } })], [daily]).changes).toEqual([])
  })

  it('IMMEDIATE/DEFERRED is not a change (it only acts at creation)', () => {
    expect(plan([daily], [edit(daily, { refresh: { kind: 'async', deferred: true, every: { value: 1, unit: 'DAY' } } })]).changes).toEqual([])
  })

  it('whitespace, comments, keyword case and back-quotes in the query are no change', () => {
    const to = edit(daily, { query: 'select  `dt`, SUM(amount) as total -- per day\nfrom shop.`orders` group by dt;' })
    expect(plan([daily], [to]).changes).toEqual([])
  })
})

describe('added, removed, fixed points', () => {
  it('diff(s, s) is empty, in both compare modes', () => {
    const s = snapshot([daily, monthly, def({ name: 'sync_rollup', sync: true })])
    for (const compare of ['snapshot', 'live'] as const) {
      const r = diff(s, s, { compare })
      expect(r).toMatchObject({ ops: [], problems: [], changes: [] })
    }
  })

  it('a new MV is created; a removed one is dropped with its definition', () => {
    const r = plan([daily], [daily, monthly])
    expect(r.ops).toEqual([{ kind: 'createMaterializedView', definition: monthly, ifNotExists: false }])
    const d = plan([daily, monthly], [daily])
    expect(d.ops).toEqual([{ kind: 'dropMaterializedView', target: { schema: 'shop', name: 'monthly' }, ifExists: false, force: false, definition: monthly }])
  })

  it('a removed MV that something still reads is a problem', () => {
    const r = plan([daily, monthly], [monthly])
    expect(r.problems.map((p) => [p.code, p.mv])).toEqual([['MISSING_DEPENDENCY', 'shop.monthly']])
  })

  it('ops are frozen plain data that survive JSON', () => {
    const r = plan([daily], [edit(daily, { comment: 'x' })], { rebuild: 'swap' })
    expect(Object.isFrozen(r.ops[0])).toBe(true)
    expect(JSON.parse(JSON.stringify(r.ops))).toEqual(r.ops)
  })
})

describe('renames: from hints only', () => {
  const renamed = edit(daily, { name: 'daily_sales', renamedFrom: 'daily' })

  it('a renamedFrom hint renames', () => {
    const r = plan([daily], [renamed])
    expect(r.changes.map((c) => c.kind)).toEqual(['renamed'])
    expect(r.ops).toEqual([{ kind: 'alterMaterializedView', target: { schema: 'shop', name: 'daily' }, changes: [{ kind: 'rename', newName: 'daily_sales' }] }])
  })

  it('the renames option renames', () => {
    const r = plan([daily], [edit(daily, { name: 'daily_sales' })], { renames: { 'shop.daily_sales': 'shop.daily' } })
    expect(kinds(r.ops)).toEqual(['alter:rename'])
  })

  it('never guessed: the same definition under a new name without a hint is a drop and a create', () => {
    const r = plan([daily], [edit(daily, { name: 'daily_sales' })])
    expect(kinds(r.ops)).toEqual(['dropMaterializedView', 'createMaterializedView'])
  })

  it('further alters apply to the new name, after the rename', () => {
    const r = plan([daily], [edit(renamed, { properties: { ...daily.properties, task_priority: '1' } })])
    expect(kinds(r.ops)).toEqual(['alter:rename', 'alter:set'])
    expect(r.ops[1]).toMatchObject({ target: { schema: 'shop', name: 'daily_sales' } })
  })

  it('rename + rebuild: drop-create drops the old name; swap renames first', () => {
    const to = edit(renamed, { comment: 'x' })
    const dc = plan([daily], [to], { rebuild: 'drop-create' })
    expect(kinds(dc.ops)).toEqual(['dropMaterializedView', 'createMaterializedView'])
    expect(dc.ops[0]).toMatchObject({ target: { name: 'daily' } })
    const sw = plan([daily], [to], { rebuild: 'swap' })
    expect(kinds(sw.ops)).toEqual(['alter:rename', 'createMaterializedView', 'refreshMaterializedView', 'alter:swap', 'dropMaterializedView'])
    expect(sw.ops[3]).toMatchObject({ target: { name: 'daily_sales' }, changes: [{ kind: 'swap', other: 'daily_sales__srmv_new' }] })
  })

  it('a stale hint (already renamed) is ignored', () => {
    const deployed = edit(daily, { name: 'daily_sales' })
    expect(plan([deployed], [renamed]).ops).toEqual([])
  })

  it('a hint whose old name is still wanted is a conflict', () => {
    expect(plan([daily], [daily, renamed]).problems.map((p) => p.code)).toEqual(['RENAME_CONFLICT'])
  })

  it('a rename chain runs in an order that frees each name first', () => {
    const a = def({ name: 'a' })
    const b = def({ name: 'b', query: 'SELECT 2' })
    const r = plan([a, b], [edit(a, { name: 'b', renamedFrom: 'a' }), edit(b, { name: 'c', renamedFrom: 'b' })])
    expect(r.ops.map((o) => (o.kind === 'alterMaterializedView' ? `${o.target.name}->${o.changes[0]?.kind === 'rename' ? o.changes[0].newName : ''}` : o.kind))).toEqual(['b->c', 'a->b'])
    const cycle = plan([a, b], [edit(a, { name: 'b', renamedFrom: 'a' }), edit(b, { name: 'a', renamedFrom: 'b' })])
    expect(cycle.problems.map((p) => p.code)).toContain('RENAME_CONFLICT')
  })

  it('a rename across databases is refused', () => {
    const r = plan([daily], [edit(daily, { schema: 'other', renamedFrom: 'shop.daily' })])
    expect(r.problems.map((p) => p.code)).toEqual(['RENAME_ACROSS_DATABASES'])
  })
})

describe('dependencies', () => {
  const top = def({ name: 'a_top', query: 'SELECT * FROM monthly', dependencies: [{ name: 'monthly' }] })

  it('creates in dependency order, drops in reverse', () => {
    const r = plan([], [top, monthly, daily])
    expect(r.ops.map((o) => (o.kind === 'createMaterializedView' ? o.definition.name : ''))).toEqual(['daily', 'monthly', 'a_top'])
    const d = plan([top, monthly, daily], [])
    expect(d.ops.map((o) => (o.kind === 'dropMaterializedView' ? o.target.name : ''))).toEqual(['a_top', 'monthly', 'daily'])
  })

  it('rebuilding an MV re-activates the MVs that read it, and their readers in turn, after the rebuild', () => {
    for (const rebuild of ['drop-create', 'swap'] as const) {
      const r = plan([daily, monthly, top], [edit(daily, { comment: 'x' }), monthly, top], { rebuild })
      expect(r.reactivated).toEqual(['shop.monthly', 'shop.a_top'])
      expect(r.ops.slice(-2)).toEqual([
        { kind: 'alterMaterializedView', target: { schema: 'shop', name: 'monthly' }, changes: [{ kind: 'active' }] },
        { kind: 'alterMaterializedView', target: { schema: 'shop', name: 'a_top' }, changes: [{ kind: 'active' }] },
      ])
    }
  })

  it('an MV that is itself rebuilt is not re-activated; one that reads it is', () => {
    const r = plan([daily, monthly, top], [edit(daily, { comment: 'x' }), edit(monthly, { comment: 'y' }), top], { rebuild: 'swap' })
    expect(r.rebuilt).toEqual(['shop.daily', 'shop.monthly'])
    expect(r.reactivated).toEqual(['shop.a_top'])
    // daily's swap completes before monthly's new copy is built
    const swapTargets = r.ops.filter((o) => o.kind === 'alterMaterializedView' && o.changes[0]?.kind === 'swap').map((o) => (o as { target: { name: string } }).target.name)
    expect(swapTargets).toEqual(['daily', 'monthly'])
  })

  it('before 3.1 (no ACTIVE) the readers of a dropped MV are rebuilt too', () => {
    const r = plan([daily, monthly, top], [edit(daily, { comment: 'x' }), monthly, top], { rebuild: 'drop-create', version: '3.0' })
    expect(r.rebuilt).toEqual(['shop.a_top', 'shop.daily', 'shop.monthly'])
    expect(r.ops.map((o) => `${o.kind === 'dropMaterializedView' ? 'drop' : 'create'}:${o.kind === 'dropMaterializedView' ? o.target.name : o.kind === 'createMaterializedView' ? o.definition.name : ''}`)).toEqual([
      'drop:a_top', 'drop:monthly', 'drop:daily', 'create:daily', 'create:monthly', 'create:a_top',
    ])
  })

  it('a cycle is a DEPENDENCY_CYCLE problem naming it', () => {
    const x = def({ name: 'x', dependencies: [{ name: 'y' }] })
    const y = def({ name: 'y', dependencies: [{ name: 'x' }] })
    const r = plan([], [x, y])
    expect(r.problems.map((p) => p.code)).toEqual(['DEPENDENCY_CYCLE'])
    expect(r.problems[0]?.message).toContain('shop.x → shop.y → shop.x')
  })

  it('names the cycle dependencyCycle finds, and orders the creates by dependencyOrder when there is none', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.nat(7), { maxLength: 3 }), { minLength: 1, maxLength: 8 }), (reads) => {
        const defs = reads.map((r, i) => def({ name: `m${i}`, query: 'SELECT 1', dependencies: r.filter((j) => j < reads.length).map((j) => ({ name: `m${j}` })) }))
        const r = plan([], defs)
        const cycle = dependencyCycle(defs)
        const problem = r.problems.find((p) => p.code === 'DEPENDENCY_CYCLE')
        expect(problem?.to).toBe(cycle?.join(' → '))
        const created = r.ops.map((o) => (o.kind === 'createMaterializedView' ? o.definition.name : ''))
        if (cycle === undefined) expect(created).toEqual(dependencyOrder(defs).map((d) => d.name))
        else expect(created).toEqual(defs.map((d) => d.name).sort())
      }),
      { numRuns: 300 },
    )
  })

  it('unqualified MVs resolve against defaultSchema', () => {
    const unq = edit(daily, { schema: undefined })
    const r = diff(state(daily), state(unq), { defaultSchema: 'shop' })
    expect(r.ops).toEqual([])
  })
})

describe('live status', () => {
  const live = SchemaState.create([daily, monthly], { status: { 'shop.monthly': { active: false, inactiveReason: 'base MV dropped' } }, serverVersion: '3.5.2' })

  it('an MV the server reports inactive is re-activated', () => {
    const r = diff(live, state(daily, monthly), { compare: 'live' })
    expect(r.changes).toEqual([{ kind: 'inactive', mv: 'shop.monthly', reason: 'base MV dropped' }])
    expect(r.ops).toEqual([{ kind: 'alterMaterializedView', target: { schema: 'shop', name: 'monthly' }, changes: [{ kind: 'active' }] }])
    expect(r.reactivated).toEqual(['shop.monthly'])
  })

  it('status is ignored against a snapshot, and before 3.1 an inactive MV needs a rebuild', () => {
    expect(diff(live, state(daily, monthly)).ops).toEqual([])
    const old = diff(live, state(daily, monthly), { compare: 'live', version: '3.0' })
    expect(old.problems.map((p) => [p.code, p.attribute])).toEqual([['IMMUTABLE_CHANGE', 'active']])
    expect(kinds(diff(live, state(daily, monthly), { compare: 'live', version: '3.0', rebuild: 'drop-create' }).ops)).toEqual(['dropMaterializedView', 'createMaterializedView'])
  })
})

describe('a state read from a server (origin: server) is compared canonically', () => {
  const inactive = { 'shop.monthly': { active: false, inactiveReason: 'base MV dropped' } }
  // as the server prints it: qualified, quoted, with the defaults it adds
  const printed = edit(monthly, {
    query: "SELECT date_trunc('month', `dt`) AS `m`, sum(`total`) AS `total` FROM `shop`.`daily` GROUP BY 1",
  })

  it('without a compare option: the server version, its status and its rewrites are taken into account', () => {
    const reflected = SchemaState.create([daily, printed], { status: inactive, serverVersion: '3.0.9', origin: 'server' })
    const r = diff(reflected, state(daily, monthly), { rebuild: 'drop-create' })
    expect(r.changes.map((c) => c.kind)).toEqual(['inactive'])
    // 3.0 has no ACTIVE: the inactive MV is rebuilt
    expect(kinds(r.ops)).toEqual(['dropMaterializedView', 'createMaterializedView'])
    // the same data without an origin is a snapshot: the printed query is a change, status is ignored
    const stored = SchemaState.create([daily, printed], { status: inactive, serverVersion: '3.0.9' })
    expect(diff(stored, state(daily, monthly)).changes.map((c) => c.kind)).toEqual(['queryChanged'])
  })

  it('an explicit compare option overrides the origin', () => {
    const reflected = SchemaState.create([daily, printed], { status: inactive, serverVersion: '3.5.2', origin: 'server' })
    expect(diff(reflected, state(daily, monthly), { compare: 'snapshot' }).changes.map((c) => c.kind)).toEqual(['queryChanged'])
    expect(diff(SchemaState.create([daily, printed], { status: inactive }), state(daily, monthly), { compare: 'live' }).changes.map((c) => c.kind)).toEqual(['inactive'])
  })
})
