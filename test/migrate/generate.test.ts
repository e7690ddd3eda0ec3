import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { desiredState, diff } from '../../src/diff/index.js'
import { isStarRocksMvError } from '../../src/errors.js'
import { generateMigration, latestSnapshot, latestSnapshotForPlan } from '../../src/migrate/generate.js'
import { listMigrationFiles, loadMigration } from '../../src/migrate/migration-files.js'
import { Migrator } from '../../src/migrate/migrator.js'
import type { ModuleLoader } from '../../src/migrate/module-loader.js'
import { toStatements } from '../../src/ops/index.js'
import { isMaterializedView, mv, table as managedTable } from '../../src/schema/index.js'
import { sql } from '../../src/sql/sql.js'
import { table } from '../../src/sql/table.js'
import { sourceLoader, tempDir } from './helpers.js'

let load: ModuleLoader
beforeAll(async () => {
  load = await sourceLoader()
})

const orders = table('orders', { id: 'BIGINT', order_date: 'DATE', amount: 'DECIMAL(10, 2)' }, { schema: 'shop' })
const daily = mv('daily_sales_mv')
  .schema('analytics')
  .partitionBy('order_date')
  .distributedBy.hash('order_date', { buckets: 4 })
  .refresh.async({ every: '1 DAY' })
  .as(sql`SELECT ${orders.order_date}, SUM(${orders.amount}) AS total FROM ${orders} GROUP BY ${orders.order_date}`)

describe('generate', () => {
  it('writes a migration whose up runs the plan, does nothing when up to date, and refuses immutable changes', async () => {
    const dir = tempDir('gen')
    const now = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s))
    const first = generateMigration({ dir, message: 'create daily sales', desired: desiredState([daily]), now: now(0) })
    expect(first.kind).toBe('written')
    if (first.kind !== 'written') return
    expect(first.file).toMatch(/20250101000000_create_daily_sales\.ts$/)
    const loaded = await loadMigration(listMigrationFiles(dir)[0]!, load)
    expect(toStatements(loaded.upOps)).toEqual(toStatements(diff(latestSnapshot(tempDir('empty')).state, desiredState([daily])).ops))
    expect(toStatements(loaded.downOps ?? [])).toEqual(['DROP MATERIALIZED VIEW `analytics`.`daily_sales_mv`'])
    expect(generateMigration({ dir, message: 'again', desired: desiredState([daily]), now: now(1) }).kind).toBe('nothing')

    const manual = daily.refresh.manual()
    const second = generateMigration({ dir, message: 'manual refresh', desired: desiredState([manual]), now: now(2) })
    expect(second.kind).toBe('written')
    const m2 = await loadMigration(listMigrationFiles(dir)[1]!, load)
    expect(toStatements(m2.upOps)).toEqual(['ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH MANUAL'])
    expect(toStatements(m2.downOps ?? [])[0]).toMatch(/^ALTER MATERIALIZED VIEW `analytics`.`daily_sales_mv` REFRESH ASYNC EVERY/)

    const repartitioned = manual.distributedBy.hash('order_date', { buckets: 8 })
    let err: unknown
    try {
      generateMigration({ dir, message: 'more buckets', desired: desiredState([repartitioned]), now: now(3) })
    } catch (e) {
      err = e
    }
    expect(isStarRocksMvError(err, 'PLAN_PROBLEMS')).toBe(true)
    expect((err as Error).message).toContain('--rebuild swap')
    expect(readdirSync(dir).length).toBe(4)

    const swapped = generateMigration({ dir, message: 'more buckets', desired: desiredState([repartitioned]), rebuild: 'swap', now: now(4) })
    expect(swapped.kind).toBe('written')
    const all = await new Migrator({ dir, load }).sql()
    expect(all.some((s) => s.includes('SWAP WITH'))).toBe(true)
    expect(all.some((s) => /WITH SYNC MODE$/.test(s))).toBe(true)
    const snap = JSON.parse(readFileSync(listMigrationFiles(dir)[2]!.snapshotFile, 'utf8'))
    expect(snap.mvs[0].distribution.buckets).toBe(8)

    const empty = generateMigration({ dir, message: 'by hand', desired: desiredState([repartitioned]), empty: true, now: now(5) })
    expect(empty.kind).toBe('written')
    expect(readFileSync(listMigrationFiles(dir)[3]!.snapshotFile, 'utf8')).toBe(readFileSync(listMigrationFiles(dir)[2]!.snapshotFile, 'utf8'))
  })
})

