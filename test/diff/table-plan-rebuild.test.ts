import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { desiredState, diff, formatPlan, planToJSON, snapshot, tableChanges } from '../../src/diff/index.js'
import { SchemaState, TableDefinition } from '../../src/model/index.js'
import { reverse, toStatements, type Op } from '../../src/ops/index.js'
import { parseCreateTable } from '../../src/reflect/index.js'
import { mv, table, toTableDefinition } from '../../src/schema/index.js'
import { sql } from '../../src/sql/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const DB = 'srmv_table_rebuild'

const eventColumns = {
  dt: { type: 'DATE', notNull: true },
  id: { type: 'BIGINT', notNull: true },
  user_id: 'BIGINT',
  note: 'VARCHAR(100)',
} as const
const monthly = [
  { name: 'p202401', lessThan: '2024-02-01' },
  { name: 'p202402', lessThan: '2024-03-01' },
] as const
const eventOptions = {
  schema: DB, duplicateKey: ['dt', 'id'], partitionBy: { range: ['dt'], partitions: monthly },
  distributedBy: { hash: 'id', buckets: 2 }, properties: { replication_num: 1 },
} as const
const events = table('events', eventColumns, eventOptions)
const eventsDef = toTableDefinition(events)
const withPartitions = (partitions: readonly { name: string; lessThan: string }[], extra: Record<string, unknown> = {}) =>
  table('events', eventColumns, { ...eventOptions, partitionBy: { range: ['dt'], partitions }, ...extra })

const regionColumns = { region: { type: 'VARCHAR(20)', notNull: true }, city: { type: 'VARCHAR(20)', notNull: true }, n: 'INT' } as const
const regionOptions = {
  schema: DB, duplicateKey: ['region', 'city'], distributedBy: { hash: 'region', buckets: 1 }, properties: { replication_num: 1 },
  partitionBy: { list: ['region', 'city'], partitions: [{ name: 'p_west', values: [['west', 'LA'], ['west', 'SF']] }] },
} as const
const regions = table('regions', regionColumns, regionOptions)

const perUser = mv('per_user').schema(DB).refresh.manual().distributedBy.hash('user_id')
  .as(sql`SELECT ${events.user_id}, count(*) AS n FROM ${events} GROUP BY ${events.user_id}`)

const kinds = (ops: readonly Op[]): string[] =>
  ops.map((o) => (o.kind === 'alterTable' ? `alterTable:${o.changes.map((c) => c.kind).join('+')}` : o.kind === 'alterMaterializedView' ? `alterMv:${o.changes.map((c) => c.kind).join('+')}` : o.kind))

const T = `\`${DB}\`.\`events\``

