import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { tableChanges } from '../../src/diff/canonical-table.js'
import { SchemaState, TableDefinition, ViewDefinition } from '../../src/model/index.js'
import { reflectManaged, tableAndViewDrift, type Project } from '../../src/migrate/project.js'
import { renderCreateTable, renderCreateView } from '../../src/render/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const DB = 'managed_db'
const indexed = TableDefinition.create({
  name: 'indexed',
  columns: [
    { name: 'id', type: 'BIGINT', nullable: false, autoIncrement: true },
    { name: 'tag', type: 'VARCHAR(20)', nullable: true },
  ],
  key: { model: 'PRIMARY', columns: ['id'] },
  indexes: [{ name: 'idx_tag', columns: ['tag'], using: 'BITMAP' }],
  distribution: { kind: 'hash', columns: ['id'], buckets: 1 },
  properties: { replication_num: '1' },
})
const tagView = ViewDefinition.create({ name: 'tags', query: `SELECT tag FROM ${DB}.indexed` })

/** reflectManaged reads only `project.schemas`. */
const project = { schemas: (): undefined => undefined } as unknown as Project

describe('reflectManaged on the emulator', () => {
  let sr: Emulator
  let client: Client
  beforeAll(async () => {
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    const setup = await connect(sr.url)
    await setup.query(`CREATE DATABASE ${DB}`)
    await setup.close()
    client = await connect(`${sr.url}${DB}`)
    await client.query(renderCreateTable(indexed))
    await client.query(renderCreateView(tagView))
    await client.query(`CREATE TABLE ${DB}.not_ours (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES ("replication_num" = "1")`)
    await client.query(`CREATE VIEW ${DB}.not_ours_either AS SELECT k FROM ${DB}.not_ours`)
  })
  afterAll(async () => {
    await client?.close()
    await sr?.close()
  })

  test('keeps only the managed tables and views, and reads indexes and AUTO_INCREMENT of those that declare them', async () => {
    const managed = SchemaState.create([], { tables: [indexed], views: [tagView] })
    const before = sr.statements.length
    const live = await reflectManaged(project, client, [managed])
    expect(live.defaultSchema).toBe(DB)
    expect((live.state.tables ?? []).map((t) => t.name)).toEqual(['indexed'])
    expect((live.state.views ?? []).map((v) => v.name)).toEqual(['tags'])
    expect(tableChanges(indexed, live.state.tables?.[0] as TableDefinition, { live: true })).toEqual([])
    expect(tableAndViewDrift(live.state, managed, live.defaultSchema)).toEqual([])
    expect(sr.statements.slice(before).filter((s) => s.startsWith('SHOW CREATE'))).toEqual([`SHOW CREATE TABLE \`${DB}\`.\`indexed\``])
  })
})
