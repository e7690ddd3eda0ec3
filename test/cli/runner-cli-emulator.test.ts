import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { executeMigration, project, spawnCli, uniq, type Run } from '../reliability/support.js'
import { CLI, requireBuiltCli } from './run-cli.js'

/**
 * The runner through the built CLI against the emulator: every run must end (a hang fails the test
 * through the bounded spawn, never hangs the suite), and what it renders and reports must be exact.
 */

const REFRESH_MIGRATION = `import { defineMigration } from 'starrocks-mv'
export default defineMigration({
  up(op) { op.refreshMaterializedView('m', { wait: true }) },
  down() {},
})
`

let sr: Emulator
const admin = async (sql: string): Promise<void> => {
  const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
  try {
    await c.query(sql)
  } finally {
    await c.end()
  }
}

/** A database with a table and a manual MV `m` reading it. */
const database = async (): Promise<string> => {
  const db = `rc_${uniq()}`
  await admin(`CREATE DATABASE ${db}`)
  await admin(`CREATE TABLE ${db}.t (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1`)
  await admin(`CREATE MATERIALIZED VIEW ${db}.m REFRESH MANUAL AS SELECT id FROM ${db}.t`)
  return db
}

/** Run the built srmv; past `boundMs` it is killed, and `signal` says so. */
const run = (dir: string, args: readonly string[], env: Record<string, string>, boundMs = 25_000): Promise<Run> => spawnCli(dir, args, env, boundMs)

const refreshProject = async (): Promise<{ dir: string; env: Record<string, string> }> => {
  const db = await database()
  const dir = project('exit', { starrocks: true })
  writeFileSync(join(dir, 'migrations', '20250101000000_refresh.ts'), REFRESH_MIGRATION)
  return { dir, env: { STARROCKS_URL: `starrocks://root@127.0.0.1:${sr.port}/${db}` } }
}