describe('partition changes in table plans', () => {
  it('a new RANGE partition is an ADD PARTITION; nothing to acknowledge', () => {
    const next = withPartitions([...monthly, { name: 'p202403', lessThan: '2024-04-01' }])
    const r = diff(snapshot([events]), desiredState([next]))
    expect(r.problems).toEqual([])
    expect(toStatements(r.ops)).toEqual([`ALTER TABLE ${T} ADD PARTITION \`p202403\` VALUES LESS THAN ("2024-04-01")`])
    expect(planToJSON(r).warnings).toEqual([])
  })

  it('a dropped partition loses its data: a PARTITION_DROP problem until acknowledged, then a warning', () => {
    const rolled = [monthly[1], { name: 'p202403', lessThan: '2024-04-01' }]
    const r = diff(snapshot([events]), desiredState([withPartitions(rolled)]))
    expect(r.problems.map((p) => [p.code, p.mv, p.attribute])).toEqual([['PARTITION_DROP', `${DB}.events`, 'partition p202401']])
    expect(r.problems[0]?.message).toMatch(/its data is lost with it\. Acknowledge it with allowPartitionDrop: true/)

    const ok = diff(snapshot([events]), desiredState([withPartitions(rolled, { allowPartitionDrop: true })]))
    expect(ok.problems).toEqual([])
    expect(toStatements(ok.ops)).toEqual([
      `ALTER TABLE ${T} DROP PARTITION \`p202401\``,
      `ALTER TABLE ${T} ADD PARTITION \`p202403\` VALUES LESS THAN ("2024-04-01")`,
    ])
    expect(formatPlan(ok)).toContain(`! partition p202401 of table ${DB}.events is dropped, with its data.`)
    // the acknowledgement is an intent: it is not recorded in the snapshot
    expect(snapshot([withPartitions(rolled, { allowPartitionDrop: true })]).tables?.[0]?.allowPartitionDrop).toBeUndefined()
    // the plan-wide acknowledgement
    expect(diff(snapshot([events]), desiredState([withPartitions(rolled)]), { allowPartitionDrop: true }).problems).toEqual([])
    // and the op reverses (the partition comes back empty)
    expect(toStatements(reverse(ok.ops[0] as Op))).toEqual([
      `ALTER TABLE ${T} DROP PARTITION \`p202403\``,
      `ALTER TABLE ${T} ADD PARTITION \`p202401\` VALUES LESS THAN ("2024-02-01")`,
    ])
  })

  it('a partition whose bounds change is dropped and added again; dropping every partition, or a new scheme, is IMMUTABLE_CHANGE', () => {
    const moved = diff(snapshot([events]), desiredState([withPartitions([monthly[0], { name: 'p202402', lessThan: '2024-03-15' }], { allowPartitionDrop: true })]))
    expect(moved.problems).toEqual([])
    expect(toStatements(moved.ops)).toEqual([
      `ALTER TABLE ${T} DROP PARTITION \`p202402\``,
      `ALTER TABLE ${T} ADD PARTITION \`p202402\` VALUES LESS THAN ("2024-03-15")`,
    ])
    const all = diff(snapshot([events]), desiredState([withPartitions([{ name: 'p2024', lessThan: '2025-01-01' }], { allowPartitionDrop: true })]))
    expect(all.problems.map((p) => [p.code, p.attribute])).toEqual([['IMMUTABLE_CHANGE', 'partitionBy']])
    expect(all.problems[0]?.message).toMatch(/keeps at least one partition/)
    const expr = diff(snapshot([events]), desiredState([table('events', eventColumns, { ...eventOptions, partitionBy: { dateTrunc: 'month', column: 'dt' } })]))
    expect(expr.problems.map((p) => [p.code, p.attribute])).toEqual([['IMMUTABLE_CHANGE', 'partitionBy']])
    expect(expr.problems[0]?.message).toMatch(/rebuild: 'copy'/)
  })

  it('LIST partitions with several columns take tuples', () => {
    const next = table('regions', regionColumns, {
      ...regionOptions,
      partitionBy: { list: ['region', 'city'], partitions: [...regionOptions.partitionBy.partitions, { name: 'p_east', values: [['east', 'NY']] }] },
    })
    const r = diff(snapshot([regions]), desiredState([next]))
    expect(toStatements(r.ops)).toEqual([`ALTER TABLE \`${DB}\`.\`regions\` ADD PARTITION \`p_east\` VALUES IN (("east", "NY"))`])
  })
})

describe('index changes in table plans', () => {
  const indexed = (indexes: readonly Record<string, unknown>[]) => table('events', eventColumns, { ...eventOptions, indexes } as never)
  it('adds and drops indexes by name, a changed index is dropped and added again; each is its own statement', () => {
    const v1 = indexed([{ name: 'ix_user', columns: ['user_id'] }, { name: 'ix_note', columns: ['note'], using: 'NGRAMBF', properties: { gram_num: 4 } }])
    const v2 = indexed([{ name: 'ix_user', columns: ['user_id'], comment: 'by user' }, { name: 'ix_id', columns: ['id'], using: 'BITMAP' }])
    const r = diff(snapshot([v1]), desiredState([v2]))
    expect(r.problems).toEqual([])
    expect(kinds(r.ops)).toEqual(['alterTable:dropIndex+dropIndex+addIndex+addIndex'])
    expect(toStatements(r.ops)).toEqual([
      `ALTER TABLE ${T} DROP INDEX \`ix_user\``,
      `ALTER TABLE ${T} DROP INDEX \`ix_note\``,
      `ALTER TABLE ${T} ADD INDEX \`ix_user\` (\`user_id\`) USING BITMAP COMMENT 'by user'`,
      `ALTER TABLE ${T} ADD INDEX \`ix_id\` (\`id\`) USING BITMAP`,
    ])
  })

  it('an index type the target version lacks is a problem, not a statement that fails', () => {
    const r = diff(snapshot([events]), desiredState([indexed([{ name: 'ix_note', columns: ['note'], using: 'NGRAMBF' }])]), { version: '3.1' })
    expect(r.problems.map((p) => [p.code, p.attribute])).toEqual([['IMMUTABLE_CHANGE', 'index ix_note']])
    expect(r.problems[0]?.message).toMatch(/needs StarRocks 3\.2/)
  })
})

