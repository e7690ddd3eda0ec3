import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { desiredState, diff } from '../../src/diff/index.js'
import { collectSchema } from '../../src/migrate/load-schema.js'
import { collectTablesAndViews } from '../../src/migrate/load-objects.js'
import type { ModuleLoader } from '../../src/migrate/module-loader.js'
import { camelName, schemaModuleFromState } from '../../src/migrate/pull.js'
import { verifySchemaModule } from '../../src/migrate/verify-module.js'
import { MvDefinition, SchemaState, TableDefinition, ViewDefinition } from '../../src/model/index.js'
import { parseMaterializedView } from '../../src/reflect/index.js'
import { definitionArb } from '../ops/arbitraries.js'
import { FIXTURES_DIR, SKIP_SHARED_MESSAGE, fixtureFiles, hasShared, readFixture } from '../support/shared.js'
import { sourceLoader, tempDir, uniq } from './helpers.js'

let load: ModuleLoader
const dir = tempDir('pull')

beforeAll(async () => {
  load = await sourceLoader()
})

/** Write the module for `state`, load it as srmv does, and return the desired state it gives. */
const roundTrip = async (state: SchemaState): Promise<{ source: string; desired: SchemaState; ns: Record<string, unknown> }> => {
  const { source } = schemaModuleFromState(state)
  const file = join(dir, `schema-${uniq()}.ts`)
  writeFileSync(file, source)
  let ns: Record<string, unknown>
  try {
    ns = await load(file)
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- source ---\n${source}`)
  }
  const desired = desiredState([...collectSchema(ns, file).map((e) => e.definition), ...collectTablesAndViews(ns)])
  return { source, desired, ns }
}

const expectEqual = async (state: SchemaState, compare: 'snapshot' | 'live' = 'snapshot'): Promise<{ source: string; desired: SchemaState; ns: Record<string, unknown> }> => {
  const r = await roundTrip(state)
  const plan = diff(state, r.desired, { compare })
  expect({ changes: plan.changes, problems: plan.problems, ops: plan.ops.length }, r.source).toEqual({ changes: [], problems: [], ops: 0 })
  expect(r.desired.mvs.length).toBe(state.mvs.length)
  expect((r.desired.tables ?? []).length).toBe((state.tables ?? []).length)
  expect((r.desired.views ?? []).length).toBe((state.views ?? []).length)
  return r
}

const orders = TableDefinition.create({
  name: 'orders',
  schema: 'shop',
  columns: [
    { name: 'id', type: 'BIGINT', nullable: false, comment: "the order's id" },
    { name: 'order_date', type: 'DATE', nullable: false },
    { name: 'amount', type: 'DECIMAL(10, 2)', nullable: true, default: { kind: 'value', value: '0' } },
    { name: 'created_at', type: 'DATETIME', nullable: true, default: { kind: 'current_timestamp' } },
    { name: 'token', type: 'VARCHAR(64)', nullable: true, default: { kind: 'expression', sql: 'uuid()' } },
    { name: 'tags', type: 'ARRAY<VARCHAR(20)>', nullable: true },
    { name: 'status', type: 'VARCHAR(20)', nullable: true },
  ],
  key: { model: 'PRIMARY', columns: ['id', 'order_date'] },
  comment: 'Orders `placed` */ here',
  partitionBy: { kind: 'expression', expressions: ["date_trunc('day', `order_date`)"] },
  distribution: { kind: 'hash', columns: ['id'], buckets: 8 },
  orderBy: ['order_date'],
  indexes: [{ name: 'idx_status', columns: ['status'], using: 'BITMAP', comment: 'by status' }],
  properties: { replication_num: '1', storage_medium: 'SSD', enable_persistent_index: 'true', 'dynamic_partition.enable': 'false', custom_thing: 'a\'b"c\\d' },
})

const users = TableDefinition.create({
  name: 'users',
  schema: 'shop',
  columns: [
    { name: 'id', type: 'BIGINT', nullable: false },
    { name: 'region', type: 'VARCHAR(10)', nullable: false },
    { name: 'visits', type: 'BIGINT', nullable: true, aggregate: 'SUM' },
  ],
  key: { model: 'AGGREGATE', columns: ['id', 'region'] },
  partitionBy: { kind: 'list', columns: ['region'], partitions: [{ name: 'p_eu', values: [['de'], ['fr']] }, { name: 'p_us', values: [['us']] }] },
  distribution: { kind: 'hash', columns: ['id'], buckets: 2 },
  properties: {},
})

const events = TableDefinition.create({
  name: 'events',
  columns: [
    { name: 'ts', type: 'DATETIME', nullable: false },
    { name: 'kind', type: 'INT', nullable: true },
  ],
  partitionBy: { kind: 'range', columns: ['ts'], partitions: [{ name: 'p1', lessThan: ['2024-01-01 00:00:00'] }, { name: 'p2', lower: ['2024-01-01 00:00:00'], upper: ['2025-01-01 00:00:00'] }] },
  properties: {},
})

const multi = TableDefinition.create({
  name: 'multi',
  schema: 'shop',
  columns: [
    { name: 'region', type: 'VARCHAR(10)', nullable: true },
    { name: 'dt', type: 'DATETIME', nullable: true },
  ],
  partitionBy: { kind: 'expression', expressions: ['`region`', "date_trunc('month', `dt`)"] },
  properties: {},
})

const bare = TableDefinition.create({ name: 'bare', schema: 'shop', columns: [{ name: 'x', type: 'INT', nullable: true }], properties: {} })

const paid = ViewDefinition.create({
  name: 'paid_orders',
  schema: 'shop',
  columns: [{ name: 'id' }, { name: 'amount', comment: 'paid amount' }],
  comment: 'paid ones',
  security: 'INVOKER',
  query: 'SELECT `id`, `amount` FROM `shop`.`orders` WHERE `status` = \'paid ${x}\'',
})

const daily = MvDefinition.create({
  name: 'daily_sales',
  schema: 'shop',
  partitionBy: ['`order_date`'],
  distribution: { kind: 'hash', columns: ['order_date'], buckets: 4 },
  refresh: { kind: 'async', deferred: true, start: '2025-01-01 00:00:00', every: { value: 1, unit: 'DAY' } },
  properties: { replication_num: '1', partition_refresh_number: '3', 'session.query_timeout': '600', mystery: 'x' },
  query: 'SELECT o.`order_date`, sum(o.`amount`) AS total FROM `shop`.`orders` o JOIN `shop`.`paid_orders` p ON p.`id` = o.`id` GROUP BY o.`order_date`',
})

const top = MvDefinition.create({
  name: 'top',
  schema: 'shop',
  comment: 'reads an MV',
  columns: [{ name: 'order_date' }, { name: 'total', comment: 'sum' }],
  orderBy: ['order_date'],
  indexes: [{ name: 'ix', columns: ['order_date'], using: 'BITMAP' }],
  refresh: { kind: 'manual', deferred: false },
  properties: {},
  // the CTE named like a declared table and the string literal naming one stay text
  query: "WITH orders AS (SELECT 1 AS a) SELECT d.order_date, d.total FROM `shop`.`daily_sales` d, orders WHERE 'FROM `shop`.`orders`' <> ''",
})

describe('schemaModuleFromState', () => {
  it('writes tables, views and MVs that load back equal to the state, with typed references in queries', async () => {
    const state = SchemaState.create([daily, top], { tables: [orders, users, events, multi, bare], views: [paid] })
    const { source, ns } = await expectEqual(state)
    // typed references where the query names a declared object exactly as the reference renders it
    expect(source).toContain('FROM ${orders} o JOIN ${paidOrders} p')
    expect(source).toContain('FROM ${dailySales} d, orders')
    expect(source).toContain("'FROM \\`shop\\`.\\`orders\\`'")
    expect(source).toContain("\\${x}")
    // each object after what it reads
    const at = (name: string): number => source.indexOf(`export const ${name} =`)
    expect(at('orders')).toBeLessThan(at('paidOrders'))
    expect(at('paidOrders')).toBeLessThan(at('dailySales'))
    expect(at('dailySales')).toBeLessThan(at('top'))
    expect(source).toContain('export default defineSchema({ events, bare, multi, orders, users, paidOrders, dailySales, top })')
    expect(Object.keys(ns).sort()).toEqual(['bare', 'dailySales', 'default', 'events', 'multi', 'orders', 'paidOrders', 'top', 'users'])
    // the recorded dependencies come from the references
    const desired = (await roundTrip(state)).desired
    expect(desired.mvs.find((m) => m.name === 'daily_sales')?.dependencies).toEqual([{ schema: 'shop', name: 'orders' }, { schema: 'shop', name: 'paid_orders' }])
    expect(desired.views?.[0]?.dependencies).toEqual([{ schema: 'shop', name: 'orders' }])
  })

  it('keeps the query text exactly where a name is not written as the reference renders it', async () => {
    const loose = MvDefinition.with(daily, { query: 'SELECT order_date, count(*) AS c FROM shop.orders GROUP BY order_date' })
    const state = SchemaState.create([loose], { tables: [orders] })
    const { source, desired } = await expectEqual(state)
    expect(source).toContain('FROM shop.orders GROUP')
    expect(desired.mvs[0]?.query).toBe(loose.query)
    expect(schemaModuleFromState(state).references).toBe(0)
  })

  it('leaves out the properties a server reports on its own, for states read from a server', async () => {
    const m = MvDefinition.create({
      name: 'm', schema: 's', refresh: { kind: 'manual', deferred: false }, query: 'SELECT 1 AS one',
      properties: { replicated_storage: 'true', storage_medium: 'HDD', replication_num: '1', partition_refresh_number: '1' },
    })
    const t = TableDefinition.create({ name: 't', schema: 's', columns: [{ name: 'a', type: 'INT', nullable: true }], properties: { compression: 'LZ4', replicated_storage: 'true', replication_num: '1' } })
    const live = SchemaState.create([m], { tables: [t], serverVersion: '3.5.2', origin: 'server' })
    const { source } = await expectEqual(live, 'live')
    await expectEqual(live, 'snapshot')
    expect(source).not.toContain('replicated_storage')
    expect(source).not.toContain('storage_medium')
    expect(source).not.toContain('compression')
    expect(source).not.toContain('partition_refresh_number')
    expect(source.match(/replication_num: 1/g)?.length).toBe(2)
    // a state that is not from a server keeps every property it holds
    const kept = schemaModuleFromState(SchemaState.create([m], { tables: [t] })).source
    expect(kept).toContain('replicated_storage: true')
    expect(kept).toContain("compression: 'LZ4'")
  })

  it('reads unqualified names only between objects without a database', async () => {
    const t = TableDefinition.create({ name: 't', columns: [{ name: 'k1', type: 'INT', nullable: true }], properties: {} })
    const m = MvDefinition.create({ name: 'm', refresh: { kind: 'manual', deferred: false }, query: 'SELECT k1 FROM `t`' })
    const inDb = MvDefinition.create({ name: 'm2', schema: 'x', refresh: { kind: 'manual', deferred: false }, query: 'SELECT k1 FROM `t`' })
    const { source } = await expectEqual(SchemaState.create([m, inDb], { tables: [t] }))
    expect(source).toContain('SELECT k1 FROM ${t}`')
    expect(source).toContain("mv('m2')")
    expect(source.match(/\$\{t\}/g)?.length).toBe(1)
  })

  it('chooses valid, unique, unreserved export names', async () => {
    expect(camelName('daily_sales_mv')).toBe('dailySalesMv')
    expect(camelName('ORDERS')).toBe('orders')
    expect(camelName('2024_sales')).toBe('_2024Sales')
    const mk = (name: string, schema?: string): MvDefinition =>
      MvDefinition.create({ name, ...(schema === undefined ? {} : { schema }), refresh: { kind: 'manual', deferred: false }, query: 'SELECT 1 AS one' })
    const t = (name: string, schema: string): TableDefinition => TableDefinition.create({ name, schema, columns: [{ name: 'a', type: 'INT', nullable: true }], properties: {} })
    const state = SchemaState.create([mk('orders', 'b'), mk('orders', 'c'), mk('default'), mk('sql'), mk('é中'), mk('a-b'), mk('a_b')], { tables: [t('orders', 'a'), t('table', 'x')] })
    const { exports } = schemaModuleFromState(state)
    const names = exports.map((e) => e.exportName)
    expect(new Set(names).size).toBe(names.length)
    for (const n of names) expect(n).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/)
    expect(names).not.toContain('default')
    expect(names).not.toContain('sql')
    expect(names).not.toContain('table')
    await expectEqual(state)
  })

  it('declares objects whose names stress quoting', async () => {
    const weird = TableDefinition.create({ name: 'we`ird "t"', schema: 'd b', columns: [{ name: 'col one', type: 'INT', nullable: true }, { name: 'constructor', type: 'INT', nullable: true }], properties: { replication_num: '1' } })
    const m = MvDefinition.create({ name: "it's", schema: 'd b', partitionBy: ['`col one`'], refresh: { kind: 'manual', deferred: false }, query: 'SELECT `col one` FROM `d b`.`we``ird "t"`' })
    const { source } = await expectEqual(SchemaState.create([m], { tables: [weird] }))
    expect(source).toContain("sql.id('col one')")
    expect(source).toMatch(/FROM \$\{\w+\}`\)/)
  })

  it('round-trips generated MV definitions (property)', async () => {
    await fc.assert(
      // one name per MV (and none named like the table the queries read, which would read itself): an unqualified MV and a qualified one of the same name may be one (the loader refuses them)
      fc.asyncProperty(fc.uniqueArray(definitionArb.filter((d) => d.name !== 't'), { minLength: 1, maxLength: 3, selector: (d) => d.name }), async (defs) => {
        // alterableProperties is an intent the server does not report; a pulled module has none
        const state = SchemaState.create(defs.map((d) => MvDefinition.with(d, { alterableProperties: undefined })))
        await expectEqual(state)
      }),
      { numRuns: Number(process.env.PULL_RUNS ?? 25) },
    )
  }, 120_000)

  it('round-trips generated tables and views (property)', async () => {
    const colName = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/)
    const tableArb = fc
      .record({
        name: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
        schema: fc.option(fc.constantFrom('s1', 's2'), { nil: undefined }),
        cols: fc.uniqueArray(fc.record({ name: colName, type: fc.constantFrom('INT', 'BIGINT', 'VARCHAR(20)', 'DATE', 'DECIMAL(10, 2)', 'ARRAY<INT>'), nullable: fc.boolean(), comment: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }) }), { minLength: 1, maxLength: 4, selector: (c) => c.name }),
        key: fc.constantFrom(undefined, 'DUPLICATE', 'PRIMARY', 'UNIQUE'),
        comment: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
        buckets: fc.option(fc.integer({ min: 1, max: 32 }), { nil: undefined }),
        hash: fc.boolean(),
        replication: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      })
      .map((r) => {
        const first = r.cols[0]?.name as string
        return TableDefinition.create({
          name: r.name,
          ...(r.schema === undefined ? {} : { schema: r.schema }),
          columns: r.cols.map((c) => ({ name: c.name, type: c.type, nullable: r.key === 'PRIMARY' && c.name === first ? false : c.nullable, ...(c.comment === undefined ? {} : { comment: c.comment }) })),
          ...(r.key === undefined ? {} : { key: { model: r.key, columns: [first] } }),
          ...(r.comment === undefined ? {} : { comment: r.comment }),
          ...(r.hash ? { distribution: { kind: 'hash' as const, columns: [first], ...(r.buckets === undefined ? {} : { buckets: r.buckets }) } } : {}),
          properties: r.replication === undefined ? {} : { replication_num: String(r.replication) },
        })
      })
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(tableArb, { minLength: 1, maxLength: 3, selector: (t) => JSON.stringify([t.schema ?? null, t.name]) }), fc.string({ maxLength: 6 }), async (tables, literal) => {
        const t0 = tables[0] as TableDefinition
        const ref = t0.schema === undefined ? `\`${t0.name}\`` : `\`${t0.schema}\`.\`${t0.name}\``
        const v = ViewDefinition.create({ name: 'v_over', ...(t0.schema === undefined ? {} : { schema: t0.schema }), query: `SELECT * FROM ${ref} WHERE 'x' <> '${literal.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'` })
        const state = SchemaState.create([], { tables, views: [v] })
        const { source } = await expectEqual(state)
        expect(source).toContain('FROM ${')
      }),
      { numRuns: Number(process.env.PULL_RUNS ?? 25) },
    )
  }, 120_000)

  describe.skipIf(!hasShared)('server fixtures', () => {
    if (!hasShared) it.skip(SKIP_SHARED_MESSAGE, () => undefined)
    const cases: [string, string][] = [
      ...fixtureFiles('show-create').map((f) => ['show-create', f] as [string, string]),
      ...fixtureFiles('pairs').filter((f) => f.endsWith('.server.sql')).map((f) => ['pairs', f] as [string, string]),
      ...fixtureFiles('rewrites').filter((f) => /\.server(\.[^.]+)?\.sql$/.test(f)).map((f) => ['rewrites', f] as [string, string]),
    ]
    it(`has fixtures under ${FIXTURES_DIR}, most of which parse`, () => {
      const parsed = cases.filter(([sub, file]) => {
        try {
          parseMaterializedView(readFixture(sub, file))
          return true
        } catch {
          return false
        }
      })
      expect(parsed.length).toBeGreaterThan(cases.length * 0.8)
    })
    it.each(cases)('%s/%s round-trips through a schema module', async (sub, file) => {
      let def: MvDefinition
      try {
        def = parseMaterializedView(readFixture(sub, file))
      } catch {
        return // not an MV this parser reads (some fixtures are other statements); the parser's own tests cover them
      }
      const state = SchemaState.create([MvDefinition.with(def, { schema: def.schema ?? 'test' })], { serverVersion: '3.5', origin: 'server' })
      await expectEqual(state, 'live')
      await expectEqual(state, 'snapshot')
      await expectEqual(SchemaState.create(state.mvs), 'snapshot')
    })
  })

  it('verifySchemaModule: none for a module equal to the state, one sentence per difference, and a module that does not load', async () => {
    const state = SchemaState.create([daily, top], { tables: [orders], views: [paid], serverVersion: '3.5.2', origin: 'server' })
    const { source } = schemaModuleFromState(state)
    expect(await verifySchemaModule(source, state, load)).toEqual([])
    const changed = source.replace("{ buckets: 4 }", "{ buckets: 5 }")
    expect(changed).not.toBe(source)
    const differences = await verifySchemaModule(changed, state, load)
    expect(differences.join('\n')).toMatch(/daily_sales/)
    expect(differences.join('\n')).toMatch(/4/)
    expect(await verifySchemaModule('export const x = (', state, load)).toEqual([expect.stringMatching(/^the written module does not load: /)])
  })

  it('keeps a name of an external catalog as text, never a reference to the internal table of that db and name', async () => {
    const internal = TableDefinition.create({ name: 'orders', schema: 'sales', columns: [{ name: 'id', type: 'BIGINT', nullable: true }], properties: {} })
    const m = MvDefinition.create({
      name: 'mirror', schema: 'sales', refresh: { kind: 'manual', deferred: false },
      query: 'SELECT `id` FROM `hive`.`sales`.`orders` JOIN `sales`.`orders` i ON i.`id` = `id`',
    })
    const state = SchemaState.create([m], { tables: [internal] })
    expect(schemaModuleFromState(state).references).toBe(1)
    const { source, desired } = await expectEqual(state)
    expect(source).toContain('FROM \\`hive\\`.\\`sales\\`.\\`orders\\` JOIN ${orders} i')
    expect(desired.mvs[0]?.query).toBe(m.query)
  })

  it('keeps names in a circle as text, so every reference points to an object already declared', async () => {
    const a = ViewDefinition.create({ name: 'a', schema: 's', query: 'SELECT * FROM `s`.`b`' })
    const b = ViewDefinition.create({ name: 'b', schema: 's', query: 'SELECT * FROM `s`.`a`' })
    const m = schemaModuleFromState(SchemaState.create([], { views: [a, b] }))
    expect(m.references).toBe(1)
    const { ns } = await roundTrip(SchemaState.create([], { views: [a, b] }))
    const queries = Object.values(ns).flatMap((v) => ((v as { definition?: ViewDefinition }).definition?.kind === 'ViewDefinition' ? [(v as { definition: ViewDefinition }).definition.query] : []))
    expect(queries.sort()).toEqual([a.query, b.query].sort())
  })

  describe('defineSchema with tables and views', () => {
    it('takes managed tables and views besides MVs; listed there, they need no export of their own', async () => {
      const file = join(dir, `by-hand-${uniq()}.ts`)
      writeFileSync(
        file,
        `import { defineSchema, mv, sql, table, view } from 'starrocks-mv'
const orders = table('orders', { id: { type: 'BIGINT', notNull: true }, amount: 'INT' }, { schema: 'shop', primaryKey: ['id'], distributedBy: { hash: 'id' } })
const big = view('big').schema('shop').as(sql\`SELECT * FROM \${orders} WHERE \${orders.amount} > 10\`)
export const total = mv('total').schema('shop').refresh.manual().as(sql\`SELECT sum(\${big}.amount) AS s FROM \${big}\`)
export default defineSchema({ orders, big, total })
`,
      )
      const ns = await load(file)
      const schema = ns.default as { mvs: Record<string, unknown>; members: Record<string, unknown> }
      expect(Object.keys(schema.mvs)).toEqual(['total'])
      expect(Object.keys(schema.members)).toEqual(['orders', 'big', 'total'])
      expect(collectSchema(ns, file).map((e) => e.definition.name)).toEqual(['total'])
      const objects = collectTablesAndViews(ns)
      expect(objects.map((o) => `${o.kind}:${o.name}`).sort()).toEqual(['TableDefinition:orders', 'ViewDefinition:big'])
      const state = desiredState([...collectSchema(ns, file).map((e) => e.definition), ...objects])
      expect(state.tables?.map((t) => t.name)).toEqual(['orders'])
      expect(state.views?.map((v) => v.name)).toEqual(['big'])
    })

    it('still refuses an entry that is neither an MV nor a managed table or view', async () => {
      const file = join(dir, `bad-${uniq()}.ts`)
      writeFileSync(file, `import { defineSchema, table } from 'starrocks-mv'
const ref = table('t', { a: 'INT' })
export default defineSchema({ ref } as never)
`)
      const ns = await load(file)
      expect(() => collectSchema(ns, file)).toThrow(/defineSchema entry "ref" is neither a complete materialized view nor a managed table or view/)
    })
  })
})
