import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { definitionChanges, describeChange, diff } from '../../src/diff/index.js'
import { MvDefinition, SchemaState } from '../../src/model/index.js'
import { definitionToCode } from '../../src/ops/index.js'
import { parseMaterializedView } from '../../src/reflect/index.js'
import { reflect } from '../../src/reflect/reflect.js'
import { renderCreate } from '../../src/render/index.js'
import { mv } from '../../src/schema/index.js'
import { sql } from '../../src/sql/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const DB = 'srmv_mv_indexes'
const withIndexes = mv('by_city').schema(DB).columns('city', 'note', 'n').distributedBy.hash('city').refresh.manual()
  .index('idx_city', 'city', { using: 'BITMAP', comment: 'city lookups' })
  .index('idx_note', ['note'], { using: 'NGRAMBF', properties: { gram_num: 4, bloom_filter_fpp: '0.05' } })
  .properties({ replication_num: 1 })
  .as(sql`SELECT city, note, count(*) AS n FROM srmv_mv_indexes.t GROUP BY city, note`)

describe('indexes in an MV column list', () => {
  test('render after the columns, and the parser reads them back', () => {
    const text = renderCreate(withIndexes.definition, { version: '3.5' })
    expect(text.split('\n')[0]).toBe(
      "CREATE MATERIALIZED VIEW `srmv_mv_indexes`.`by_city` (`city`, `note`, `n`, INDEX `idx_city` (`city`) USING BITMAP COMMENT 'city lookups', " +
        'INDEX `idx_note` (`note`) USING NGRAMBF ("gram_num" = "4", "bloom_filter_fpp" = "0.05"))',
    )
    const back = parseMaterializedView(text)
    expect(back.indexes).toEqual(withIndexes.definition.indexes)
    expect(back.columns?.map((c) => c.name)).toEqual(['city', 'note', 'n'])
  })

  test('need a column list, declared columns, distinct names, and 3.1', () => {
    expect(() => mv('m').refresh.manual().index('i', 'a').as('SELECT 1 AS a').definition).toThrow(/needs a column list: add \.columns/)
    expect(() => mv('m').columns('a').refresh.manual().index('i', 'b').as('SELECT 1 AS a').definition).toThrow(/index i.*b/)
    expect(() => renderCreate(withIndexes.definition, { version: '3.0' })).toThrow(/indexes in the column list needs StarRocks 3\.1/)
    expect(() => mv('m').columns('a').refresh.manual().index('i', 'a', { using: 'HASH' as never }).as('SELECT 1 AS a').definition).toThrow(/unknown kind/)
  })

  test('a change of indexes is a rebuild, named in words; the same indexes in another order or case are not a change', () => {
    const other = MvDefinition.with(withIndexes.definition, { indexes: [withIndexes.definition.indexes?.[0] as never] })
    const plan = diff(SchemaState.create([withIndexes.definition]), SchemaState.create([other]))
    expect(plan.problems.map((p) => p.message).join('\n')).toMatch(/by_city.*indexes/)
    const changes = definitionChanges(withIndexes.definition, other)
    expect(changes.map((c) => c.kind)).toEqual(['indexesChanged'])
    expect(describeChange(changes[0] as never).summary).toContain('INDEX idx_note (note) USING NGRAMBF')
    const shuffled = MvDefinition.with(withIndexes.definition, {
      indexes: [...(withIndexes.definition.indexes ?? [])].reverse().map((ix) => ({ ...ix, name: ix.name.toUpperCase(), columns: ix.columns.map((c) => c.toUpperCase()) })),
    })
    expect(definitionChanges(withIndexes.definition, shuffled)).toEqual([])
  })

  test('the code generator writes them as .index(...)', () => {
    const code = definitionToCode(withIndexes.definition)
    expect(code).toContain(".index('idx_city', 'city', { using: 'BITMAP', comment: 'city lookups' })")
    expect(code).toContain(".index('idx_note', 'note', { using: 'NGRAMBF', properties: { gram_num: '4', bloom_filter_fpp: '0.05' } })")
  })
})

describe('round trip through the emulator', () => {
  let sr: Emulator
  let client: Client
  beforeAll(async () => {
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    client = await connect(sr.url)
    await client.query(`CREATE DATABASE ${DB}`)
    await client.query(`CREATE TABLE ${DB}.t (city VARCHAR(20), note VARCHAR(100), x INT) DUPLICATE KEY(city) DISTRIBUTED BY HASH(city)`)
    await client.query(renderCreate(withIndexes.definition, { version: '3.5' }))
  })
  afterAll(async () => {
    await client?.close()
    await sr?.close()
  })

  test('reflect keeps the indexes, and a live comparison sees no change', async () => {
    const state = await reflect(client, { schemas: [DB] })
    const live = state.mvs[0] as MvDefinition
    expect(live.indexes?.map((ix) => [ix.name, ix.columns, ix.using])).toEqual([['idx_city', ['city'], 'BITMAP'], ['idx_note', ['note'], 'NGRAMBF']])
    expect(definitionChanges(live, withIndexes.definition, { mode: 'live', version: '3.5' })).toEqual([])
  })

  test('an index on a column the MV does not have is refused', async () => {
    await expect(client.query(`CREATE MATERIALIZED VIEW ${DB}.bad (city, INDEX i (nope) USING BITMAP) REFRESH MANUAL AS SELECT city FROM ${DB}.t`)).rejects.toThrow(/invalid column name: nope/)
  })
})