describe('rebuild by copy', () => {
  const rekeyed = (extra: Record<string, unknown> = {}) =>
    table('events', { ...eventColumns, user_id: { type: 'BIGINT', notNull: true, default: '0' } }, {
      ...eventOptions, duplicateKey: undefined, primaryKey: ['dt', 'id'], ...extra,
    } as never)

  it('without the opt-in, a key-model change is IMMUTABLE_CHANGE naming the opt-in', () => {
    const r = diff(snapshot([events]), desiredState([rekeyed()]))
    expect(r.problems.map((p) => [p.code, p.attribute])).toContainEqual(['IMMUTABLE_CHANGE', 'key'])
    expect(r.problems.find((p) => p.attribute === 'key')?.message).toMatch(/rebuild: 'copy'.*--table-rebuild copy/)
  })

  it("rebuild: 'copy' plans CREATE new, INSERT ... SELECT, SWAP WITH, DROP the old one, and re-activates the MVs reading the table", () => {
    const next = rekeyed({ rebuild: 'copy' })
    const r = diff(snapshot([events, perUser]), desiredState([next, perUser]))
    expect(r.problems).toEqual([])
    expect(kinds(r.ops)).toEqual(['createTable', 'copyRows', 'alterTable:swap', 'dropTable', 'alterMv:active'])
    const statements = toStatements(r.ops)
    expect(statements[0]).toMatch(new RegExp(`^CREATE TABLE \`${DB}\`\\.\`events__srmv_new\` \\(`))
    expect(statements[0]).toContain('PRIMARY KEY (`dt`, `id`)')
    expect(statements.slice(1)).toEqual([
      `INSERT INTO \`${DB}\`.\`events__srmv_new\` (\`dt\`, \`id\`, \`user_id\`, \`note\`) SELECT \`dt\`, \`id\`, \`user_id\`, \`note\` FROM ${T}`,
      `ALTER TABLE ${T} SWAP WITH \`events__srmv_new\``,
      `DROP TABLE \`${DB}\`.\`events__srmv_new\``,
      `ALTER MATERIALIZED VIEW \`${DB}\`.\`per_user\` ACTIVE`,
    ])
    expect(r.tableRebuilds?.map((x) => [x.table, x.temp, x.copied.length])).toEqual([[`${DB}.events`, `${DB}.events__srmv_new`, 4]])
    const warnings = planToJSON(r).warnings
    expect(warnings.some((w) => /is rebuilt by copy.*Rows written to .*events during the copy are lost/.test(w))).toBe(true)
    expect(warnings.some((w) => w.includes('StarRocks deactivates') && w.includes('per_user'))).toBe(true)
    // the temporary table's drop is the rebuild's, not a lost table
    expect(warnings.some((w) => /table .*events__srmv_new is dropped/.test(w))).toBe(false)
    // the plan-wide opt-in does the same
    expect(kinds(diff(snapshot([events]), desiredState([rekeyed()]), { tableRebuild: 'copy' }).ops)).toEqual(['createTable', 'copyRows', 'alterTable:swap', 'dropTable'])
    // the ops reverse into the rebuild back
    const back = [...r.ops.slice(0, 4)].reverse().map((o) => reverse(o))
    expect(kinds(back)).toEqual(['createTable', 'alterTable:swap', 'copyRows', 'dropTable'])
    expect(toStatements(back[2] as Op)).toEqual([`INSERT INTO ${T} (\`dt\`, \`id\`, \`user_id\`, \`note\`) SELECT \`dt\`, \`id\`, \`user_id\`, \`note\` FROM \`${DB}\`.\`events__srmv_new\``])
  })

  it('a dropped column is said in the warning; a new NOT NULL column without default, and a taken temporary name, are problems', () => {
    const fewer = table('events', { dt: eventColumns.dt, id: eventColumns.id, user_id: eventColumns.user_id }, { ...eventOptions, duplicateKey: ['dt'], rebuild: 'copy' })
    const r = diff(snapshot([events]), desiredState([fewer]))
    expect(r.problems).toEqual([])
    expect(r.tableRebuilds?.[0]?.dropped).toEqual(['note'])
    expect(planToJSON(r).warnings.join('\n')).toMatch(/Column note is not copied: its data is lost/)

    const strict = table('events', { ...eventColumns, flag: { type: 'INT', notNull: true } }, { ...eventOptions, duplicateKey: ['dt'], rebuild: 'copy' })
    const bad = diff(snapshot([events]), desiredState([strict]))
    expect(bad.problems.map((p) => [p.code, p.attribute])).toEqual([['IMMUTABLE_CHANGE', 'column flag']])
    expect(bad.problems[0]?.message).toMatch(/NOT NULL and has no default/)

    const squatter = table('events__srmv_new', { id: 'BIGINT' }, { schema: DB, managed: true })
    const taken = diff(snapshot([events, squatter]), desiredState([rekeyed({ rebuild: 'copy' }), squatter]))
    expect(taken.problems.map((p) => p.code)).toEqual(['TEMP_NAME_TAKEN'])
  })
})

