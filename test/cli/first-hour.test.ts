/**
 * The first hour of a new user, through the built `srmv` in temporary projects: JSON on stdout
 * whatever happens, error codes in every message, Alembic's names, advice that works, waits that
 * show at once, and results printed once.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/db/index.js'
import { acquireLock, newLockOwner, releaseLock } from '../../src/migrate/lock.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { tempDir } from '../migrate/helpers.js'
import { requireBuiltCli, srmv, type CliResult } from './run-cli.js'

let sr: Emulator
let n = 0

/** A fresh database with the `orders` table that `srmv init`'s schema reads, and its URL. */
const database = async (): Promise<string> => {
  const db = `fh_${++n}_${Math.random().toString(36).slice(2, 6)}`
  const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
  await c.query(`CREATE DATABASE ${db}`)
  await c.query(`CREATE TABLE ${db}.orders (id BIGINT, order_date DATE, amount DECIMAL(10, 2)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1`)
  await c.end()
  return `starrocks://root@127.0.0.1:${sr.port}/${db}`
}

const serverQuery = async (url: string, statement: string): Promise<void> => {
  const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root', database: new URL(url).pathname.slice(1) })
  await c.query(statement)
  await c.end()
}

const edit = (path: string, from: string, to: string): void => {
  const text = readFileSync(path, 'utf8')
  if (!text.includes(from)) throw new Error(`${path} has no ${from}`)
  writeFileSync(path, text.replace(from, to))
}

/** Migration ids are timestamps to the second: wait for the next one. */
const nextSecond = (): Promise<void> => new Promise((r) => setTimeout(r, 1100))

const count = (text: string, part: string): number => text.split(part).length - 1

const closedPort = async (): Promise<number> =>
  new Promise((done) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => done(port))
    })
  })

const jsonError = (r: CliResult): { code: string; message: string; hint: string } => {
  const parsed = JSON.parse(r.stdout) as { error?: { code: string; message: string; hint: string } }
  expect(parsed.error, r.stdout).toBeDefined()
  return parsed.error as { code: string; message: string; hint: string }
}

