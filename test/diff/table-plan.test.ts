import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { desiredState, diff, formatPlan, parseState, serializeState, snapshot, tableChanges } from '../../src/diff/index.js'
import { MvDefinition, SchemaState, TableDefinition, type TableColumn } from '../../src/model/index.js'
import { op, opToCode, reverse, toStatements, type Op } from '../../src/ops/index.js'
import { parseCreateTable } from '../../src/reflect/index.js'
import { mv, table, toTableDefinition } from '../../src/schema/index.js'
import { sql } from '../../src/sql/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const DB = 'srmv_table_plan'

const ordersColumns = {
  id: { type: 'BIGINT', notNull: true },
  order_date: { type: 'DATE', notNull: true },
  user_id: 'BIGINT',
  amount: { type: 'DECIMAL(10, 2)', default: '0' },
  note: 'VARCHAR(100)',
} as const
const ordersOptions = { schema: DB, primaryKey: ['id', 'order_date'], distributedBy: { hash: 'id', buckets: 4 }, properties: { replication_num: 1 } } as const
const orders = table('orders', ordersColumns, ordersOptions)
const ordersDef = toTableDefinition(orders)

const daily = mv('daily_sales').schema(DB).refresh.manual().distributedBy.hash('order_date')
  .as(sql`SELECT ${orders.order_date}, sum(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.order_date}`)
const byUser = mv('by_user').schema(DB).refresh.manual().distributedBy.hash('user_id')
  .as(sql`SELECT ${orders.user_id}, count(*) AS n FROM ${orders} GROUP BY ${orders.user_id}`)

const withColumns = (def: TableDefinition, columns: TableColumn[]): TableDefinition => TableDefinition.with(def, { columns })
const kinds = (ops: readonly Op[]): string[] =>
  ops.map((o) => (o.kind === 'alterTable' ? `alterTable:${o.changes.map((c) => c.kind).join('+')}` : o.kind === 'alterMaterializedView' ? `alterMv:${o.changes.map((c) => c.kind).join('+')}` : o.kind))

describe('snapshots with tables', () => {
  it('snapshot() takes managed tables beside MVs; the JSON round-trips; a state without tables serialises as before', () => {
    const s = snapshot([daily, orders])
    expect(s.tables).toEqual([ordersDef])
    expect(s.mvs.map((m) => m.name)).toEqual(['daily_sales'])
    expect(parseState(serializeState(s))).toEqual(s)
    const old = snapshot([daily])
    expect(serializeState(old)).not.toContain('"tables"')
    expect(parseState(serializeState(old)).tables).toBeUndefined()
    expect(() => parseState(JSON.stringify({ kind: 'SchemaState', format: 1, mvs: [], tables: [{ kind: 'Nope' }] }))).toThrow(/tables\[0\]/)
  })

  it('a table and an MV with one name, or a table declared twice, are refused', () => {
    expect(() => snapshot([orders, orders])).toThrow(/declared twice/)
    const clash = mv('orders').schema(DB).refresh.manual().as('SELECT 1 AS x')
    expect(() => snapshot([orders, clash])).toThrow(/both as a table and as a materialized view/)
  })
})