describe('partition, index and copy plans applied to the emulator', () => {
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
  const rows = async (q: string): Promise<Record<string, unknown>[]> => [...(await client.query(q)).rows]

  it('partitions: add, drop (its rows go), and SHOW CREATE TABLE reads back as the desired table', async () => {
    await apply(diff(SchemaState.empty(), desiredState([events])).ops)
    expect(tableChanges(eventsDef, await showCreate('events'), { live: true })).toEqual([])
    await client.query(`INSERT INTO ${DB}.events VALUES ('2024-01-10', 1, 7, 'a'), ('2024-02-10', 2, 8, 'b')`)

    const rolled = withPartitions([monthly[1], { name: 'p202403', lessThan: '2024-04-01' }, { name: 'p202404', lessThan: '2024-05-01' }], { allowPartitionDrop: true })
    const plan = diff(snapshot([events]), desiredState([rolled]))
    expect(plan.problems).toEqual([])
    await apply(plan.ops)
    const live = await showCreate('events')
    expect(tableChanges(toTableDefinition(rolled), live, { live: true })).toEqual([])
    expect((await rows(`SELECT id FROM ${DB}.events ORDER BY id`)).map((r) => Number(r.id))).toEqual([2])
    // a second plan from the server's own state has nothing left to do
    expect(diff(SchemaState.create([], { tables: [TableDefinition.with(live, { schema: DB })] }), snapshot([rolled]), { compare: 'live' }).ops).toEqual([])
    // the emulator refuses what StarRocks refuses
    await expect(client.query(`ALTER TABLE ${DB}.events ADD PARTITION px VALUES LESS THAN ("2024-03-15")`)).rejects.toThrow(/intersected/)
    await expect(client.query(`ALTER TABLE ${DB}.events ADD PARTITION p202403 VALUES LESS THAN ("2024-06-01")`)).rejects.toThrow(/Duplicate partition name/)
    await apply(diff(snapshot([rolled]), desiredState([events]), { allowPartitionDrop: true }).ops)
    expect(tableChanges(eventsDef, await showCreate('events'), { live: true })).toEqual([])
  })

  it('indexes: ADD / DROP INDEX jobs converge', async () => {
    const v2 = table('events', eventColumns, { ...eventOptions, indexes: [{ name: 'ix_user', columns: ['user_id'], comment: 'u' }, { name: 'ix_note', columns: ['note'], using: 'NGRAMBF', properties: { gram_num: 4, bloom_filter_fpp: 0.05 } }] })
    await apply(diff(snapshot([events]), desiredState([v2])).ops)
    expect(tableChanges(toTableDefinition(v2), await showCreate('events'), { live: true })).toEqual([])
    const jobs = await rows(`SHOW ALTER TABLE COLUMN FROM ${DB} WHERE TableName = "events"`)
    expect(jobs.map((j) => j.State)).toEqual(['FINISHED', 'FINISHED'])
    await apply(diff(snapshot([v2]), desiredState([events])).ops)
    expect(tableChanges(eventsDef, await showCreate('events'), { live: true })).toEqual([])
  })

  it('a copy rebuild keeps the rows, swaps the new definition in and leaves the MV active', async () => {
    await apply(diff(snapshot([events]), desiredState([events, perUser])).ops)
    await client.query(`REFRESH MATERIALIZED VIEW ${DB}.per_user WITH SYNC MODE`)
    const next = table('events', { ...eventColumns, note: 'VARCHAR(200)', channel: { type: 'VARCHAR(10)', notNull: true, default: 'web' } }, {
      ...eventOptions, duplicateKey: undefined, uniqueKey: ['dt', 'id'], rebuild: 'copy',
    } as never)
    const plan = diff(snapshot([events, perUser]), desiredState([next, perUser]))
    expect(plan.problems).toEqual([])
    await apply(plan.ops)
    expect(tableChanges(toTableDefinition(next), await showCreate('events'), { live: true })).toEqual([])
    expect((await rows(`SELECT id, note, channel FROM ${DB}.events ORDER BY id`)).map((r) => [Number(r.id), r.note, r.channel])).toEqual([[2, 'b', 'web']])
    expect(String((await rows(`SELECT IS_ACTIVE FROM information_schema.materialized_views WHERE TABLE_SCHEMA = '${DB}' AND TABLE_NAME = 'per_user'`))[0]?.IS_ACTIVE)).toBe('true')
    expect((await rows(`SHOW TABLES FROM ${DB}`)).map((r) => Object.values(r)[0])).not.toContain('events__srmv_new')
  })
})