describe('the first hour with srmv', () => {
  beforeAll(async () => {
    requireBuiltCli()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
  })
  afterAll(async () => {
    await sr?.close()
  })

  it('--json prints JSON on stdout for every command that has it, errors included, and every error names its code', async () => {
    const empty = tempDir('fh-json')
    const help = await srmv(['--help'], { cwd: empty })
    const commands = [...help.stdout.slice(help.stdout.indexOf('Commands:'), help.stdout.indexOf('\n\n', help.stdout.indexOf('Commands:'))).matchAll(/^ {2}([a-z]+)(?:\|[a-z]+)? /gm)].map((m) => m[1] as string).filter((c) => c !== 'help')
    expect(commands).toEqual(expect.arrayContaining(['generate', 'plan', 'up', 'down', 'status', 'history', 'check', 'current', 'heads']))
    const withJson: string[] = []
    for (const c of commands) if ((await srmv([c, '--help'], { cwd: empty })).stdout.includes('--json')) withJson.push(c)
    expect(withJson).toEqual(expect.arrayContaining(['generate', 'plan', 'up', 'down', 'status', 'history', 'unlock', 'check', 'types', 'current', 'heads']))
    for (const c of withJson) {
      const r = await srmv([c, ...(c === 'generate' ? ['-m', 'x'] : []), '--json'], { cwd: empty })
      expect(r.code, c).toBe(2)
      const e = jsonError(r)
      // pull works outside a project with STARROCKS_URL alone: without one, it asks for the URL
      const [code, wayOut] = c === 'pull' ? ['NO_CONNECTION', 'STARROCKS_URL'] : ['CONFIG_NOT_FOUND', 'srmv init']
      expect(e.code, c).toBe(code)
      expect(e.message, c).toContain(wayOut)
      expect(e.hint, c).toContain(code)
      expect(r.stderr, c).toContain(`error [${code}]: `)
    }

    // the CI cookbook's `srmv check --json > drift.json` on a connection error
    const p = tempDir('fh-json-conn')
    expect((await srmv(['init'], { cwd: p })).code).toBe(0)
    const down = await srmv(['check', '--json'], { cwd: p, env: { STARROCKS_URL: `starrocks://root:Pw-not-shown@127.0.0.1:${await closedPort()}/x` } })
    expect(down.code).toBe(3)
    expect(jsonError(down).code).toBe('CONNECTION_ERROR')
    expect(down.stdout + down.stderr).not.toContain('Pw-not-shown')
    expect(down.stderr).toContain('error [CONNECTION_ERROR]: ')

    // usage errors too
    const usage = await srmv(['up', '--bogus', '--json'], { cwd: p })
    expect(usage.code).toBe(2)
    expect(jsonError(usage).code).toBe('USAGE')
    expect(usage.stderr).toContain("error [USAGE]: unknown option '--bogus'")
    const unknownTarget = await srmv(['up', '--sql', 'nope'], { cwd: p })
    expect(unknownTarget.stderr).toContain('error [UNKNOWN_TARGET]: ')
  }, 120_000)

  it('takes Alembic\'s commands: revision --autogenerate, upgrade +n, current, heads, downgrade -n', async () => {
    const dir = tempDir('fh-alembic')
    const env = { STARROCKS_URL: await database() }
    await srmv(['init'], { cwd: dir })
    const first = await srmv(['revision', '--autogenerate', '-m', 'initial'], { cwd: dir, env })
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain('CREATE MATERIALIZED VIEW')
    await nextSecond()
    edit(join(dir, 'schema.ts'), ".refresh.async({ every: '1 DAY' })", '.refresh.manual()')
    expect((await srmv(['revision', '--autogenerate', '-m', 'manual refresh'], { cwd: dir, env })).code).toBe(0)
    await nextSecond()
    const bare = await srmv(['revision', '-m', 'by hand'], { cwd: dir, env })
    expect(bare.code, bare.stderr).toBe(0)
    const byHand = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('_by_hand.ts')) as string
    expect(readFileSync(join(dir, 'migrations', byHand), 'utf8')).not.toContain('MATERIALIZED')

    const heads = await srmv(['heads'], { cwd: dir, env })
    expect(heads.stdout).toMatch(/^\d{14}_by_hand \(head\)\n$/)
    expect(JSON.parse((await srmv(['heads', '--json'], { cwd: dir, env })).stdout)).toEqual({ heads: [{ id: byHand.slice(0, 14), name: byHand.replace(/\.ts$/, '') }] })
    expect((await srmv(['current'], { cwd: dir, env })).stdout).toBe('base: no migration is applied.\n')

    const one = await srmv(['upgrade', '+1'], { cwd: dir, env })
    expect(one.code, one.stderr).toBe(0)
    expect(one.stdout).toMatch(/^applied \d{14}_initial \(1 statement\)\n$/)
    expect((await srmv(['current'], { cwd: dir, env })).stdout).toMatch(/^\d{14}_initial\n$/)
    const tooFar = await srmv(['upgrade', '+3'], { cwd: dir, env })
    expect(tooFar.code).toBe(2)
    expect(tooFar.stderr).toContain('only 2 migrations are pending')

    expect((await srmv(['upgrade', 'head'], { cwd: dir, env })).code).toBe(0)
    const current = JSON.parse((await srmv(['current', '--json'], { cwd: dir, env })).stdout) as { current: { name: string; head: boolean } }
    expect(current.current).toMatchObject({ name: byHand.replace(/\.ts$/, ''), head: true })

    const back = await srmv(['downgrade', '-2'], { cwd: dir, env })
    expect(back.code, back.stderr).toBe(0)
    expect(back.stdout).toMatch(/reverted \d{14}_by_hand.*\nreverted \d{14}_manual_refresh/)
    expect((await srmv(['current'], { cwd: dir, env })).stdout).toMatch(/^\d{14}_initial\n$/)
    const offline = await srmv(['downgrade', '-1', '--sql'], { cwd: dir })
    // offline, nothing applied is known: only the header comments, no statement
    expect(offline.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('--'))).toEqual([])
    const wrongWay = await srmv(['upgrade', '-1'], { cwd: dir, env })
    expect(wrongWay.code).toBe(2)
    expect(wrongWay.stderr).toContain('error [USAGE]: upgrade -1: a relative target of upgrade counts forward')
  }, 120_000)

  it('says what the server has versus what the schema wants, and advises commands that work', async () => {
    const dir = tempDir('fh-drift')
    const url = await database()
    const env = { STARROCKS_URL: url }
    await srmv(['init'], { cwd: dir })
    expect((await srmv(['generate', '-m', 'initial'], { cwd: dir, env })).code).toBe(0)
    expect((await srmv(['up'], { cwd: dir, env })).code).toBe(0)

    const same = await srmv(['generate', '-m', 'nothing', '--from-db'], { cwd: dir, env })
    expect(same.stdout).toContain('No changes: the schema module matches the server.')
    expect((await srmv(['generate', '-m', 'nothing'], { cwd: dir, env })).stdout).toContain('No changes: the schema module matches the latest snapshot.')

    await serverQuery(url, 'ALTER MATERIALIZED VIEW daily_sales_mv SET ("partition_ttl_number" = "5")')
    const drift = await srmv(['check'], { cwd: dir, env })
    expect(drift.code).toBe(1)
    expect(drift.stdout).toContain('daily_sales_mv: the server has partition_ttl_number = 5; the schema does not set it: the next migration resets it to -1')

    // an immutable change: check points at the flag that generate needs
    edit(join(dir, 'schema.ts'), 'buckets: 4', 'buckets: 8')
    const offline = await srmv(['check', '--offline'], { cwd: dir, env })
    expect(offline.code).toBe(1)
    expect(offline.stdout).toContain('--rebuild swap')
    const refused = await srmv(['generate', '-m', 'more buckets'], { cwd: dir, env })
    expect(refused.code).toBe(1)
    expect((await srmv(['generate', '-m', 'more buckets', '--rebuild', 'swap'], { cwd: dir, env })).code).toBe(0)
  }, 120_000)

  it('shows waits at once, does not repeat advice already taken, and prints each result once', async () => {
    const dir = tempDir('fh-waits')
    const url = await database()
    const env = { STARROCKS_URL: url }
    await srmv(['init'], { cwd: dir })
    expect((await srmv(['generate', '-m', 'initial'], { cwd: dir, env })).code).toBe(0)

    const holder = await connect(url)
    const table = { name: 'srmv_migrations' }
    const owner = newLockOwner('up')
    await acquireLock(holder, table, owner)
    try {
      const plain = await srmv(['up'], { cwd: dir, env })
      expect(plain.code).toBe(1)
      expect(plain.stderr).toContain('--wait-lock <seconds>')
      const waited = await srmv(['up', '--wait-lock', '1'], { cwd: dir, env })
      expect(waited.code).toBe(1)
      expect(count(waited.stderr, 'waiting for the lock held by')).toBe(1)
      expect(waited.stderr.indexOf('waiting for the lock held by')).toBeLessThan(waited.stderr.indexOf('error [LOCKED]'))
      expect(waited.stderr).toContain('after waiting 1 s')
      expect(waited.stderr).not.toContain('--wait-lock')
    } finally {
      await releaseLock(holder, table, owner)
      await holder.close()
    }

    const up = await srmv(['up'], { cwd: dir, env })
    expect(up.code, up.stderr).toBe(0)
    expect(up.stdout).toMatch(/^applied \d{14}_initial \(1 statement\)\n$/)
    expect(up.stderr).not.toMatch(/\bdone\b/)

    // a waiting refresh: its first line at once, then one line per change of state (not a terminal)
    await nextSecond()
    expect((await srmv(['generate', '-m', 'refresh', '--empty'], { cwd: dir, env })).code).toBe(0)
    const file = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('_refresh.ts')) as string
    writeFileSync(
      join(dir, 'migrations', file),
      `import { defineMigration } from 'starrocks-mv'\nexport default defineMigration({\n  up(op) { op.refreshMaterializedView('daily_sales_mv', { wait: true }) },\n  down() {},\n})\n`,
    )
    sr.inject({ at: (s: string) => s.startsWith('REFRESH MATERIALIZED VIEW'), kind: 'refresh-delay', ms: 2500 })
    const refresh = await srmv(['up'], { cwd: dir, env })
    expect(refresh.code, refresh.stderr).toBe(0)
    const lines = refresh.stderr.split('\n').filter((l) => l.includes('waiting for the refresh of daily_sales_mv'))
    expect(lines[0]).toMatch(/waiting for the refresh of daily_sales_mv$/)
    expect(lines.some((l) => /: RUNNING/.test(l))).toBe(true)
    // one line per state: no two lines say the same once the seconds are left out
    const states = lines.map((l) => l.replace(/ \(\d+s\)$/, ''))
    expect(new Set(states).size, refresh.stderr).toBe(states.length)
  }, 120_000)

  it('prints a rejected statement once', async () => {
    const dir = tempDir('fh-reject')
    const env = { STARROCKS_URL: await database() }
    await srmv(['init'], { cwd: dir })
    expect((await srmv(['generate', '-m', 'initial'], { cwd: dir, env })).code).toBe(0)
    sr.inject({ at: (s: string) => s.startsWith('CREATE MATERIALIZED VIEW `daily_sales_mv`'), kind: 'error', errno: 1064, message: 'injected rejection' })
    const failed = await srmv(['up'], { cwd: dir, env })
    expect(failed.code).toBe(4)
    expect(failed.stderr).toContain('error [MIGRATION_FAILED]: ')
    expect(failed.stderr).toContain('injected rejection')
    expect(count(failed.stderr, 'DISTRIBUTED BY HASH(`order_date`)')).toBe(1)
  }, 60_000)

  it('down: no up-only options in its help, and a wrong target named as given', async () => {
    const dir = tempDir('fh-down')
    await srmv(['init'], { cwd: dir })
    expect((await srmv(['generate', '-m', 'initial'], { cwd: dir })).code).toBe(0)
    const downHelp = (await srmv(['down', '--help'], { cwd: dir })).stdout
    const upHelp = (await srmv(['up', '--help'], { cwd: dir })).stdout
    expect(upHelp).toContain('--allow-unordered')
    expect(downHelp).not.toContain('--allow-unordered')
    const wrong = await srmv(['down', 'nope', '--sql'], { cwd: dir })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('down: no migration "nope"')
    expect(wrong.stderr).not.toContain('--to')
    const tooFar = await srmv(['up', '--sql', '+2'], { cwd: dir })
    expect(tooFar.code).toBe(2)
    expect(tooFar.stderr).toContain('error [UNKNOWN_TARGET]: +2: only 1 migration comes after the starting point')
    expect((await srmv(['up', '--sql', '+1'], { cwd: dir })).stdout).toContain('CREATE MATERIALIZED VIEW `daily_sales_mv`')
  }, 60_000)

  it('init writes .env.example with a final newline and keeps .env out of git', async () => {
    const fresh = tempDir('fh-init')
    await srmv(['init'], { cwd: fresh })
    expect(readFileSync(join(fresh, '.env.example'), 'utf8')).toMatch(/\n$/)
    expect(readFileSync(join(fresh, '.gitignore'), 'utf8')).toBe('.env\n')

    const existing = tempDir('fh-init-ignore')
    writeFileSync(join(existing, '.gitignore'), 'node_modules')
    const r = await srmv(['init'], { cwd: existing })
    expect(r.stdout).toContain('updated .gitignore')
    expect(readFileSync(join(existing, '.gitignore'), 'utf8')).toBe('node_modules\n.env\n')

    const ignored = tempDir('fh-init-ignored')
    writeFileSync(join(ignored, '.gitignore'), 'node_modules\n.env\n')
    expect((await srmv(['init'], { cwd: ignored })).stdout).not.toContain('.gitignore')
    expect(readFileSync(join(ignored, '.gitignore'), 'utf8')).toBe('node_modules\n.env\n')
  }, 60_000)

  it('init makes a CommonJS package an ES module package only when no sources would change meaning, and says so', async () => {
    const fresh = tempDir('fh-pkg')
    writeFileSync(join(fresh, 'package.json'), `${JSON.stringify({ name: 'x', version: '1.0.0', main: 'index.js', type: 'commonjs' }, null, 2)}\n`)
    const r = await srmv(['init'], { cwd: fresh })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('updated package.json: "type": "module" (was "commonjs")')
    expect(r.stdout).toContain('created tsconfig.json')
    expect(JSON.parse(readFileSync(join(fresh, 'package.json'), 'utf8'))).toEqual({ name: 'x', version: '1.0.0', main: 'index.js', type: 'module' })
    expect(existsSync(join(fresh, 'tsconfig.json'))).toBe(true)

    const withCode = tempDir('fh-pkg-code')
    const pkg = `${JSON.stringify({ name: 'y', version: '1.0.0' }, null, 2)}\n`
    writeFileSync(join(withCode, 'package.json'), pkg)
    writeFileSync(join(withCode, 'index.js'), "module.exports = require('./lib')\n")
    mkdirSync(join(withCode, 'lib'))
    const kept = await srmv(['init'], { cwd: withCode })
    expect(kept.code).toBe(0)
    expect(readFileSync(join(withCode, 'package.json'), 'utf8')).toBe(pkg)
    expect(kept.stderr).toContain('warning: package.json is CommonJS')
    expect(kept.stderr).toContain('index.js')
  }, 60_000)
})