describe('generate writes nothing when a step would fail', () => {
  it('renders every statement for the target version before writing', () => {
    const dir = tempDir('gen-version')
    const adaptive = mv('adaptive_mv').refresh.manual().properties({ partition_refresh_strategy: 'adaptive' }).as(sql`SELECT ${orders.id} FROM ${orders}`)
    expect(() => generateMigration({ dir, message: 'new', desired: desiredState([adaptive]), version: '2.5' })).toThrow(
      /adaptive_mv: the property "partition_refresh_strategy" needs StarRocks 3\.5 or newer, but the target version is 2\.5\..*nothing was written/,
    )
    expect(readdirSync(dir)).toEqual([])
  })
  it('reports a swap whose temporary name passes 64 characters as a plan problem', () => {
    const dir = tempDir('gen-long')
    const name = `m_${'x'.repeat(53)}`
    const first = mv(name).distributedBy.hash('id', { buckets: 2 }).refresh.manual().as(sql`SELECT ${orders.id} FROM ${orders}`)
    generateMigration({ dir, message: 'first', desired: desiredState([first]), now: new Date(Date.UTC(2025, 0, 1)) })
    const before = readdirSync(dir).sort()
    let err: unknown
    try {
      generateMigration({ dir, message: 'more', desired: desiredState([first.distributedBy.hash('id', { buckets: 4 })]), rebuild: 'swap' })
    } catch (e) {
      err = e
    }
    expect(isStarRocksMvError(err, 'PLAN_PROBLEMS')).toBe(true)
    expect((err as { details: { problems: { code: string }[] } }).details.problems.map((p) => p.code)).toEqual(['TEMP_NAME_TOO_LONG'])
    expect((err as Error).message).toContain(`${name}__srmv_new, which is 65 characters long`)
    expect(readdirSync(dir).sort()).toEqual(before)
    // a name one character shorter swaps
    const ok = mv(name.slice(0, -1)).distributedBy.hash('id', { buckets: 2 }).refresh.manual().as(sql`SELECT ${orders.id} FROM ${orders}`)
    expect(diff(desiredState([ok]), desiredState([ok.distributedBy.hash('id', { buckets: 4 })]), { rebuild: 'swap' }).problems).toEqual([])
  })
})

describe('generated code', () => {
  it('keeps multi-line queries byte for byte (the shop example)', async () => {
    const shop = await import('../../examples/shop/schema.js')
    const mvs = Object.values(shop).flatMap((v) => (isMaterializedView(v) ? [v] : []))
    expect(mvs.length).toBeGreaterThan(1)
    const dir = tempDir('gen-shop')
    const desired = desiredState(mvs)
    generateMigration({ dir, message: 'shop', desired })
    const loaded = await loadMigration(listMigrationFiles(dir)[0]!, load)
    const planned = toStatements(diff(desiredState([]), desired).ops)
    expect(planned.some((s) => s.includes('\n'))).toBe(true)
    expect(toStatements(loaded.upOps)).toEqual(planned)
  })
})

describe('generate with a table rebuilt by copy', () => {
  it('the down copies the table back and re-activates its readers at the end', async () => {
    const dir = tempDir('gen-copy')
    const cols = { dt: { type: 'DATE', notNull: true }, id: { type: 'BIGINT', notNull: true }, user_id: 'BIGINT' } as const
    const before = managedTable('events', cols, { schema: 'd', duplicateKey: ['dt', 'id'] })
    const after = managedTable('events', cols, { schema: 'd', primaryKey: ['dt', 'id'], rebuild: 'copy' })
    const reader = mv('per_user').schema('d').refresh.manual().as(sql`SELECT ${before.user_id}, count(*) AS n FROM ${before} GROUP BY ${before.user_id}`)
    expect(generateMigration({ dir, message: 'events', desired: desiredState([before, reader]) }).kind).toBe('written')
    const rebuilt = generateMigration({ dir, message: 'primary key', desired: desiredState([after, reader]) })
    expect(rebuilt.kind).toBe('written')
    const m = new Migrator({ dir, load })
    const up = await m.sql({ from: listMigrationFiles(dir)[0]!.id })
    expect(up.filter((s) => /SWAP WITH|INSERT INTO|ACTIVE/.test(s))).toEqual([
      'INSERT INTO `d`.`events__srmv_new` (`dt`, `id`, `user_id`) SELECT `dt`, `id`, `user_id` FROM `d`.`events`',
      'ALTER TABLE `d`.`events` SWAP WITH `events__srmv_new`',
      'ALTER MATERIALIZED VIEW `d`.`per_user` ACTIVE',
    ])
    const down = await m.sql({ direction: 'down', from: listMigrationFiles(dir)[1]!.id, to: listMigrationFiles(dir)[0]!.id })
    expect(down.some((s) => s.includes('INACTIVE'))).toBe(false)
    expect(down.at(-1)).toBe('ALTER MATERIALIZED VIEW `d`.`per_user` ACTIVE')
    expect(down.find((s) => s.startsWith('CREATE TABLE'))).toContain('DUPLICATE KEY (`dt`, `id`)')
  })
})

describe('latestSnapshotForPlan', () => {
  it('reads what latestSnapshot reads, and leaves a snapshot whose MVs read each other in a cycle to the plan', () => {
    const dir = tempDir('for-plan')
    expect(latestSnapshotForPlan(dir)).toEqual(latestSnapshot(dir))
    const a = mv('a').schema('analytics').refresh.manual().as('SELECT * FROM analytics.b')
    const b = mv('b').schema('analytics').refresh.manual().as('SELECT * FROM shop.orders')
    const written = generateMigration({ dir, message: 'two', desired: desiredState([a, b]), now: new Date(Date.UTC(2025, 0, 1)) })
    if (written.kind !== 'written') throw new Error('expected a migration')
    expect(latestSnapshotForPlan(dir)).toEqual(latestSnapshot(dir))
    // b now reads a: the snapshot holds a cycle, which only the plan reports
    writeFileSync(written.snapshotFile, readFileSync(written.snapshotFile, 'utf8').replace('SELECT * FROM shop.orders', 'SELECT * FROM analytics.a'))
    const latest = latestSnapshotForPlan(dir)
    expect(latest).toEqual(latestSnapshot(dir))
    expect(diff(desiredState([a, b]), latest.state).problems.map((p) => p.code)).toContain('DEPENDENCY_CYCLE')
  })
})
