import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { desiredState, serializeState, snapshot } from '../../src/diff/index.js'
import { generateMigration, latestSnapshot } from '../../src/migrate/generate.js'
import { DEPLOYED_TYPES_FILE, queryHash, renderDeployedTypes, writeDeployedTypes } from '../../src/migrate/deployed-types.js'
import { MvDefinition, SchemaState } from '../../src/model/index.js'
import { mv, sql, table } from '../../src/index.js'

const orders = table('orders', { id: 'BIGINT', user_id: 'BIGINT', order_date: 'DATE' }, { schema: 'shop' })
const daily = mv('daily')
  .schema('mart')
  .columns('Order_Date', 'User_Id', { name: 'n', comment: "it's \"quoted\"" })
  .comment('Per day')
  .partitionBy(sql`date_trunc('day', ${sql.id('order_date')})`)
  .distributedBy.hash(['order_date', orders.user_id], { buckets: 4 })
  .orderBy('order_date')
  .properties({ replication_num: 1, partition_ttl_number: 7, storage_medium: 'SSD' }, { unknown: { my_prop: 'x' } })
  .as(sql`SELECT ${orders.order_date}, COUNT(*) AS n FROM ${orders} GROUP BY ${orders.order_date}`)
const rollup = mv('rollup').schema('shop').sync().as('SELECT user_id, count(id) FROM shop.orders GROUP BY user_id')
const plain = mv('plain').as('SELECT 1')

const dirs: string[] = []
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'srmv-deployed-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('renderDeployedTypes', () => {
  const text = renderDeployedTypes(snapshot([daily, rollup, plain]), { source: '20250101000000_x.snapshot.json' })

  it('augments the global StarRocksMvDeployed with every MV by qualified key, sorted', () => {
    expect(text).toContain('declare global {\n  interface StarRocksMvDeployed {')
    expect(text).toContain('export {}')
    const keys = [...text.matchAll(/^ {4}"([^"]+)": \{$/gm)].map((m) => m[1])
    expect(keys).toEqual(['mart.daily', 'plain', 'shop.rollup'])
    expect(text).toContain('20250101000000_x.snapshot.json')
  })

  it('records the immutable attributes as text in the differ\'s terms', () => {
    expect(text).toContain(`readonly columns: "(order_date, user_id, n COMMENT 'it's \\"quoted\\"')"`)
    expect(text).toContain(`readonly comment: "'Per day'"`)
    expect(text).toContain('readonly partitionBy: "(date_trunc ( \\"day\\" , order_date ))"')
    expect(text).toContain('readonly distribution: "HASH(order_date, user_id)"')
    expect(text).toContain('readonly buckets: "4"')
    expect(text).toContain('readonly orderBy: "(order_date)"')
  })

  it('records create-only properties only: alterable and unknown ones are left out', () => {
    const dailyBlock = text.slice(text.indexOf('"mart.daily"'), text.indexOf('"plain"'))
    expect(dailyBlock).toContain('readonly "replication_num": "1"')
    expect(dailyBlock).toContain('readonly "storage_medium": "SSD"')
    expect(dailyBlock).not.toContain('partition_ttl_number')
    expect(dailyBlock).not.toContain('my_prop')
    const written = dailyBlock.slice(dailyBlock.indexOf('readonly written'), dailyBlock.indexOf('readonly sync: "async"'))
    // a value that is not the default must be given; one without a default that was not deployed must not be
    expect(written).toMatch(/readonly properties: \{\n(\s+readonly .+\n)*\s+readonly "replication_num": 1\n/)
    expect(written).toContain('readonly "storage_medium": "SSD"')
    expect(written).toContain('readonly "storage_cooldown_time"?: never')
    // one with a default may be omitted or given at its default (shared-data clusters report storage_volume)
    expect(written).toContain('readonly "storage_volume"?: "builtin_storage_volume"')
    expect(written).not.toContain('partition_ttl_number')
  })

  it('writes how an unchanged MV is written: columns, typed columns, sql fragments', () => {
    expect(text).toContain('readonly columns: readonly ["Order_Date" | { readonly name: "Order_Date"; readonly comment?: "" }, "User_Id" | { readonly name: "User_Id"; readonly comment?: "" }, { readonly name: "n"; readonly comment: "it\'s \\"quoted\\"" }]')
    expect(text).toContain('readonly partitionBy: readonly [{ readonly toSQL: unknown }]')
    expect(text).toContain('readonly distribution: readonly ["hash", readonly ["order_date" | { readonly columnName: "order_date" }, "user_id" | { readonly columnName: "user_id" }]]')
  })

  it('a synchronous MV has no distribution to compare; an MV without a database is keyed by its name', () => {
    const rollupBlock = text.slice(text.indexOf('"shop.rollup"'))
    expect(rollupBlock).toContain('readonly sync: "sync"')
    expect(rollupBlock.slice(0, rollupBlock.indexOf('readonly properties'))).not.toContain('distribution')
    const plainBlock = text.slice(text.indexOf('"plain"'), text.indexOf('"shop.rollup"'))
    expect(plainBlock).not.toContain('readonly schema')
    expect(plainBlock).toContain('readonly distribution: "RANDOM"')
    expect(plainBlock).toContain('readonly buckets: "auto"')
  })

  it('a catalog property the MV declared alterable may take any value', () => {
    const def = MvDefinition.create({ name: 'm', query: 'SELECT 1', properties: { replication_num: '2' }, alterableProperties: ['replication_num'] })
    const out = renderDeployedTypes(SchemaState.create([def]))
    expect(out).toContain('readonly "replication_num": string')
    expect(out).not.toContain('readonly "replication_num": 2')
    expect(out).not.toContain('readonly "replication_num"?:')
  })

  it('is the same text for the same state, and an empty interface for none', () => {
    expect(renderDeployedTypes(snapshot([plain, rollup, daily]), { source: '20250101000000_x.snapshot.json' })).toBe(text)
    expect(renderDeployedTypes(SchemaState.empty())).toContain('  interface StarRocksMvDeployed {}\n')
  })
})