describe('srmv up ends on every path (emulator, built CLI)', () => {
  beforeAll(async () => {
    requireBuiltCli()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
  })
  afterAll(async () => {
    await sr?.close()
  })

  it('exits after a waiting refresh times out (--refresh-timeout), recording the outcome as unknown', async () => {
    const { dir, env } = await refreshProject()
    sr.inject({ at: (s: string) => s.startsWith('REFRESH MATERIALIZED VIEW'), kind: 'refresh-delay', ms: 60_000 })
    const started = Date.now()
    const r = await run(dir, ['up', '--refresh-timeout', '1'], env)
    expect(r.signal, `still running after the bound: ${r.stderr}`).toBeUndefined()
    expect(r.code, r.stderr).toBe(3)
    expect(Date.now() - started).toBeLessThan(20_000)
    const status = await run(dir, ['status'], env)
    expect(status.stdout).toContain('outcome unknown')
    expect(status.stdout).toMatch(/Lock: +free/)
  }, 60_000)

  it('exits after a rejected REFRESH ... WITH SYNC MODE', async () => {
    const { dir, env } = await refreshProject()
    sr.inject({ at: (s: string) => s.startsWith('REFRESH MATERIALIZED VIEW') && s.endsWith('WITH SYNC MODE'), kind: 'error', errno: 1064, message: 'injected: refresh refused' })
    const r = await run(dir, ['up'], env)
    expect(r.signal, `still running after the bound: ${r.stderr}`).toBeUndefined()
    expect(r.code, r.stderr).toBe(4)
    expect(r.stderr).toContain('injected: refresh refused')
  }, 60_000)

  it('exits after a waiting refresh ends FAILED', async () => {
    const { dir, env } = await refreshProject()
    sr.inject({ at: (s: string) => s.startsWith('REFRESH MATERIALIZED VIEW'), kind: 'refresh-failure', message: 'injected: refresh failed' })
    const r = await run(dir, ['up'], env)
    expect(r.signal, `still running after the bound: ${r.stderr}`).toBeUndefined()
    expect([0, 4]).toContain(r.code)
  }, 60_000)

  it('refuses --refresh-timeout 0 before connecting, and sends nothing', async () => {
    const { dir, env } = await refreshProject()
    const before = sr.statements.length
    const r = await run(dir, ['up', '--refresh-timeout', '0'], env)
    expect(r.signal).toBeUndefined()
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--refresh-timeout must be more than 0 seconds')
    expect(sr.statements.length).toBe(before)
  }, 60_000)

  it('bounds every statement: a server that stops replying ends the run with the outcome unknown and the lock released', async () => {
    const db = await database()
    const dir = project('hang', { starrocks: true })
    writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', historyProperties: { replication_num: '1' }, queryTimeoutSeconds: 1 })\n`)
    executeMigration(dir, '20250101000000_slow', [[`CREATE VIEW ${db}.v1 AS SELECT 1 AS x`, `DROP VIEW ${db}.v1`]])
    const env = { STARROCKS_URL: `starrocks://root@127.0.0.1:${sr.port}/${db}` }
    sr.inject({ at: (s: string) => s.startsWith(`CREATE VIEW ${db}.v1`), kind: 'delay', ms: 4000 })
    const r = await run(dir, ['up'], env)
    expect(r.signal).toBeUndefined()
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toContain('No answer')
    expect(r.stderr).toContain('within 1000 ms')
    const status = await run(dir, ['status'], env)
    expect(status.stdout).toContain('outcome unknown')
    expect(status.stdout).toMatch(/Lock: +free/)
  }, 60_000)

  it('a reader that goes away (srmv up | head -c 1) does not stop the run halfway: every statement applied, the lock released', async () => {
    const { spawn } = await import('node:child_process')
    const db = await database()
    const dir = project('pipe', { starrocks: true })
    const views = Array.from({ length: 5 }, (_, i) => [`CREATE VIEW ${db}.pv${i} AS SELECT ${i} AS x`, `DROP VIEW ${db}.pv${i}`] as const)
    executeMigration(dir, '20250101000000_views', views)
    const env = { STARROCKS_URL: `starrocks://root@127.0.0.1:${sr.port}/${db}` }
    // the shell pipeline gives the CLI a pipe whose reader leaves after one byte (spawned without
    // blocking: the emulator answers from this process)
    const piped = await new Promise<{ status: number | null; stderr: string }>((done) => {
      const child = spawn('bash', ['-c', `set -o pipefail; node ${JSON.stringify(CLI)} up 2>&1 | head -c 1 >/dev/null`], { cwd: dir, env: { ...process.env, ...env, NO_COLOR: '1' } })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
      child.on('close', (status) => {
        clearTimeout(timer)
        done({ status, stderr })
      })
    })
    expect(piped.status, piped.stderr).toBe(0)
    const status = await run(dir, ['status'], env)
    expect(status.stdout).toMatch(/applied/)
    expect(status.stdout).not.toMatch(/partial|pending/)
    expect(status.stdout).toMatch(/Lock: +free/)
  }, 60_000)

  it('check against a server with a migration that does not load: every finding printed, the server left for after the fix', async () => {
    const db = await database()
    const dir = project('check', { starrocks: true })
    const env = { STARROCKS_URL: `starrocks://root@127.0.0.1:${sr.port}/${db}` }
    writeFileSync(join(dir, 'schema.ts'), `import { mv, sql } from 'starrocks-mv'\nexport const one = mv('one').refresh.manual().as(sql\`SELECT 1 AS x\`)\n`)
    expect((await run(dir, ['generate', '-m', 'first'], env)).code).toBe(0)
    writeFileSync(join(dir, 'migrations', '20200101000000_old.ts'), 'export const x = 1\n')
    const r = await run(dir, ['check'], env)
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^invalid \[INVALID_MIGRATION\] .*20200101000000_old\.ts/m)
    expect(r.stdout).toContain('invalid The server was not compared: its history is read against every migration')
    const json = JSON.parse((await run(dir, ['check', '--json'], env)).stdout) as { ok: boolean; findings: { kind: string }[] }
    expect(json.ok).toBe(false)
    expect(json.findings.map((f) => f.kind)).toEqual(['invalid-migration', 'invalid-migration'])
  }, 60_000)

  it('a migration whose top-level await never settles: the run fails before the lock is taken and nothing stays held', async () => {
    const { dir, env } = await refreshProject()
    writeFileSync(join(dir, 'migrations', '20250101000000_refresh.ts'), `await new Promise(() => {})\n${REFRESH_MIGRATION}`)
    const r = await run(dir, ['up'], env)
    expect(r.signal, `still running after the bound: ${r.stderr}`).toBeUndefined()
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toContain('srmv: stopped before the command finished')
    writeFileSync(join(dir, 'migrations', '20250101000000_refresh.ts'), REFRESH_MIGRATION)
    const status = await run(dir, ['status'], env)
    expect(status.stdout).toMatch(/Lock: +free/)
    expect(status.stdout).not.toContain('applied')
  }, 60_000)
})

