import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { requireBuiltCli } from '../cli/run-cli.js'
import { MARIADB, mariadbAvailable } from '../support/mariadb.js'
import { cli, executeMigration, figures, project, spawnCli, uniq, type Run } from './support.js'

/**
 * A password in the URL never reaches anything a run produces: stdout, stderr, --json, files in
 * the project (migrations, snapshots), the history table or the lock. Everything is grepped for
 * the password, plain and percent-encoded.
 */

const available = await mariadbAvailable()
const tag = uniq()
const PASSWORD = `S3cr3t-${tag}-pä ss`
const ENCODED = encodeURIComponent(PASSWORD)
const USER = `srmv_sec_${tag}`
const DB = `rels_${tag}`
const fig = figures('secrets')
const outputs: Run[] = []

const files = (dir: string): string[] => {
  const out: string[] = []
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) out.push(...files(p))
    else out.push(p)
  }
  return out
}

const expectClean = (what: 'run outputs (stdout + stderr)' | 'files' | 'history tables' | 'statement logs', label: string, text: string): void => {
  expect(text, label).not.toContain(PASSWORD)
  expect(text, label).not.toContain(ENCODED)
  expect(text, label).not.toContain(`${tag}-pä`)
  fig.add(`${what} grepped`)
}

afterAll(() => fig.write())
fig.add('cases', 3)

const record = (r: Run): Run => {
  outputs.push(r)
  return r
}

