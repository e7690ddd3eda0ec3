import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { compareQueries, desiredState, diff, parseState, serializeState, snapshot } from '../../src/diff/index.js'
import { SchemaState, ViewDefinition } from '../../src/model/index.js'
import { op, opToCode, reverse, toStatements, type Op } from '../../src/ops/index.js'
import { parseCreateView } from '../../src/reflect/index.js'
import { renderCreateView } from '../../src/render/index.js'
import { mv, table, view } from '../../src/schema/index.js'
import { sql } from '../../src/sql/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const DB = 'srmv_view_plan'
const orders = table('orders', {
  id: { type: 'BIGINT', notNull: true }, user_id: 'BIGINT', amount: 'DECIMAL(10, 2)', status: 'VARCHAR(16)',
}, { schema: DB, primaryKey: ['id'], distributedBy: { hash: 'id', buckets: 2 }, properties: { replication_num: 1 } })

const paid = view('paid_orders').schema(DB).columns({ name: 'id', comment: 'order id' }, 'user_id', 'amount').comment('orders with a payment')
  .as(sql`SELECT ${orders.id}, ${orders.user_id}, ${orders.amount} FROM ${orders} WHERE ${orders.status} = 'paid'`)
const paidByUser = mv('paid_by_user').schema(DB).refresh.manual().distributedBy.hash('user_id')
  .as(sql`SELECT user_id, sum(amount) AS total FROM ${paid} GROUP BY user_id`)

const kinds = (ops: readonly Op[]): string[] => ops.map((o) => (o.kind === 'alterMaterializedView' ? `alterMv:${o.changes.map((c) => c.kind).join('+')}` : o.kind))

describe('view(): the builder', () => {
  it('builds a frozen definition; ${view} in a query renders its name and records the dependency', () => {
    expect(paid.definition).toMatchObject({
      kind: 'ViewDefinition', name: 'paid_orders', schema: DB, comment: 'orders with a payment',
      columns: [{ name: 'id', comment: 'order id' }, { name: 'user_id' }, { name: 'amount' }],
      dependencies: [{ schema: DB, name: 'orders' }],
    })
    expect(Object.isFrozen(paid.definition)).toBe(true)
    expect(paidByUser.definition.dependencies).toEqual([{ schema: DB, name: 'paid_orders' }])
    expect(paidByUser.definition.query).toContain(`FROM \`${DB}\`.\`paid_orders\``)
    expect(paid.toSQL()).toBe(`CREATE VIEW \`${DB}\`.\`paid_orders\` (\`id\` COMMENT 'order id', \`user_id\`, \`amount\`)\nCOMMENT 'orders with a payment'\nAS ${paid.definition.query}`)
    expect(() => view('v').as('  ')).toThrow(/empty query/)
    // @ts-expect-error not a security mode
    expect(() => view('v').security('DEFINER')).toThrow(/'NONE' or 'INVOKER'/)
    expect(() => renderCreateView(view('v').security('INVOKER').as('SELECT 1 AS x').definition, { version: '3.3' })).toThrow(/3\.4\.1/)
  })

  it('views travel in snapshots', () => {
    const s = snapshot([orders, paid, paidByUser])
    expect(s.views).toEqual([paid.definition])
    expect(parseState(serializeState(s))).toEqual(s)
  })
})

