import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { splitStatements } from '../../src/reflect/tokenizer.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { tempDir } from '../migrate/helpers.js'
import { requireBuiltCli, srmv, type CliResult } from './run-cli.js'

const PASSWORD = 'Secr3tPw-e2e'
let sr: Emulator
let url: string
const outputs: CliResult[] = []

const run = async (dir: string, ...args: string[]): Promise<CliResult> => {
  const r = await srmv(args, { cwd: dir, env: { STARROCKS_URL: url } })
  outputs.push(r)
  return r
}

const edit = (path: string, from: string | RegExp, to: string): void => {
  const text = readFileSync(path, 'utf8')
  const next = text.replace(from, to)
  if (next === text) throw new Error(`edit of ${path} changed nothing`)
  writeFileSync(path, next)
}

describe('srmv end to end against the emulator', () => {
  beforeAll(async () => {
    requireBuiltCli()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
    await c.query('CREATE DATABASE e2e')
    await c.query('CREATE TABLE e2e.orders (id BIGINT, order_date DATE, amount DECIMAL(10, 2)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1')
    await c.end()
    url = `starrocks://root:${PASSWORD}@127.0.0.1:${sr.port}/e2e`
  })
  afterAll(async () => {
    await sr?.close()
  })

  it('init → generate → up → status → ALTER → refused rebuild → swap → check → down to base', async () => {
    const dir = tempDir('e2e')
    expect((await run(dir, 'init')).code).toBe(0)
    expect(existsSync(join(dir, 'srmv.config.ts'))).toBe(true)
    expect((await run(dir, 'init')).code).toBe(1)

    const first = await run(dir, 'generate', '-m', 'initial')
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('_initial.ts')
    expect((await run(dir, 'generate', '-m', 'again')).stdout).toContain('No changes')

    const up1 = await run(dir, 'up')
    expect(up1.code, up1.stderr).toBe(0)
    expect(up1.stdout).toMatch(/applied \d{14}_initial \(1 statement\)/)
    const status = await run(dir, 'status', '--json')
    expect(status.code).toBe(0)
    const parsed = JSON.parse(status.stdout) as { server: string; migrations: { state: string }[] }
    expect(parsed.server).toBe('starrocks')
    expect(parsed.migrations.map((m) => m.state)).toEqual(['applied'])

    // a refresh change is an ALTER
    edit(join(dir, 'schema.ts'), ".refresh.async({ every: '1 DAY' })", '.refresh.manual()')
    const alter = await run(dir, 'generate', '-m', 'manual refresh')
    expect(alter.code).toBe(0)
    expect(alter.stdout).toContain('ALTER MATERIALIZED VIEW `daily_sales_mv` REFRESH MANUAL')
    expect((await run(dir, 'up')).code).toBe(0)

    // a bucket change cannot be altered: refused, nothing written
    edit(join(dir, 'schema.ts'), 'buckets: 4', 'buckets: 8')
    const before = readdirSync(join(dir, 'migrations')).length
    const refused = await run(dir, 'generate', '-m', 'more buckets')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('--rebuild swap')
    expect(readdirSync(join(dir, 'migrations')).length).toBe(before)
    const drift = await run(dir, 'check', '--offline')
    expect(drift.code).toBe(1)

    const swap = await run(dir, 'generate', '-m', 'more buckets', '--rebuild', 'swap')
    expect(swap.code).toBe(0)
    const swapId = /(\d{14})_more_buckets\.ts/.exec(swap.stdout)?.[1] as string
    const manualId = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('_manual_refresh.ts'))?.slice(0, 14) as string

    // the offline SQL is byte for byte what the runner sends
    const offline = await run(dir, 'up', '--sql', '--from', manualId)
    expect(offline.code).toBe(0)
    expect(offline.stdout).toMatch(/^-- srmv up --sql: rendered for StarRocks 3\.5 \(version in srmv\.config\.ts\)/)
    // each statement as sent, without the comment lines that head the script and each migration
    const expected = splitStatements(offline.stdout).map((s) => s.replace(/^(--[^\n]*\n\s*)+/, ''))
    expect(expected.some((s) => s.includes('SWAP WITH'))).toBe(true)
    const logStart = sr.statements.length
    const up3 = await run(dir, 'up')
    expect(up3.code, up3.stderr).toBe(0)
    const sent = sr.statements.slice(logStart)
    expect(sent.filter((s) => expected.includes(s))).toEqual(expected)
    expect(sent.join('\n')).not.toMatch(/GET_LOCK|FOR UPDATE|LOCK TABLES/)

    const check = await run(dir, 'check')
    expect(check.code, check.stdout).toBe(0)
    const checkJson = await run(dir, 'check', '--json')
    expect(JSON.parse(checkJson.stdout)).toEqual({ ok: true, findings: [] })

    const history = await run(dir, 'history', '--json')
    const events = JSON.parse(history.stdout) as { migrationId: string; event: string }[]
    expect(events.filter((e) => e.migrationId === swapId).map((e) => e.event)).toEqual(['started', 'statement', 'statement', 'statement', 'statement', 'succeeded'])

    const down = await run(dir, 'down', 'base')
    expect(down.code, down.stderr).toBe(0)
    const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
    const [rows] = await c.query('SHOW MATERIALIZED VIEWS FROM e2e')
    await c.end()
    expect(rows).toEqual([])
    const after = JSON.parse((await run(dir, 'status', '--json')).stdout) as { migrations: { state: string }[] }
    expect(after.migrations.map((m) => m.state)).toEqual(['pending', 'pending', 'pending'])

    // the password never reaches any output
    for (const o of outputs) {
      expect(o.stdout + o.stderr).not.toContain(PASSWORD)
    }
    for (const f of readdirSync(join(dir, 'migrations'))) expect(readFileSync(join(dir, 'migrations', f), 'utf8')).not.toContain(PASSWORD)
  }, 120_000)

  it('reports a failed statement with exit 4, refuses to go on, and resumes', async () => {
    const dir = tempDir('e2e-fail')
    await run(dir, 'init')
    const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
    await c.query('CREATE DATABASE e2e_fail')
    await c.query('CREATE TABLE e2e_fail.orders (id BIGINT, order_date DATE, amount DECIMAL(10, 2)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1')
    await c.end()
    const env = { STARROCKS_URL: `starrocks://root@127.0.0.1:${sr.port}/e2e_fail` }
    expect((await srmv(['generate', '-m', 'initial'], { cwd: dir, env })).code).toBe(0)
    sr.inject({ at: (s: string) => s.startsWith('CREATE MATERIALIZED VIEW'), kind: 'error', errno: 1064, message: 'injected failure' })
    const failed = await srmv(['up'], { cwd: dir, env })
    expect(failed.code).toBe(4)
    expect(failed.stderr).toContain('injected failure')
    expect(failed.stderr).toContain('statement 1')
    // nothing of it ran and that is known: status notes it, and a plain up tries it again
    const status = await srmv(['status'], { cwd: dir, env })
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/rejected at statement 1 before anything ran \(.*injected failure.*\); `srmv up` tries it again/)
    const retried = await srmv(['up'], { cwd: dir, env })
    expect(retried.code, retried.stderr).toBe(0)
    expect((await srmv(['status'], { cwd: dir, env })).code).toBe(0)
    // a failure after a statement ran still stops every plain run until --resume
    sr.inject({ at: (s: string) => s.startsWith('ALTER MATERIALIZED VIEW'), kind: 'error', errno: 1064, message: 'injected failure 2' })
    writeFileSync(
      join(dir, 'migrations', '20990101000000_two.ts'),
      `import { alter, defineMigration } from 'starrocks-mv'\nexport default defineMigration({\n  up(op) { op.execute('CREATE VIEW e2e_fail.v2 AS SELECT 1 AS x', { down: 'DROP VIEW e2e_fail.v2' }); op.alterMaterializedView(alter('daily_sales_mv').refresh.manual()) },\n  down(op) { op.execute('DROP VIEW e2e_fail.v2') },\n})\n`,
    )
    expect((await srmv(['up'], { cwd: dir, env })).code).toBe(4)
    expect((await srmv(['status'], { cwd: dir, env })).code).toBe(1)
    expect((await srmv(['up'], { cwd: dir, env })).code).toBe(1)
    const resumed = await srmv(['up', '--resume'], { cwd: dir, env })
    expect(resumed.code, resumed.stderr).toBe(0)
    expect((await srmv(['status'], { cwd: dir, env })).code).toBe(0)
  }, 60_000)
})