describe.skipIf(!available)('secrets on MariaDB', () => {
  beforeAll(async () => {
    requireBuiltCli()
    const c = await createConnection(MARIADB)
    await c.query(`CREATE DATABASE \`${DB}\``)
    await c.query(`CREATE USER '${USER}'@'%' IDENTIFIED BY ${c.escape(PASSWORD)}`)
    await c.query(`GRANT ALL ON \`${DB}\`.* TO '${USER}'@'%'`)
    await c.end()
  })
  afterAll(async () => {
    const c = await createConnection(MARIADB)
    await c.query(`DROP DATABASE IF EXISTS \`${DB}\``)
    await c.query(`DROP USER IF EXISTS '${USER}'@'%'`)
    await c.end()
  })

  it('every command, success and failure, with the password in the URL, in .env and in the config', async () => {
    const url = `mysql://${USER}:${ENCODED}@127.0.0.1:3306/${DB}`
    const wrong = `mysql://${USER}:${encodeURIComponent(`${PASSWORD}x`)}@127.0.0.1:3306/${DB}`
    const dir = project('secrets')
    executeMigration(dir, '20250101000000_a', [['CREATE TABLE a (id INT)', 'DROP TABLE a']])
    executeMigration(dir, '20250102000000_b', [['CREATE TABLE b (id INT)', 'DROP TABLE b'], ['INSERT INTO nope VALUES (1)', 'SELECT 1']])
    const env = { STARROCKS_URL: url }
    const runs: (readonly string[])[] = [
      ['status'], ['status', '--json'], ['up', '--dry-run'], ['up', '--dry-run', '--json'], ['up'], ['up', '--json'], ['history'], ['history', '--json'],
      ['up', '--resume'], ['resolve', '20250102000000', '--rolled-back'], ['unlock'], ['unlock', '--json'], ['check', '--json'], ['plan', '--json'],
      ['up', '--sql', '--with-history', '--server', 'mysql'], ['down', '--json'], ['generate', '-m', 'empty one', '--empty', '--json'], ['stamp', 'head'],
    ]
    for (const args of runs) record(await cli(dir, args, env))
    for (const args of runs.slice(0, 4)) record(await cli(dir, args, { ...env, SRMV_DEBUG: '1' }))
    // failures: a wrong password, an unknown database, a killed run and its stale lock
    record(await cli(dir, ['status'], { STARROCKS_URL: wrong, SRMV_DEBUG: '1' }))
    record(await cli(dir, ['up'], { STARROCKS_URL: `mysql://${USER}:${ENCODED}@127.0.0.1:3306/${DB}_nope` }))
    record(await spawnCli(dir, ['up', '--wait-lock', '0'], { STARROCKS_URL: wrong }))
    const killDir = project('secrets-kill')
    executeMigration(killDir, '20250101000000_k', [['CREATE TABLE k (id INT)', 'DROP TABLE k']])
    writeFileSync(join(killDir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', historyTable: 'kill_hist' })\n`)
    record(await spawnCli(killDir, ['up'], { STARROCKS_URL: url, SRMV_TEST_KILL_AT: 'after-statement:1' }))
    record(await spawnCli(killDir, ['status'], { STARROCKS_URL: url }))
    record(await spawnCli(killDir, ['status', '--json'], { STARROCKS_URL: url }))
    record(await spawnCli(killDir, ['unlock', '--force'], { STARROCKS_URL: url }))
    // the URL from .env, and from the config
    writeFileSync(join(killDir, '.env'), `STARROCKS_URL=${wrong}\n`)
    record(await spawnCli(killDir, ['status'], {}))
    const cfgDir = project('secrets-config')
    writeFileSync(join(cfgDir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', url: ${JSON.stringify(wrong)} })\n`)
    record(await spawnCli(cfgDir, ['status', '--json'], {}))
    record(await spawnCli(cfgDir, ['up'], {}))

    expect(outputs.some((o) => o.code === 0)).toBe(true)
    expect(outputs.some((o) => o.code === 3)).toBe(true)
    expect(outputs.some((o) => o.stdout.includes(`${USER}:***@127.0.0.1:3306`))).toBe(true)
    for (const o of outputs) expectClean('run outputs (stdout + stderr)', `output of a run: ${o.stderr.slice(0, 200)}`, o.stdout + o.stderr)
    for (const d of [dir, killDir]) for (const f of files(d)) if (!f.endsWith('.env')) expectClean('files', f, readFileSync(f, 'utf8'))
    // the server side: the history rows and the lock owner
    const c = await createConnection({ ...MARIADB, database: DB })
    for (const t of ['srmv_migrations', 'kill_hist']) {
      const [rows] = await c.query(`SELECT * FROM \`${t}\``)
      expectClean('history tables', `${t} rows`, JSON.stringify(rows))
    }
    await c.end()
    fig.set('runs', outputs.length)
    fig.add('cases passed')
  }, 120_000)
})

describe('secrets on the emulator', () => {
  let sr: Emulator
  beforeAll(async () => {
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
  })
  afterAll(async () => {
    await sr?.close()
  })

  it('generate from the live server, snapshots, plans and checks never hold the password', async () => {
    const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
    await c.query('CREATE DATABASE sec')
    await c.query('CREATE TABLE sec.orders (id BIGINT, amount DECIMAL(10, 2)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1')
    await c.end()
    const schema = `import { mv, sql, table } from 'starrocks-mv'
export const orders = table('orders', { id: 'BIGINT', amount: 'DECIMAL(10, 2)' })
export const m = mv('sec_mv').comment('no secrets here').refresh.manual().as(sql\`SELECT \${orders.id}, SUM(\${orders.amount}) AS total FROM \${orders} GROUP BY \${orders.id}\`)
`
    const dir = project('secrets-emu', { starrocks: true, schema })
    const env = { STARROCKS_URL: `starrocks://root:${ENCODED}@127.0.0.1:${sr.port}/sec` }
    const runs: Run[] = []
    for (const args of [['generate', '-m', 'first', '--from-db'], ['up'], ['check'], ['check', '--json'], ['plan', '--from-db', '--json'], ['status', '--json'], ['generate', '-m', 'none', '--from-db', '--json'], ['down']]) {
      runs.push(await cli(dir, args, env))
    }
    runs.push(await cli(dir, ['status'], { STARROCKS_URL: `starrocks://root:${ENCODED}@127.0.0.1:1/sec?connectTimeout=500`, SRMV_DEBUG: '1' }))
    expect(runs.slice(0, 2).map((r) => r.code)).toEqual([0, 0])
    for (const r of runs) expectClean('run outputs (stdout + stderr)', 'emulator run output', r.stdout + r.stderr)
    for (const f of files(dir)) expectClean('files', f, readFileSync(f, 'utf8'))
    expect(files(dir).some((f) => f.endsWith('.snapshot.json'))).toBe(true)
    expectClean('statement logs', 'statements the emulator received', sr.statements.join('\n'))
    fig.add('cases passed')
  }, 60_000)
})

describe('secrets in URLs that do not parse', () => {
  it('an unencoded / in the password, no scheme, and a .env value cut at an unquoted #: never printed, and the way out is said', async () => {
    const secret = `Pw${tag}`
    const cases: { label: string; env: Record<string, string>; dotenv?: string; shown: readonly string[] }[] = [
      { label: 'an unencoded / in the password', env: { STARROCKS_URL: `starrocks://u:${secret}/x@127.0.0.1:1/db` }, shown: [secret, `${secret}/x`] },
      { label: 'an unencoded ? in the password', env: { STARROCKS_URL: `starrocks://u:12?${secret}@127.0.0.1:1/db` }, shown: [secret] },
      { label: 'no scheme', env: { STARROCKS_URL: `u:${secret}@127.0.0.1:1/db` }, shown: [secret] },
      { label: 'no scheme and an unencoded /', env: { STARROCKS_URL: `u:a/${secret}@127.0.0.1:1/db` }, shown: [secret] },
      { label: 'an unquoted # in .env', env: {}, dotenv: `STARROCKS_URL=starrocks://u:${secret}#rest@127.0.0.1:1/db\n`, shown: [secret] },
      { label: 'an unquoted # in .env after a /', env: {}, dotenv: `STARROCKS_URL=starrocks://u:a/${secret}#rest@127.0.0.1:1/db\n`, shown: [secret] },
    ]
    for (const c of cases) {
      const dir = project('secrets-url')
      if (c.dotenv !== undefined) writeFileSync(join(dir, '.env'), c.dotenv)
      for (const args of [['status'], ['status', '--json'], ['up']]) {
        const r = await cli(dir, args, { ...c.env, SRMV_DEBUG: '1' })
        expect(r.code, `${c.label}: ${r.stderr}`).not.toBe(0)
        const text = r.stdout + r.stderr
        for (const s of c.shown) expect(text, `${c.label}, srmv ${args.join(' ')}`).not.toContain(s)
        expect(text, c.label).toContain('%2F')
        expect(text, c.label).toContain('.env')
        fig.add('run outputs (stdout + stderr) grepped')
        fig.add('runs with a URL that does not parse')
      }
    }
    fig.set('URLs that do not parse', cases.length)
    fig.add('cases passed')
  }, 60_000)
})
