import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { tempDir } from '../migrate/helpers.js'
import { requireBuiltCli, srmv, type CliResult } from './run-cli.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
let sr: Emulator
let url: string
const outputs: CliResult[] = []

const run = async (dir: string, ...args: string[]): Promise<CliResult> => {
  const r = await srmv(args, { cwd: dir, env: { STARROCKS_URL: url } })
  outputs.push(r)
  return r
}

describe('srmv pull against the emulator', () => {
  beforeAll(async () => {
    requireBuiltCli()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
    for (const statement of [
      'CREATE DATABASE pl',
      'CREATE TABLE pl.orders (id BIGINT, order_date DATE, user_id BIGINT, amount DECIMAL(10, 2)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1',
      "CREATE MATERIALIZED VIEW pl.daily_sales COMMENT 'sales per day' PARTITION BY order_date DISTRIBUTED BY HASH(order_date) BUCKETS 4 " +
        "REFRESH ASYNC START('2025-01-01 00:00:00') EVERY (INTERVAL 1 DAY) PROPERTIES ('replication_num' = '1', 'partition_refresh_number' = '2') " +
        'AS SELECT order_date, sum(amount) AS total FROM pl.orders GROUP BY order_date',
      "CREATE MATERIALIZED VIEW pl.by_user (user_id, n COMMENT 'orders') DISTRIBUTED BY HASH(user_id) ORDER BY (user_id) REFRESH MANUAL " +
        "PROPERTIES ('replication_num' = '1') AS SELECT user_id, count(*) AS n FROM pl.orders GROUP BY user_id",
      "CREATE MATERIALIZED VIEW pl.`top days` DISTRIBUTED BY RANDOM REFRESH MANUAL PROPERTIES ('replication_num' = '1') " +
        'AS SELECT order_date, total FROM `pl`.`daily_sales` WHERE total > 100',
      "CREATE VIEW pl.big_orders COMMENT 'orders over 100' AS SELECT id, amount FROM pl.orders WHERE amount > 100",
    ]) {
      await c.query(statement)
    }
    await c.end()
    url = `starrocks://root@127.0.0.1:${sr.port}/pl`
  })
  afterAll(async () => {
    await sr?.close()
  })

  it('writes the table, the view and the MVs as a schema module, refuses to overwrite it without --force, and plan --from-db and check find it equal to the server', async () => {
    const dir = tempDir('pull')
    writeFileSync(join(dir, 'package.json'), '{ "name": "pulled", "private": true, "type": "module" }\n')
    expect((await run(dir, 'init')).code).toBe(0)

    // init wrote schema.ts: pull names it and the ways out, and writes nothing
    const before = readFileSync(join(dir, 'schema.ts'), 'utf8')
    const refused = await run(dir, 'pull')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(join(dir, 'schema.ts'))
    expect(refused.stderr).toContain('--force')
    expect(readFileSync(join(dir, 'schema.ts'), 'utf8')).toBe(before)

    const pulled = await run(dir, 'pull', '--force')
    expect(pulled.code, pulled.stderr).toBe(0)
    expect(pulled.stdout).toContain('wrote schema.ts: 1 table, 1 view, 3 materialized views')
    expect(pulled.stdout).toContain('Checked: loaded back, the module equals the server.')
    expect(pulled.stderr).toBe('')
    const source = readFileSync(join(dir, 'schema.ts'), 'utf8')
    expect(source).toContain("export const dailySales = mv('daily_sales')")
    expect(source).toContain("export const topDays = mv('top days')")
    // the table with its DDL, the view, and typed references where a query names them
    expect(source).toMatch(/export const orders = table\(\s*'orders'/)
    expect(source).toContain("export const bigOrders = view('big_orders')")
    expect(source).toMatch(/FROM \$\{orders\}/)
    expect(source).toContain(".refresh.async({ start: '2025-01-01 00:00:00', every: '1 DAY' })")
    expect(source).toContain('export default defineSchema({')
    // what the server reports on its own is left out
    expect(source).not.toContain('replicated_storage')
    expect(source).toContain("partition_refresh_number: 2")
    // the MV that reads another is declared after it
    expect(source.indexOf('export const dailySales')).toBeLessThan(source.indexOf('export const topDays'))

    // the module equals the server
    const plan = await run(dir, 'plan', '--from-db', '--json')
    expect(plan.code, plan.stderr).toBe(0)
    const parsed = JSON.parse(plan.stdout) as { ops: unknown[]; problems: unknown[] }
    expect(parsed.problems).toEqual([])
    expect(parsed.ops).toEqual([])

    // adopt it: a baseline migration marked as applied; check then finds module, migrations and server in agreement
    expect((await run(dir, 'generate', '-m', 'baseline')).code).toBe(0)
    expect((await run(dir, 'stamp', 'head')).code).toBe(0)
    const check = await run(dir, 'check')
    expect(check.code, check.stdout + check.stderr).toBe(0)
    expect(check.stdout).toContain('ok')

    // --json, --out and --print
    const json = await run(dir, 'pull', '--out', 'pulled/again.ts', '--json')
    expect(json.code, json.stderr).toBe(0)
    const result = JSON.parse(json.stdout) as { written: boolean; file: string; counts: Record<string, number>; exports: { exportName: string }[]; differences: string[] }
    expect(result.written).toBe(true)
    expect(result.differences).toEqual([])
    expect(result.file).toBe(join(dir, 'pulled', 'again.ts'))
    expect(result.counts).toEqual({ tables: 1, views: 1, mvs: 3 })
    expect(readFileSync(join(dir, 'pulled', 'again.ts'), 'utf8')).toBe(source)
    const printed = await run(dir, 'pull', '--print')
    expect(printed.code).toBe(0)
    expect(printed.stdout).toBe(source)

    // the pulled module type-checks against the built package, with the deployed declaration generate wrote
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(root, join(dir, 'node_modules/starrocks-mv'), 'dir')
    let out = ''
    try {
      execFileSync(process.execPath, [tsc, '-p', '.', '--noEmit'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string }
      out = `${err.stdout ?? ''}${err.stderr ?? ''}` || String(e)
    }
    expect(out).toBe('')
  }, 240_000)

  it('--force never replaces the config, a migration, a folder or a FIFO', async () => {
    const dir = tempDir('pull-targets')
    writeFileSync(join(dir, 'package.json'), '{ "name": "pulled", "private": true, "type": "module" }\n')
    expect((await run(dir, 'init')).code).toBe(0)
    expect((await run(dir, 'generate', '-m', 'first')).code).toBe(0)
    const migration = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('_first.ts')) as string
    execFileSync('mkfifo', [join(dir, 'fifo.ts')])
    mkdirSync(join(dir, 'folder.ts'))
    const config = readFileSync(join(dir, 'srmv.config.ts'), 'utf8')
    const kept = readFileSync(join(dir, 'migrations', migration), 'utf8')
    for (const [out, says] of [
      ['srmv.config.ts', "the project's config file"],
      [`migrations/${migration}`, 'a file of the migrations folder'],
      [`migrations/${migration.replace(/\.ts$/, '.snapshot.json')}`, 'a file of the migrations folder'],
      ['migrations/20300101000000_later.ts', 'a file of the migrations folder'],
      ['migrations/deployed.d.ts', 'a file of the migrations folder'],
      ['folder.ts', 'is a folder; srmv replaces only files'],
      ['fifo.ts', 'is not a regular file (a FIFO, socket or device); srmv replaces only files'],
    ] as const) {
      const r = await run(dir, 'pull', '--out', out, '--force')
      expect(r.code, `${out}: ${r.stderr}`).toBe(1)
      expect(r.stderr).toContain(says)
      expect(r.stderr).toContain('[FILE_EXISTS]')
    }
    expect(readFileSync(join(dir, 'srmv.config.ts'), 'utf8')).toBe(config)
    expect(readFileSync(join(dir, 'migrations', migration), 'utf8')).toBe(kept)
    expect(existsSync(join(dir, 'migrations', '20300101000000_later.ts'))).toBe(false)
    // a schema module of its own name may live beside the migrations
    const beside = await run(dir, 'pull', '--out', 'migrations/schema.ts')
    expect(beside.code, beside.stderr).toBe(0)
    expect(statSync(join(dir, 'fifo.ts')).isFIFO()).toBe(true)
  }, 60_000)

  it('works outside a project with STARROCKS_URL alone, and reads the databases given', async () => {
    const dir = tempDir('pull-bare')
    const r = await run(dir, 'pull', '--schema', 'pl')
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(join(dir, 'schema.ts'))).toBe(true)
    expect(r.stdout).toContain('3 materialized views')
    const none = await srmv(['pull', '--out', 'x.ts'], { cwd: dir })
    expect(none.code).not.toBe(0)
    expect(none.stderr).toContain('STARROCKS_URL')
    expect(existsSync(join(dir, 'x.ts'))).toBe(false)
  }, 60_000)
})