describe('diff() with tables', () => {
  it('creates a table before the MVs that read it, and drops it after them', () => {
    const up = diff(SchemaState.empty(), snapshot([orders, daily]))
    expect(kinds(up.ops)).toEqual(['createTable', 'createMaterializedView'])
    const down = diff(snapshot([orders, daily]), SchemaState.empty())
    expect(kinds(down.ops)).toEqual(['dropMaterializedView', 'dropTable'])
    expect(down.problems).toEqual([])
  })

  it('adds, drops and modifies columns in one ALTER TABLE, and shows the MVs a dropped or retyped column deactivates', () => {
    const next = withColumns(ordersDef, [
      ...ordersDef.columns.filter((c) => c.name !== 'note').map((c) => (c.name === 'user_id' ? { ...c, type: 'LARGEINT' } : c)),
      { name: 'channel', type: 'VARCHAR(20)', nullable: true, comment: 'web or shop' },
    ])
    const r = diff(snapshot([orders, daily, byUser]), snapshot([next, daily, byUser]))
    expect(r.problems).toEqual([])
    expect(kinds(r.ops)).toEqual(['alterTable:dropColumn+modifyColumn+addColumn', 'alterMv:active', 'alterMv:active'])
    expect(toStatements(r.ops)).toEqual([
      `ALTER TABLE \`${DB}\`.\`orders\` DROP COLUMN \`note\`, MODIFY COLUMN \`user_id\` LARGEINT NULL, ADD COLUMN \`channel\` VARCHAR(20) NULL COMMENT 'web or shop' AFTER \`amount\``,
      `ALTER MATERIALIZED VIEW \`${DB}\`.\`by_user\` ACTIVE`,
      `ALTER MATERIALIZED VIEW \`${DB}\`.\`daily_sales\` ACTIVE`,
    ])
    expect(r.impacts?.map((i) => [i.change, i.mvs])).toEqual([
      ['drops column note', [`${DB}.by_user`, `${DB}.daily_sales`]],
      ['changes the type of column user_id', [`${DB}.by_user`, `${DB}.daily_sales`]],
    ])
    expect(r.reactivated).toEqual([`${DB}.by_user`, `${DB}.daily_sales`])
    expect(formatPlan(r)).toContain(`${DB}.orders drops column note: StarRocks deactivates ${DB}.by_user, ${DB}.daily_sales; the plan re-activates them afterwards`)
  })

  it('an added column only (no MV hit) re-activates nothing', () => {
    const next = withColumns(ordersDef, [...ordersDef.columns, { name: 'x', type: 'INT', nullable: true }])
    const r = diff(snapshot([orders, daily]), snapshot([next, daily]))
    expect(kinds(r.ops)).toEqual(['alterTable:addColumn'])
    expect(r.impacts).toBeUndefined()
  })

  it('a dropped column an MV still reads is a MISSING_DEPENDENCY problem; a rebuilt MV is not re-activated', () => {
    const next = withColumns(ordersDef, ordersDef.columns.filter((c) => c.name !== 'amount'))
    const r = diff(snapshot([orders, daily]), snapshot([next, daily]))
    expect(r.problems.map((p) => [p.code, p.mv])).toEqual([['MISSING_DEPENDENCY', `${DB}.daily_sales`]])
    expect(r.problems[0]?.message).toMatch(/reads column amount/)
    const rewritten = mv('daily_sales').schema(DB).refresh.manual().distributedBy.hash('order_date')
      .as(sql`SELECT ${orders.order_date}, count(*) AS total FROM ${orders} GROUP BY ${orders.order_date}`)
    const rebuilt = diff(snapshot([orders, daily]), snapshot([next, rewritten]), { rebuild: 'drop-create' })
    expect(rebuilt.problems).toEqual([])
    expect(kinds(rebuilt.ops)).toEqual(['alterTable:dropColumn', 'dropMaterializedView', 'createMaterializedView'])
  })

  it('key-model, partition and create-only property changes are IMMUTABLE_CHANGE problems with the way out', () => {
    const rekeyed = TableDefinition.with(ordersDef, { key: { model: 'UNIQUE', columns: ['id', 'order_date'] } })
    const repart = TableDefinition.with(ordersDef, { partitionBy: { kind: 'expression', expressions: ["date_trunc('month', `order_date`)"] } })
    const recompress = TableDefinition.with(ordersDef, { properties: { ...ordersDef.properties, compression: 'ZSTD' } })
    for (const [next, attribute] of [[rekeyed, 'key'], [repart, 'partitionBy'], [recompress, 'property compression']] as const) {
      const r = diff(snapshot([orders]), snapshot([next]))
      expect(r.ops).toEqual([])
      expect(r.problems.map((p) => [p.code, p.mv, p.attribute])).toEqual([['IMMUTABLE_CHANGE', `${DB}.orders`, attribute]])
      expect(r.problems[0]?.message).toMatch(/SWAP WITH/)
    }
  })

  it('alterable properties, the comment, ORDER BY and DISTRIBUTED BY are ALTERed (3.2+ for the last two)', () => {
    const next = TableDefinition.with(ordersDef, {
      properties: { replication_num: '3', bloom_filter_columns: 'user_id' }, comment: 'all orders', orderBy: ['user_id'],
      distribution: { kind: 'hash', columns: ['id'], buckets: 8 },
    })
    const r = diff(snapshot([orders]), snapshot([next]), { version: '3.5' })
    expect(r.problems).toEqual([])
    expect(toStatements(r.ops)).toEqual([
      `ALTER TABLE \`${DB}\`.\`orders\` COMMENT = 'all orders'`,
      `ALTER TABLE \`${DB}\`.\`orders\` DISTRIBUTED BY HASH(\`id\`) BUCKETS 8`,
      `ALTER TABLE \`${DB}\`.\`orders\` ORDER BY (\`user_id\`)`,
      `ALTER TABLE \`${DB}\`.\`orders\` SET ("bloom_filter_columns" = "user_id")`,
      `ALTER TABLE \`${DB}\`.\`orders\` SET ("replication_num" = "3")`,
    ])
    const old = diff(snapshot([orders]), snapshot([next]), { version: '3.1' })
    expect(old.problems.map((p) => p.attribute).sort()).toEqual(['distribution', 'orderBy'])
  })

  it('renames a table only from a hint; an MV still reading the old name is a problem', () => {
    const renamed = table('orders_v2', ordersColumns, { ...ordersOptions, renamedFrom: 'orders' })
    const r = diff(snapshot([orders]), desiredState([renamed]))
    expect(snapshot([renamed]).tables?.[0]?.renamedFrom).toBeUndefined()
    expect(toStatements(r.ops)).toEqual([`ALTER TABLE \`${DB}\`.\`orders\` RENAME \`orders_v2\``])
    const stale = diff(snapshot([orders, daily]), desiredState([renamed, daily]))
    expect(stale.problems.map((p) => p.code)).toContain('MISSING_DEPENDENCY')
    const noHint = diff(snapshot([orders]), snapshot([table('orders_v2', ordersColumns, ordersOptions)]))
    expect(kinds(noHint.ops)).toEqual(['createTable', 'dropTable'])
  })

  it('table ops reverse, render as code and survive JSON', () => {
    const next = withColumns(ordersDef, [...ordersDef.columns.filter((c) => c.name !== 'note'), { name: 'x', type: 'INT', nullable: true }])
    const r = diff(snapshot([orders]), snapshot([next]))
    const alterOp = r.ops[0] as Op
    const back = reverse(alterOp)
    expect(toStatements(back)).toEqual([`ALTER TABLE \`${DB}\`.\`orders\` DROP COLUMN \`x\`, ADD COLUMN \`note\` VARCHAR(100) NULL AFTER \`amount\``])
    expect(reverse(back)).toEqual(alterOp)
    expect(JSON.parse(JSON.stringify(alterOp))).toEqual(alterOp)
    expect(opToCode(alterOp)).toMatch(/^op\.alterTable\('srmv_table_plan\.orders', \[/)
    expect(toStatements(reverse(op.createTable(orders)))).toEqual([`DROP TABLE \`${DB}\`.\`orders\``])
    expect(() => reverse(op.dropTable(`${DB}.orders`))).toThrow(/did not record the definition/)
    expect(reverse(reverse(op.dropTable(orders)))).toEqual(op.dropTable(orders))
  })
})

describe('table plans applied to the emulator', () => {
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
  const showCreate = async (name: string): Promise<TableDefinition> =>
    parseCreateTable(String((await client.query(`SHOW CREATE TABLE ${DB}.${name}`)).rows[0]?.['Create Table']))
  const isActive = async (name: string): Promise<string> =>
    String((await client.query(`SELECT IS_ACTIVE FROM information_schema.materialized_views WHERE TABLE_SCHEMA = '${DB}' AND TABLE_NAME = '${name}'`)).rows[0]?.IS_ACTIVE)

  it('from empty to applied, then a retyped column: the MV is deactivated by the ALTER and re-activated by the plan', async () => {
    const v1 = snapshot([orders, daily, byUser])
    await apply(diff(SchemaState.empty(), v1).ops)
    expect(tableChanges(ordersDef, await showCreate('orders'), { live: true })).toEqual([])

    const next = withColumns(ordersDef, [...ordersDef.columns.map((c) => (c.name === 'user_id' ? { ...c, type: 'LARGEINT' } : c)), { name: 'channel', type: 'VARCHAR(20)', nullable: true }])
    const plan = diff(v1, snapshot([next, daily, byUser]))
    expect(plan.problems).toEqual([])
    // Run the ALTER alone first: StarRocks deactivates the MV whose query reads the retyped column.
    await apply(plan.ops.slice(0, 1))
    expect(await isActive('by_user')).toBe('false')
    await apply(plan.ops.slice(1))
    expect(await isActive('by_user')).toBe('true')
    expect(await isActive('daily_sales')).toBe('true')
    expect(tableChanges(next, await showCreate('orders'), { live: true })).toEqual([])
    const back = diff(snapshot([next, daily, byUser]), v1)
    await apply(back.ops)
    expect(tableChanges(ordersDef, await showCreate('orders'), { live: true })).toEqual([])
  })

  it('the emulator refuses what StarRocks refuses in ALTER TABLE', async () => {
    await expect(client.query(`ALTER TABLE ${DB}.orders DROP COLUMN id`)).rejects.toThrow(/Can not drop key column/)
    await expect(client.query(`ALTER TABLE ${DB}.orders ADD COLUMN amount INT`)).rejects.toThrow(/already exists/)
    await expect(client.query(`ALTER TABLE ${DB}.orders DROP COLUMN nope`)).rejects.toThrow(/does not exists/)
    await expect(client.query(`ALTER TABLE ${DB}.orders ADD COLUMN s INT SUM`)).rejects.toThrow(/aggregation/)
  })

  it('MvDefinition dependencies carry the table, so unqualified names resolve the same way', () => {
    expect(daily.definition.dependencies).toEqual([{ schema: DB, name: 'orders' }])
    expect(MvDefinition.fromJSON(JSON.parse(JSON.stringify(daily.definition)))).toEqual(daily.definition)
  })
})