describe('srmv renders for the connected server (emulator 4.1, built CLI)', () => {
  let sr41: Emulator
  beforeAll(async () => {
    requireBuiltCli()
    sr41 = await startEmulator({ version: '4.1', defaultReplicationNum: 1 })
  })
  afterAll(async () => {
    await sr41?.close()
  })

  const periodic = (dir: string): void =>
    writeFileSync(
      join(dir, 'migrations', '20250101000000_periodic.ts'),
      `import { alter, defineMigration } from 'starrocks-mv'
export default defineMigration({
  up(op) { op.alterMaterializedView(alter('m').refresh.async({ every: '1 DAY' })) },
  down(op) { op.alterMaterializedView(alter('m').refresh.manual()) },
})
`,
    )

  it("up sends the server's keywords although the config names an older version; --sql says which version it rendered for", async () => {
    const db = `rv_${uniq()}`
    const c = await createConnection({ host: '127.0.0.1', port: sr41.port, user: 'root' })
    await c.query(`CREATE DATABASE ${db}`)
    await c.query(`CREATE TABLE ${db}.t (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1`)
    await c.query(`CREATE MATERIALIZED VIEW ${db}.m REFRESH MANUAL AS SELECT id FROM ${db}.t`)
    await c.end()
    const dir = project('version', { starrocks: true })
    writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', version: '3.5', historyProperties: { replication_num: '1' } })\n`)
    periodic(dir)
    const env = { STARROCKS_URL: `starrocks://root@127.0.0.1:${sr41.port}/${db}` }

    const offline = await run(dir, ['up', '--sql'], env)
    expect(offline.code, offline.stderr).toBe(0)
    expect(offline.stdout).toContain('rendered for StarRocks 3.5 (version in srmv.config.ts)')
    expect(offline.stdout).toContain('-- migration 20250101000000_periodic (up)')
    expect(offline.stdout).toMatch(/REFRESH ASYNC EVERY ?\(INTERVAL 1 DAY\);/)
    const forced = await run(dir, ['up', '--sql', '--version', '4.1'], env)
    expect(forced.stdout).toContain('rendered for StarRocks 4.1 (--version)')
    expect(forced.stdout).toMatch(/REFRESH SCHEDULE EVERY ?\(INTERVAL 1 DAY\);/)
    const json = JSON.parse((await run(dir, ['up', '--sql', '--json'], env)).stdout) as string[]
    expect(json).toHaveLength(1)
    expect(json[0]).toMatch(/^ALTER MATERIALIZED VIEW `m` REFRESH ASYNC EVERY ?\(INTERVAL 1 DAY\)$/)

    const mark = sr41.statements.length
    const up = await run(dir, ['up'], env)
    expect(up.code, up.stderr).toBe(0)
    const sent = sr41.statements.slice(mark).filter((s) => s.startsWith('ALTER MATERIALIZED VIEW'))
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatch(/^ALTER MATERIALIZED VIEW `m` REFRESH SCHEDULE EVERY ?\(INTERVAL 1 DAY\)$/)
    const status = JSON.parse((await run(dir, ['status', '--json'], env)).stdout) as { renderVersion: string }
    expect(status.renderVersion).toMatch(/^4\.1/)
  }, 60_000)
})
