import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { diff, snapshot } from '../../src/diff/index.js'
import { MvDefinition } from '../../src/model/index.js'
import { toStatements } from '../../src/ops/to-statements.js'
import { reflect } from '../../src/reflect/reflect.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const base = MvDefinition.create({
  name: 'daily',
  schema: 'shop',
  query: 'SELECT dt, sum(amount) AS total FROM shop.orders GROUP BY dt',
  distribution: { kind: 'hash', columns: ['dt'] },
  refresh: { kind: 'manual', deferred: false },
  properties: { replication_num: '1' },
  dependencies: [{ schema: 'shop', name: 'orders' }],
})
const withCount = MvDefinition.with(base, { query: 'SELECT dt, sum(amount) AS total, count(id) AS orders_n FROM shop.orders GROUP BY dt' })

const plan = (from: MvDefinition, to: MvDefinition, version: string, rebuild?: 'swap') =>
  diff(snapshot([from]), snapshot([to]), { version, ...(rebuild === undefined ? {} : { rebuild }) })

describe('diff: an output column added or dropped', () => {
  it('is ADD COLUMN on 4.2, with the expression and the alias', () => {
    const p = plan(base, withCount, '4.2')
    expect(p.problems).toEqual([])
    expect(p.rebuilt).toEqual([])
    expect(toStatements(p.ops, { version: '4.2' })).toEqual(['ALTER MATERIALIZED VIEW `shop`.`daily` ADD COLUMN `orders_n` AS count(id)'])
  })

  it('is DROP COLUMN on 4.2, and reverses to ADD COLUMN when it was the last column', () => {
    const p = plan(withCount, base, '4.2')
    expect(toStatements(p.ops, { version: '4.2' })).toEqual(['ALTER MATERIALIZED VIEW `shop`.`daily` DROP COLUMN `orders_n`'])
    expect(p.ops[0]).toMatchObject({ changes: [{ kind: 'dropColumn', name: 'orders_n', previous: { expression: 'count(id)', last: true } }] })
  })

  it('stays an immutable change before 4.2: a problem, or a rebuild when one is allowed', () => {
    const p = plan(base, withCount, '4.1')
    expect(p.problems.map((x) => x.code)).toEqual(['IMMUTABLE_CHANGE'])
    expect(p.ops).toEqual([])
    const swap = plan(base, withCount, '4.1', 'swap')
    expect(swap.problems).toEqual([])
    expect(swap.rebuilt).toEqual(['shop.daily'])
    expect(toStatements(swap.ops, { version: '4.1' }).some((s) => s.includes('SWAP WITH'))).toBe(true)
  })

  it('takes the column comment from the column list', () => {
    const from = MvDefinition.with(base, { columns: [{ name: 'dt' }, { name: 'total' }] })
    const to = MvDefinition.with(withCount, { columns: [{ name: 'dt' }, { name: 'total' }, { name: 'orders_n', comment: "orders' count" }] })
    expect(toStatements(plan(from, to, '4.2').ops, { version: '4.2' })).toEqual([
      "ALTER MATERIALIZED VIEW `shop`.`daily` ADD COLUMN `orders_n` AS count(id) COMMENT 'orders\\' count'",
    ])
  })

  it('rebuilds what StarRocks cannot ADD or DROP', () => {
    const cases: [string, MvDefinition, MvDefinition][] = [
      ['an item inserted in the middle', base, MvDefinition.with(base, { query: 'SELECT dt, count(id) AS n, sum(amount) AS total FROM shop.orders GROUP BY dt' })],
      ['no column reference', base, MvDefinition.with(base, { query: 'SELECT dt, sum(amount) AS total, count(*) AS n FROM shop.orders GROUP BY dt' })],
      ['two column references', base, MvDefinition.with(base, { query: 'SELECT dt, sum(amount) AS total, sum(amount + id) AS s FROM shop.orders GROUP BY dt' })],
      ['no alias and no column list', base, MvDefinition.with(base, { query: 'SELECT dt, sum(amount) AS total, count(id) FROM shop.orders GROUP BY dt' })],
      ['a plain expression on an aggregate MV', base, MvDefinition.with(base, { query: 'SELECT dt, sum(amount) AS total, status AS st FROM shop.orders GROUP BY dt' })],
      ['another change besides', base, MvDefinition.with(withCount, { comment: 'x' })],
      ['a join', MvDefinition.with(base, { query: 'SELECT o.dt, sum(o.amount) AS total FROM shop.orders o JOIN shop.users u ON o.user_id = u.id GROUP BY o.dt' }),
        MvDefinition.with(base, { query: 'SELECT o.dt, sum(o.amount) AS total, count(u.id) AS n FROM shop.orders o JOIN shop.users u ON o.user_id = u.id GROUP BY o.dt' })],
      ['a GROUP BY column dropped', withCount, MvDefinition.with(base, { query: 'SELECT sum(amount) AS total, count(id) AS orders_n FROM shop.orders GROUP BY dt' })],
      ['a distribution column dropped', MvDefinition.with(withCount, { distribution: { kind: 'hash', columns: ['orders_n'] } }), MvDefinition.with(base, { distribution: { kind: 'hash', columns: ['orders_n'] } })],
    ]
    for (const [what, from, to] of cases) {
      const p = plan(from, to, '4.2')
      expect(p.problems.map((x) => x.code), what).toContain('IMMUTABLE_CHANGE')
      expect(p.ops, what).toEqual([])
    }
  })
})