describe('queryHash', () => {
  it('is equal where the differ sees the same query, and differs where it does not', () => {
    expect(queryHash('SELECT a,  b FROM t -- note\n')).toBe(queryHash('select a, b from t'))
    expect(queryHash('SELECT a FROM t')).not.toBe(queryHash('SELECT b FROM t'))
    expect(queryHash('SELECT 1')).toMatch(/^sha256:[0-9a-f]{64}$/)
  })
})

describe('writeDeployedTypes', () => {
  it('writes the latest snapshot of a migrations folder, and leaves an unchanged file alone', () => {
    const dir = tempDir()
    const first = writeDeployedTypes(dir)
    expect(first).toEqual({ file: join(dir, DEPLOYED_TYPES_FILE), written: true, mvs: 0 })
    writeFileSync(join(dir, '20250101000000_a.ts'), 'export default {}\n')
    writeFileSync(join(dir, '20250101000000_a.snapshot.json'), serializeState(snapshot([daily, plain])))
    const second = writeDeployedTypes(dir)
    expect(second.written).toBe(true)
    expect(second.mvs).toBe(2)
    const text = readFileSync(second.file, 'utf8')
    expect(text).toContain('20250101000000_a.snapshot.json')
    const mtime = statSync(second.file).mtimeMs
    expect(writeDeployedTypes(dir).written).toBe(false)
    expect(statSync(second.file).mtimeMs).toBe(mtime)
  })
})

describe('writeDeployedTypes with the state in hand', () => {
  it('writes the same text from the state generate just wrote as from reading its snapshot back', () => {
    const dir = tempDir()
    const result = generateMigration({ dir, message: 'initial', desired: desiredState([daily, rollup, plain]), now: new Date('2025-01-01T00:00:00Z') })
    if (result.kind !== 'written') throw new Error('expected a migration')
    const inHand = writeDeployedTypes(dir, { latest: { state: result.state, snapshotFile: result.snapshotFile } })
    expect(inHand.written).toBe(true)
    const text = readFileSync(inHand.file, 'utf8')
    // read from disk: the same text, so the file is left alone
    expect(writeDeployedTypes(dir).written).toBe(false)
    expect(readFileSync(inHand.file, 'utf8')).toBe(text)
    expect(text).toBe(renderDeployedTypes(latestSnapshot(dir).state, { source: result.snapshotFile.split(/[\\/]/).at(-1) as string }))
  })
})
