import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection, type Connection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { tempDir } from '../migrate/helpers.js'
import { requireBuiltCli, srmv, type CliResult } from './run-cli.js'

let sr: Emulator
let url: string
let admin: Connection

const run = (dir: string, ...args: string[]): Promise<CliResult> => srmv(args, { cwd: dir, env: { STARROCKS_URL: url } })
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const SCHEMA = `import { mv, sql, table } from 'starrocks-mv'

export const orders = table('orders', { id: 'BIGINT', order_date: 'DATE', amount: 'INT' })
export const users = table('users', { id: 'BIGINT', name: 'VARCHAR(20)' })

export const daily = mv('daily').distributedBy.hash('order_date').refresh.manual().properties({ replication_num: 1 })
  .as(sql\`SELECT \${orders.order_date}, SUM(\${orders.amount}) AS total FROM \${orders} GROUP BY \${orders.order_date}\`)
export const byUser = mv('by_user').distributedBy.hash('id').refresh.manual().properties({ replication_num: 1 })
  .as(sql\`SELECT \${users.id}, COUNT(*) AS n FROM \${users} GROUP BY \${users.id}\`)
export const onByUser = mv('on_by_user').distributedBy.hash('id').refresh.manual().properties({ replication_num: 1 })
  .as(sql\`SELECT id, n FROM \${byUser}\`)
`
const USERS = 'CREATE TABLE hc.users (id BIGINT, name VARCHAR(20)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1'

interface Report {
  level: string
  counts: Record<string, number>
  mvs: { key: string; level: string; active: boolean; findings: { kind: string; message: string }[] }[]
  fix?: { file: string; statements: string[] } | null
}