const DB = 'srmv_column_alter'
describe('plans with ADD / DROP COLUMN converge on the 4.2 emulator', () => {
  let sr: Emulator
  let client: Client
  const v1 = MvDefinition.create({
    name: 'daily',
    schema: DB,
    query: `SELECT dt, sum(amount) AS total FROM ${DB}.orders GROUP BY dt`,
    distribution: { kind: 'hash', columns: ['dt'] },
    refresh: { kind: 'manual', deferred: false },
    properties: { replication_num: '1' },
    dependencies: [{ schema: DB, name: 'orders' }],
  })
  const v2 = MvDefinition.with(v1, { query: `SELECT dt, sum(amount) AS total, max(amount) AS biggest FROM ${DB}.orders GROUP BY dt` })
  const v3 = MvDefinition.with(v1, { query: `SELECT dt, max(amount) AS biggest FROM ${DB}.orders GROUP BY dt` })

  beforeAll(async () => {
    sr = await startEmulator({ version: '4.2' })
    const admin = await connect(sr.url)
    await admin.query(`CREATE DATABASE ${DB}`)
    await admin.query(`CREATE TABLE ${DB}.orders (dt date, amount int) DUPLICATE KEY(dt) DISTRIBUTED BY HASH(dt)`)
    await admin.close()
    client = await connect(`${sr.url}${DB}`)
  })
  afterAll(async () => {
    await client?.close()
    await sr?.close()
  })

  for (const [name, state, sent] of [
    ['create', v1, /CREATE MATERIALIZED VIEW/],
    ['add a column', v2, /^ALTER MATERIALIZED VIEW `srmv_column_alter`.`daily` ADD COLUMN `biggest` AS max\(amount\)$/],
    ['drop a column', v3, /^ALTER MATERIALIZED VIEW `srmv_column_alter`.`daily` DROP COLUMN `total`$/],
  ] as const) {
    it(name, async () => {
      const before = await reflect(client)
      const p = diff(before, snapshot([state]), { compare: 'live' })
      expect(p.problems).toEqual([])
      expect(p.rebuilt).toEqual([])
      const start = sr.statements.length
      for (const statement of toStatements(p.ops, { version: '4.2' })) await client.query(statement)
      const received = sr.statements.slice(start)
      expect(received.some((s) => sent.test(s)), received.join('\n')).toBe(true)
      const again = diff(await reflect(client), snapshot([state]), { compare: 'live' })
      expect(again.changes).toEqual([])
      expect(again.ops).toEqual([])
    })
  }
})

describe('diff: a new sort key', () => {
  const ranged = MvDefinition.create({
    name: 'events',
    schema: 'shop',
    query: 'SELECT k1, k2, v FROM shop.orders',
    orderBy: ['k1'],
    refresh: { kind: 'manual', deferred: false },
    dependencies: [{ schema: 'shop', name: 'orders' }],
  })
  const resorted = MvDefinition.with(ranged, { orderBy: ['k2', 'k1'] })

  it('is ALTER ... ORDER BY on 4.2 against a live range-distributed MV (printed without DISTRIBUTED BY)', () => {
    const p = diff(snapshot([ranged]), snapshot([resorted]), { version: '4.2', compare: 'live' })
    expect(p.problems).toEqual([])
    expect(toStatements(p.ops, { version: '4.2' })).toEqual(['ALTER MATERIALIZED VIEW `shop`.`events` ORDER BY (`k2`, `k1`)'])
    expect(p.ops[0]).toMatchObject({ changes: [{ kind: 'orderBy', columns: ['k2', 'k1'], previous: ['k1'] }] })
  })

  it('stays a rebuild from a snapshot, on a hash- or random-distributed MV, or before 4.2', () => {
    const cases: [string, MvDefinition, MvDefinition, string, 'live' | 'snapshot'][] = [
      ['snapshot', ranged, resorted, '4.2', 'snapshot'],
      ['random', MvDefinition.with(ranged, { distribution: { kind: 'random' } }), MvDefinition.with(resorted, { distribution: { kind: 'random' } }), '4.2', 'live'],
      ['4.1', ranged, resorted, '4.1', 'live'],
      ['sort key removed', ranged, MvDefinition.with(ranged, { orderBy: undefined }), '4.2', 'live'],
    ]
    for (const [what, from, to, version, compare] of cases) {
      const p = diff(snapshot([from]), snapshot([to]), { version, compare })
      expect(p.problems.map((x) => x.code), what).toEqual(['IMMUTABLE_CHANGE'])
      expect(p.ops, what).toEqual([])
    }
  })
})