describe('diff() with views', () => {
  it('orders table → view → MV on create, and the reverse on drop', () => {
    expect(kinds(diff(SchemaState.empty(), snapshot([orders, paid, paidByUser])).ops)).toEqual(['createTable', 'createView', 'createMaterializedView'])
    expect(kinds(diff(snapshot([orders, paid, paidByUser]), SchemaState.empty()).ops)).toEqual(['dropMaterializedView', 'dropView', 'dropTable'])
  })

  it('a new query is ALTER VIEW, with the MVs reading the view re-activated; a new comment re-creates the view', () => {
    const paid2 = view('paid_orders').schema(DB).columns({ name: 'id', comment: 'order id' }, 'user_id', 'amount').comment('orders with a payment')
      .as(sql`SELECT ${orders.id}, ${orders.user_id}, ${orders.amount} FROM ${orders} WHERE ${orders.status} IN ('paid', 'refunded')`)
    const r = diff(snapshot([orders, paid, paidByUser]), snapshot([orders, paid2, paidByUser]))
    expect(r.problems).toEqual([])
    expect(kinds(r.ops)).toEqual(['alterView', 'alterMv:active'])
    expect(toStatements(r.ops)[0]).toMatch(/^ALTER VIEW `srmv_view_plan`.`paid_orders` \(`id` COMMENT 'order id', `user_id`, `amount`\)\nAS SELECT/)
    expect(r.impacts?.[0]?.mvs).toEqual([`${DB}.paid_by_user`])
    const back = reverse(r.ops[0] as Op)
    expect(back).toMatchObject({ kind: 'alterView', definition: paid.definition })
    expect(JSON.parse(JSON.stringify(r.ops[0]))).toEqual(r.ops[0])
    expect(opToCode(r.ops[0] as Op)).toMatch(/^op\.alterView\(\{ kind: 'ViewDefinition'/)

    const recommented = view('paid_orders').schema(DB).columns({ name: 'id', comment: 'order id' }, 'user_id', 'amount').comment('paid')
      .as(paid.definition.query)
    const c = diff(snapshot([orders, paid]), snapshot([orders, recommented]))
    expect(kinds(c.ops)).toEqual(['dropView', 'createView'])
  })

  it('dropping a view an MV still reads is a MISSING_DEPENDENCY problem', () => {
    const r = diff(snapshot([orders, paid, paidByUser]), desiredState([orders, paidByUser]))
    expect(r.problems.map((p) => p.code)).toEqual(['MISSING_DEPENDENCY'])
  })

  it('op factories make the same ops as the plan', () => {
    expect(op.createView(paid)).toEqual({ kind: 'createView', definition: paid.definition, ifNotExists: false })
    expect(toStatements(op.dropView(paid, { ifExists: true }))).toEqual([`DROP VIEW IF EXISTS \`${DB}\`.\`paid_orders\``])
    expect(reverse(op.dropView(paid))).toEqual(op.createView(paid))
  })
})

describe('views on the emulator', () => {
  let sr: Emulator
  let client: Client
  beforeAll(async () => {
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    client = await connect(sr.url)
    await client.query(`CREATE DATABASE ${DB}`)
  })
  afterAll(async () => {
    await client.close()
    await sr.close()
  })
  const apply = async (ops: readonly Op[]): Promise<void> => {
    for (const s of toStatements(ops)) await client.query(s)
  }
  const showCreate = async (name: string): Promise<ViewDefinition> =>
    parseCreateView(String((await client.query(`SHOW CREATE VIEW ${DB}.${name}`)).rows[0]?.['Create View']))
  const isActive = async (name: string): Promise<string> =>
    String((await client.query(`SELECT IS_ACTIVE FROM information_schema.materialized_views WHERE TABLE_SCHEMA = '${DB}' AND TABLE_NAME = '${name}'`)).rows[0]?.IS_ACTIVE)

  it('render → emulator → SHOW CREATE VIEW → parse reads back the columns, comments, security and an equivalent query', async () => {
    const secure = view('secure_orders').schema(DB).columns('id').security('INVOKER').comment('x').as(sql`SELECT ${orders.id} FROM ${orders}`)
    await apply(diff(SchemaState.empty(), snapshot([orders, paid, secure, paidByUser])).ops)
    for (const v of [paid, secure]) {
      const back = await showCreate(v.definition.name)
      expect(back.columns).toEqual(v.definition.columns)
      expect(back.comment).toBe(v.definition.comment)
      expect(back.security).toBe(v.definition.security)
      expect(compareQueries(v.definition.query, back.query, 'full').equal).toBe(true)
      expect(back.dependencies.map((d) => d.name)).toEqual(['orders'])
    }
    // A live comparison finds nothing to do.
    const live = SchemaState.create([], { views: [await showCreate('paid_orders'), await showCreate('secure_orders')].map((v) => ViewDefinition.with(v, { schema: DB })) })
    expect(diff(live, SchemaState.create([], { views: [paid.definition, secure.definition] }), { compare: 'live' }).ops).toEqual([])
  })

  it('ALTER VIEW deactivates the MV that reads the view; the plan re-activates it', async () => {
    const paid2 = view('paid_orders').schema(DB).columns({ name: 'id', comment: 'order id' }, 'user_id', 'amount').comment('orders with a payment')
      .as(sql`SELECT ${orders.id}, ${orders.user_id}, ${orders.amount} FROM ${orders} WHERE ${orders.status} <> 'open'`)
    const plan = diff(snapshot([orders, paid, paidByUser]), snapshot([orders, paid2, paidByUser]))
    await apply(plan.ops.slice(0, 1))
    expect(await isActive('paid_by_user')).toBe('false')
    await apply(plan.ops.slice(1))
    expect(await isActive('paid_by_user')).toBe('true')
    expect((await showCreate('paid_orders')).query).toContain("<> 'open'")
  })

  it('ALTER VIEW of a missing view, or of a table, fails as on StarRocks', async () => {
    await expect(client.query(`ALTER VIEW ${DB}.nope AS SELECT 1 AS x`)).rejects.toThrow(/Unknown view/)
    await expect(client.query(`ALTER VIEW ${DB}.orders AS SELECT 1 AS x`)).rejects.toThrow(/is not a view/)
  })
})