describe('srmv health and graph against the emulator', () => {
  beforeAll(async () => {
    requireBuiltCli()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    admin = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
    await admin.query('CREATE DATABASE hc')
    await admin.query('CREATE TABLE hc.orders (id BIGINT, order_date DATE, amount INT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1')
    await admin.query(USERS)
    url = `starrocks://root@127.0.0.1:${sr.port}/hc`
  })
  afterAll(async () => {
    await admin?.end()
    await sr?.close()
  })

  it('reports, exits 1 for CI, colours the graph and writes the re-activations as a migration', async () => {
    const dir = tempDir('health')
    expect((await run(dir, 'init')).code).toBe(0)
    writeFileSync(join(dir, 'schema.ts'), SCHEMA)
    expect((await run(dir, 'generate', '-m', 'initial')).code).toBe(0)
    const up = await run(dir, 'up')
    expect(up.code, up.stderr).toBe(0)

    const healthy = await run(dir, 'health')
    expect(healthy.code, healthy.stderr).toBe(0)
    expect(healthy.stdout).toContain('3 MVs: 3 ok, 0 warnings, 0 errors')
    const greenGraph = await run(dir, 'graph')
    expect(greenGraph.code, greenGraph.stderr).toBe(0)
    expect(greenGraph.stdout).toMatch(/\["hc\.by_user"\]:::healthy/)
    expect(greenGraph.stdout).toContain('classDef healthy')

    // a base table written after the last refresh: a warning, which fails only with --fail-on warning
    await sleep(1100)
    await admin.query("INSERT INTO hc.orders VALUES (1, '2025-01-01', 5)")
    const behind = await run(dir, 'health')
    expect(behind.code).toBe(0)
    expect(behind.stdout).toMatch(/warning hc\.daily/)
    expect(behind.stdout).toContain('base table changed since the last successful refresh')
    expect((await run(dir, 'health', '--fail-on', 'warning')).code).toBe(1)
    await admin.query('REFRESH MATERIALIZED VIEW hc.daily WITH SYNC MODE')

    // the base table of by_user is dropped: it and on_by_user go inactive
    await admin.query('DROP TABLE hc.users')
    const sick = await run(dir, 'health', '--json')
    expect(sick.code).toBe(1)
    const report = JSON.parse(sick.stdout) as Report
    expect(report.level).toBe('error')
    expect(report.counts).toEqual({ ok: 1, warning: 0, error: 2 })
    const byUser = report.mvs.find((m) => m.key === 'hc.by_user')
    expect(byUser?.active).toBe(false)
    expect(byUser?.findings[0]?.kind).toBe('inactive')
    expect(byUser?.findings[0]?.message).toContain('users')
    expect(report).not.toHaveProperty('fix')

    const redGraph = await run(dir, 'graph', '--format', 'dot')
    expect(redGraph.stdout).toMatch(/"hc\.by_user" \[label="hc\.by_user\\n\(inactive\)"/)
    expect(redGraph.stdout).toMatch(/"hc\.daily" \[label="hc\.daily", style="filled", fillcolor="#bbf7d0"\]/)
    const offline = await run(dir, 'graph', '--offline')
    expect(offline.stdout).not.toContain('healthy')

    // --fix writes the ALTER ... ACTIVE statements as a migration, bases first
    const before = readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.ts') && f !== 'deployed.d.ts').length
    const fix = await run(dir, 'health', '--fix', '--json')
    expect(fix.code).toBe(1)
    const fixed = JSON.parse(fix.stdout) as Report
    expect(fixed.fix?.statements).toEqual(['ALTER MATERIALIZED VIEW `hc`.`by_user` ACTIVE', 'ALTER MATERIALIZED VIEW `hc`.`on_by_user` ACTIVE'])
    const files = readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.ts') && f !== 'deployed.d.ts')
    expect(files.length).toBe(before + 1)
    expect(fixed.fix?.file).toMatch(/_reactivate_inactive_materialized_views\.ts$/)
    expect(readFileSync(fixed.fix?.file as string, 'utf8')).toContain('defineMigration')
    const sql = await run(dir, 'up', '--sql')
    // offline, --sql prints every migration: the new one comes last
    expect(sql.stdout).toMatch(/-- migration \d{14}_reactivate_inactive_materialized_views \(up\)\nALTER MATERIALIZED VIEW `hc`.`by_user` ACTIVE;\n\nALTER MATERIALIZED VIEW `hc`.`on_by_user` ACTIVE;\n\n$/)
    expect(sql.stdout).toContain('AS SELECT id, n FROM `by_user`;\n\n-- migration ')

    // the table is back: the migration re-activates both, and health is clean again
    await admin.query(USERS)
    const apply = await run(dir, 'up')
    expect(apply.code, apply.stderr).toBe(0)
    const again = await run(dir, 'health')
    expect(again.code, again.stdout).toBe(0)
    // active again; the re-created table is newer than by_user's data, which a refresh brings up to date
    expect(again.stdout).toContain('3 MVs: 2 ok, 1 warning, 0 errors')
    expect(again.stdout).toMatch(/warning hc\.by_user .*\n.*base table changed since the last successful refresh .*: hc\.users at /)
    const nothing = await run(dir, 'health', '--fix')
    expect(nothing.stdout).toContain('Nothing to fix')
    expect(readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.ts') && f !== 'deployed.d.ts').length).toBe(before + 1)
  }, 120_000)

  it('a server that refuses the health queries costs the graph its colours, not the graph', async () => {
    const dir = tempDir('health-refused')
    expect((await run(dir, 'init')).code).toBe(0)
    sr.inject({ at: (s) => s.includes('information_schema.materialized_views'), kind: 'error', errno: 1227, message: 'Access denied; you need (at least one of) the SELECT privilege(s)', once: true })
    const g = await run(dir, 'graph')
    expect(g.code, g.stderr).toBe(0)
    expect(g.stdout).toContain('flowchart LR')
    expect(g.stdout).not.toContain('classDef healthy')
    expect(g.stderr).toMatch(/no health colours: .*Access denied/)
  }, 60_000)

  it('says which server it cannot reach, with exit 3; graph draws without colours', async () => {
    const dir = tempDir('health-down')
    expect((await run(dir, 'init')).code).toBe(0)
    const gone = await srmv(['health'], { cwd: dir, env: { STARROCKS_URL: 'starrocks://root@127.0.0.1:1/hc' } })
    expect(gone.code).toBe(3)
    const g = await srmv(['graph'], { cwd: dir, env: { STARROCKS_URL: 'starrocks://root@127.0.0.1:1/hc' } })
    expect(g.code).toBe(0)
    expect(g.stdout).toContain('flowchart LR')
    expect(g.stderr).toContain('no health colours')
  }, 60_000)
})
