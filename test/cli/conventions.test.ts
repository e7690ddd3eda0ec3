import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../migrate/helpers.js'
import { requireBuiltCli, srmv } from './run-cli.js'

const project = (): string => {
  const dir = tempDir('conv')
  writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations' })\n`)
  writeFileSync(join(dir, 'schema.ts'), `import { mv, sql } from 'starrocks-mv'\nexport const a = mv('a').refresh.manual().as(sql\`SELECT 1 AS one\`)\n`)
  return dir
}

const closedPort = async (): Promise<number> =>
  new Promise((done) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => done(port))
    })
  })

describe('srmv conventions', () => {
  beforeAll(() => requireBuiltCli())

  it('prints its version and help with examples for every command', async () => {
    const dir = tempDir('help')
    const v = await srmv(['--version'], { cwd: dir })
    expect(v.code).toBe(0)
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    const help = await srmv(['--help'], { cwd: dir })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 problems or drift, 2 usage, 3 connection, 4 SQL error')
    for (const command of ['init', 'generate', 'plan', 'up', 'down', 'status', 'history', 'stamp', 'check', 'unlock', 'resolve', 'graph']) {
      expect(help.stdout).toContain(command)
      const h = await srmv([command, '--help'], { cwd: dir })
      expect(h.code, command).toBe(0)
      expect(h.stdout, command).toContain('Examples:')
    }
  }, 60_000)

  it('exits 2 on usage errors and a missing config, naming the way out', async () => {
    const dir = tempDir('usage')
    const unknown = await srmv(['frobnicate'], { cwd: dir })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'frobnicate'")
    expect((await srmv(['up', '--bogus'], { cwd: dir })).code).toBe(2)
    expect((await srmv(['generate'], { cwd: dir })).code).toBe(2)
    const noConfig = await srmv(['up', '--sql'], { cwd: dir })
    expect(noConfig.code).toBe(2)
    expect(noConfig.stderr).toMatch(/No srmv.config.ts in .*srmv init/)
    const p = project()
    const target = await srmv(['up', '--sql', 'nope'], { cwd: p })
    expect(target.code).toBe(2)
    expect(target.stderr).toContain('no migration "nope"')
    const resolve = await srmv(['resolve', 'x'], { cwd: p })
    expect(resolve.code).toBe(2)
    // numbers are read as written: no exponent or hex for a count, a bad value before the server is asked
    for (const steps of ['1e3', '0x10', '2.5', '-1', '']) {
      const r = await srmv(['down', '--sql', '--steps', steps], { cwd: p })
      expect(r.code, steps).toBe(2)
      expect(r.stderr).toContain(`--steps takes a whole number of migrations, got "${steps}".`)
    }
    const grace = await srmv(['health', '--grace', 'abc'], { cwd: p })
    expect(grace.code).toBe(2)
    expect(grace.stderr).toContain('--grace takes a number of seconds, got "abc".')
    const noServer = await srmv(['status'], { cwd: p })
    expect(noServer.code).toBe(2)
    expect(noServer.stderr).toContain('STARROCKS_URL')
  }, 60_000)

  it('works offline from --cwd: generate, plan --json, up --sql, graph', async () => {
    const p = project()
    const elsewhere = tempDir('elsewhere')
    const g = await srmv(['--cwd', p, 'generate', '-m', 'first'], { cwd: elsewhere })
    expect(g.code, g.stderr).toBe(0)
    const sql = await srmv(['--cwd', p, 'up', '--sql'], { cwd: elsewhere })
    expect(sql.stdout).toMatch(/^-- srmv up --sql: rendered for StarRocks \S+ \(.*\)\.\n-- A connected `srmv up` renders for the server's own version/)
    expect(sql.stdout).toMatch(/\n-- migration \d{14}_first \(up\)\nCREATE MATERIALIZED VIEW `a`\nREFRESH MANUAL\nAS SELECT 1 AS one;\n\n$/)
    const withHistory = await srmv(['--cwd', p, 'up', '--sql', '--with-history', '--json'], { cwd: elsewhere })
    const statements = JSON.parse(withHistory.stdout) as string[]
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS `srmv_migrations`/)
    expect(statements.at(-1)).toBe('DROP VIEW `srmv_migrations_lock`')
    const down = await srmv(['--cwd', p, 'down', '--sql'], { cwd: elsewhere })
    expect(down.stdout).toMatch(/\n-- migration \d{14}_first \(down\)\nDROP MATERIALIZED VIEW `a`;\n\n$/)
    const plan = await srmv(['--cwd', p, 'plan', '--json'], { cwd: elsewhere })
    expect(plan.code).toBe(0)
    expect(JSON.parse(plan.stdout)).toBeTypeOf('object')
    const graph = await srmv(['--cwd', p, 'graph'], { cwd: elsewhere })
    expect(graph.code).toBe(0)
    expect(graph.stdout.length).toBeGreaterThan(0)
    expect((await srmv(['--cwd', p, 'check', '--offline'], { cwd: elsewhere })).code).toBe(0)
  }, 60_000)

  it('generate reports a broken schema module before a missing snapshot, and a missing snapshot when the module loads', async () => {
    const p = project()
    expect((await srmv(['generate', '-m', 'first'], { cwd: p })).code).toBe(0)
    const migrations = join(p, 'migrations')
    for (const f of readdirSync(migrations)) if (f.endsWith('.snapshot.json')) rmSync(join(migrations, f))
    writeFileSync(join(p, 'schema.ts'), `import { mv } from 'starrocks-mv'\nexport const a = mv('a').refresh.manual().as('')\n`)
    const broken = await srmv(['generate', '-m', 'second'], { cwd: p })
    expect(broken.code).not.toBe(0)
    expect(broken.stderr).toContain('.as() got an empty query')
    expect(broken.stderr).not.toContain('has no snapshot file')
    writeFileSync(join(p, 'schema.ts'), `import { mv, sql } from 'starrocks-mv'\nexport const a = mv('a').refresh.manual().as(sql\`SELECT 1 AS one\`)\n`)
    const missing = await srmv(['generate', '-m', 'second'], { cwd: p })
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('has no snapshot file')
    expect(readdirSync(migrations).filter((f) => f.includes('second'))).toEqual([])
  }, 60_000)

  it('down --sql prints one migration by default, like down; --steps and targets print more', async () => {
    const p = project()
    expect((await srmv(['generate', '-m', 'first'], { cwd: p })).code).toBe(0)
    writeFileSync(join(p, 'schema.ts'), `import { mv, sql } from 'starrocks-mv'\nexport const a = mv('a').refresh.manual().as(sql\`SELECT 1 AS one\`)\nexport const b = mv('b').refresh.manual().as(sql\`SELECT 2 AS two\`)\n`)
    await new Promise((r) => setTimeout(r, 1100)) // migration ids are timestamps to the second
    expect((await srmv(['generate', '-m', 'second'], { cwd: p })).code).toBe(0)
    const statements = async (...args: string[]): Promise<unknown> => JSON.parse((await srmv(['down', '--sql', '--json', ...args], { cwd: p })).stdout)
    expect(await statements()).toEqual(['DROP MATERIALIZED VIEW `b`'])
    expect(await statements('--steps', '2')).toEqual(['DROP MATERIALIZED VIEW `b`', 'DROP MATERIALIZED VIEW `a`'])
    expect(await statements('base')).toEqual(['DROP MATERIALIZED VIEW `b`', 'DROP MATERIALIZED VIEW `a`'])
    // the text form heads each migration with a comment
    expect((await srmv(['down', '--sql', 'base'], { cwd: p })).stdout).toMatch(/-- migration \d{14}_second \(down\)\nDROP MATERIALIZED VIEW `b`;\n\n-- migration \d{14}_first \(down\)\nDROP MATERIALIZED VIEW `a`;\n\n$/)
  }, 60_000)

  it('stops quietly when the reader of its output goes away (srmv up --sql | head)', async () => {
    const { spawnSync } = await import('node:child_process')
    const p = project()
    // More output than a pipe buffers, so the writer is still writing when the reader leaves.
    writeFileSync(join(p, 'schema.ts'), `import { mv, sql } from 'starrocks-mv'\nexport const a = mv('a').refresh.manual().as(sql\`SELECT \${'x'.repeat(300_000)} AS s\`)\n`)
    expect((await srmv(['generate', '-m', 'first'], { cwd: p })).code).toBe(0)
    const cli = join(process.cwd(), 'dist/cli/main.js')
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(cli)} up --sql | head -c 1 >/dev/null`], { cwd: p, encoding: 'utf8' })
    expect(r.stderr).not.toContain('EPIPE')
    expect(r.status).toBe(0)
  }, 60_000)

  it('says so when the current folder no longer exists, and runs with an absolute -C', async () => {
    const { spawnSync } = await import('node:child_process')
    const p = project()
    expect((await srmv(['generate', '-m', 'first'], { cwd: p })).code).toBe(0)
    const cli = join(process.cwd(), 'dist/cli/main.js')
    const gone = mkdtempSync(join(tmpdir(), 'srmv-gone-'))
    // the shell sits in a folder that is deleted under it
    const inGone = (args: string): { status: number | null; stdout: string; stderr: string } =>
      spawnSync('bash', ['-c', `cd ${JSON.stringify(gone)} && rmdir ${JSON.stringify(gone)} && node ${JSON.stringify(cli)} ${args}`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    const lost = inGone('plan')
    expect(lost.status).toBe(2)
    expect(lost.stderr).toBe('srmv: the current folder no longer exists (it was deleted or moved). cd into the project folder, or pass -C <absolute path>, and run again.\n')
    mkdirSync(gone)
    const found = inGone(`-C ${JSON.stringify(p)} plan`)
    expect(found.stderr).toBe('')
    expect(found.stdout).toContain('No changes')
    expect(found.status).toBe(0)
    mkdirSync(gone)
    expect(inGone('--version').status).toBe(0)
  }, 60_000)

  it('a module whose top-level await never settles fails the command instead of ending it silently with 0', async () => {
    const p = project()
    expect((await srmv(['generate', '-m', 'first'], { cwd: p })).code).toBe(0)
    writeFileSync(join(p, 'schema.ts'), `import { mv, sql } from 'starrocks-mv'\nawait new Promise(() => {})\nexport const a = mv('a').refresh.manual().as(sql\`SELECT 2 AS two\`)\n`)
    for (const args of [['check', '--offline'], ['generate', '-m', 'second']]) {
      const r = await srmv(args, { cwd: p })
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('srmv: stopped before the command finished: a file it loaded (the config, the schema module or a migration) waits at its top level')
    }
    expect(readdirSync(join(p, 'migrations')).filter((f) => f.includes('second'))).toEqual([])
  }, 60_000)

  it('ends once its work is done, even when the schema module leaves a timer running', async () => {
    const p = project()
    writeFileSync(join(p, 'schema.ts'), `import { mv, sql } from 'starrocks-mv'\nsetInterval(() => {}, 1000)\nexport const a = mv('a').refresh.manual().as(sql\`SELECT 1 AS one\`)\n`)
    const r = await srmv(['plan'], { cwd: p })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('CREATE MATERIALIZED VIEW')
  }, 60_000)

  it('refuses a FIFO where it reads a file, naming it, instead of waiting for a writer forever', async () => {
    const { execFileSync } = await import('node:child_process')
    // which file becomes a FIFO (given the first migration's name), and the command that reads it
    const cases: [(migration: string) => string, readonly string[]][] = [
      [() => 'schema.ts', ['plan']],
      [() => 'srmv.config.ts', ['plan']],
      [() => '.env', ['plan']],
      [(m) => `migrations/${m.replace(/\.ts$/, '.snapshot.json')}`, ['plan']],
      [(m) => `migrations/${m}`, ['up', '--sql']],
    ]
    for (const [which, args] of cases) {
      const p = project()
      expect((await srmv(['generate', '-m', 'first'], { cwd: p })).code).toBe(0)
      const path = join(p, which(readdirSync(join(p, 'migrations')).find((f) => f.endsWith('_first.ts')) as string))
      rmSync(path, { force: true })
      execFileSync('mkfifo', [path])
      const r = await srmv(args, { cwd: p })
      expect(r.code, `${path}: ${r.stderr}`).toBe(1)
      expect(r.stderr, path).toContain(`${path} is not a regular file (a FIFO, socket or device)`)
    }
  }, 120_000)

  it('reads a .env linked to /dev/null as empty', async () => {
    const { symlinkSync } = await import('node:fs')
    const p = project()
    symlinkSync('/dev/null', join(p, '.env'))
    const r = await srmv(['plan'], { cwd: p })
    expect(r.code, r.stderr).toBe(0)
  }, 60_000)

  it('init leaves a .gitignore or package.json that is a FIFO alone, and says so', async () => {
    const { execFileSync } = await import('node:child_process')
    const dir = mkdtempSync(join(tmpdir(), 'srmv-init-fifo-'))
    execFileSync('mkfifo', [join(dir, '.gitignore')])
    execFileSync('mkfifo', [join(dir, 'package.json')])
    const r = await srmv(['init'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout + r.stderr).toContain(`${join(dir, '.gitignore')} is not a file srmv can read (a folder, a FIFO or no permission), so it was left alone`)
    expect(r.stdout + r.stderr).toContain(`${join(dir, 'package.json')} is not a file srmv can read`)
  }, 60_000)

  it('check --offline fails on a migration file that up would refuse', async () => {
    const p = project()
    expect((await srmv(['generate', '-m', 'first'], { cwd: p })).code).toBe(0)
    expect((await srmv(['check', '--offline'], { cwd: p })).code).toBe(0)
    writeFileSync(join(p, 'migrations', '20200101000000_old.ts'), 'export const x = 1\n')
    const r = await srmv(['check', '--offline'], { cwd: p })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^invalid \[INVALID_MIGRATION\] .*20200101000000_old\.ts: the default export must be defineMigration/m)
    const json = JSON.parse((await srmv(['check', '--offline', '--json'], { cwd: p })).stdout) as { ok: boolean; findings: { kind: string }[] }
    expect(json).toMatchObject({ ok: false, findings: [{ kind: 'invalid-migration' }] })
  }, 60_000)

  it('colours only when asked and allowed: NO_COLOR wins', async () => {
    const p = project()
    mkdirSync(join(p, 'migrations'))
    const forced = await srmv(['generate', '-m', 'x'], { cwd: p, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })
    expect(forced.stdout).toContain('\x1b[')
    const off = await srmv(['generate', '-m', 'y', '--json'], { cwd: p, env: { NO_COLOR: '1', FORCE_COLOR: '1' } })
    expect(off.stdout).not.toContain('\x1b[')
    const plain = await srmv(['plan'], { cwd: p, env: { NO_COLOR: undefined } })
    expect(plain.stdout).not.toContain('\x1b[')
  }, 60_000)

  it('exits 3 when the server cannot be reached, without printing the password', async () => {
    const p = project()
    const port = await closedPort()
    const r = await srmv(['status'], { cwd: p, env: { STARROCKS_URL: `starrocks://root:TopSecret99@127.0.0.1:${port}/x` } })
    expect(r.code).toBe(3)
    expect(r.stdout + r.stderr).not.toContain('TopSecret99')
    expect(r.stderr).toContain('127.0.0.1')
  }, 30_000)
})
