import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '../../src/db/client.js'
import { connect, parseServerUrl } from '../../src/db/index.js'
import { isStarRocksMvError, type StarRocksMvError } from '../../src/errors.js'
import { Migrator, type MigratorOptions } from '../../src/migrate/migrator.js'
import type { ModuleLoader } from '../../src/migrate/module-loader.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { cli, executeMigration, project } from '../reliability/support.js'
import { sourceLoader, tempDir, uniq, writeMigration } from './helpers.js'

/** The runner's history against the emulator: what it reads, what it writes, and what it advises. */

let sr: Emulator
let load: ModuleLoader
const clients: Client[] = []

const database = async (): Promise<{ db: string; client: Client }> => {
  const db = `rh_${uniq()}`
  const admin = await connect(sr.url)
  await admin.query(`CREATE DATABASE ${db}`)
  await admin.close()
  const client = await connect(`${sr.url}${db}`)
  clients.push(client)
  return { db, client }
}

const migrator = (client: Client, dir: string, extra: Partial<MigratorOptions> = {}): Migrator =>
  new Migrator({ client, dir, load, historyProperties: { replication_num: '1' }, reconnect: async () => client, ...extra })

const failure = async (p: Promise<unknown>): Promise<StarRocksMvError> => {
  try {
    await p
  } catch (e) {
    if (isStarRocksMvError(e)) return e
    throw e
  }
  throw new Error('expected a failure')
}

const isHistorySelect = (sql: string): boolean => sql.startsWith('SELECT') && sql.includes('`srmv_migrations`')

describe('runner history (emulator)', () => {
  beforeAll(async () => {
    load = await sourceLoader()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
  })
  afterAll(async () => {
    for (const c of clients) await c.close()
    await sr?.close()
  })

  it('reads back only the row it wrote: the history is read in full a constant number of times, whatever the number of statements', async () => {
    const fullReads = async (n: number): Promise<number> => {
      const { db, client } = await database()
      const dir = tempDir('linear')
      writeMigration(dir, '20250101000000_many', Array.from({ length: n }, (_, i) => [`CREATE VIEW ${db}.v${i} AS SELECT ${i} AS x`, `DROP VIEW ${db}.v${i}`] as [string, string]))
      const mark = sr.statements.length
      await migrator(client, dir).up()
      const sent = sr.statements.slice(mark)
      expect(sent.filter((s) => s.startsWith('CREATE VIEW') && s.includes(`${db}.v`))).toHaveLength(n)
      return sent.filter((s) => isHistorySelect(s) && !s.includes('WHERE')).length
    }
    const few = await fullReads(3)
    const many = await fullReads(30)
    expect(many).toBe(few)
    expect(few).toBeLessThanOrEqual(2)
  })

  it('a statement row written but not read back: names what was never sent, and its advice cannot record it as run', async () => {
    const { db, client } = await database()
    const dir = tempDir('readback')
    const id = '20250101000000'
    writeMigration(dir, `${id}_two`, [
      [`CREATE VIEW ${db}.a AS SELECT 1 AS x`, `DROP VIEW ${db}.a`],
      [`CREATE VIEW ${db}.b AS SELECT 2 AS x`, `DROP VIEW ${db}.b`],
    ])
    let armed = false
    sr.inject({
      kind: 'error',
      errno: 1064,
      message: 'injected: read refused',
      at: (sql: string) => {
        if (sql.startsWith('INSERT INTO') && sql.includes(`'${id}', 'statement', 'up', 0,`)) {
          armed = true
          return false
        }
        return armed && isHistorySelect(sql)
      },
    })
    const m = migrator(client, dir)
    const err = await failure(m.up())
    expect(err.message).toContain('statement 1 of 2: it ran')
    expect(err.message).toContain('its history row was written')
    expect(err.message).toContain('injected: read refused')
    expect(err.message).toContain('Statement 2 was not sent.')
    expect(err.message).toContain(`srmv resolve ${id} --not-run --statement 2`)
    expect(err.message).toContain(`srmv resolve ${id} --ran --statement 1`)
    expect(err.message).not.toMatch(/resolve \S+ --ran(?! --statement 1)/)
    expect(sr.statements.filter((s) => s === `CREATE VIEW ${db}.b AS SELECT 2 AS x`)).toHaveLength(0)

    // following the advice: status names statement 2; the wrong statement is refused; resume sends statement 2 once
    const status = await m.status()
    expect(status.problems.join('\n')).toContain('before recording statement 2 of 2')
    const wrong = await failure(m.resolveStatement(id, 'ran', { statement: 1 }))
    expect(wrong.code).toBe('NOTHING_TO_RESOLVE')
    expect(wrong.message).toContain('that is statement 2')
    await m.resolveStatement(id, 'not-run', { statement: 2 })
    await m.up({ resume: true })
    expect(sr.statements.filter((s) => s === `CREATE VIEW ${db}.a AS SELECT 1 AS x`)).toHaveLength(1)
    expect(sr.statements.filter((s) => s === `CREATE VIEW ${db}.b AS SELECT 2 AS x`)).toHaveLength(1)
    expect((await m.status()).migrations.map((x) => x.state)).toEqual(['applied'])
  })

  it('a started row written but not read back: nothing was sent, and the advice records exactly that', async () => {
    const { db, client } = await database()
    const dir = tempDir('readback-start')
    const id = '20250101000000'
    writeMigration(dir, `${id}_one`, [[`CREATE VIEW ${db}.a AS SELECT 1 AS x`, `DROP VIEW ${db}.a`]])
    let armed = false
    sr.inject({
      kind: 'error',
      errno: 1064,
      message: 'injected: read refused',
      at: (sql: string) => {
        if (sql.startsWith('INSERT INTO') && sql.includes(`'${id}', 'started', 'up'`)) {
          armed = true
          return false
        }
        return armed && isHistorySelect(sql)
      },
    })
    const m = migrator(client, dir)
    const err = await failure(m.up())
    expect(err.message).toContain('no statement was sent')
    expect(err.message).toContain(`srmv resolve ${id} --not-run --statement 1`)
    expect(err.message).not.toContain('--ran')
    await m.resolveStatement(id, 'not-run', { statement: 1 })
    // nothing ran and that is known: a plain up tries it again
    await m.up()
    expect(sr.statements.filter((s) => s === `CREATE VIEW ${db}.a AS SELECT 1 AS x`)).toHaveLength(1)
    expect((await m.status()).migrations.map((x) => x.state)).toEqual(['applied'])
  })

  it('a migration rejected before anything ran does not block a plain up: it is tried again', async () => {
    const { db, client } = await database()
    const dir = tempDir('retry')
    const first = `CREATE VIEW ${db}.a AS SELECT 1 AS x`
    writeMigration(dir, '20250101000000_one', [[first, `DROP VIEW ${db}.a`], [`CREATE VIEW ${db}.b AS SELECT 2 AS x`, `DROP VIEW ${db}.b`]])
    sr.inject({ kind: 'error', errno: 1064, message: 'injected: not yet', at: (sql: string) => sql === first })
    const m = migrator(client, dir)
    expect((await failure(m.up())).code).toBe('MIGRATION_FAILED')
    const status = await m.status()
    expect(status.problems).toEqual([])
    expect(status.notes.join('\n')).toContain('rejected at statement 1 before anything ran')
    await m.up()
    expect(sr.statements.filter((s) => s === first)).toHaveLength(2)
    expect((await m.status()).migrations.map((x) => x.state)).toEqual(['applied'])
  })

  it('a partial migration whose file is gone is reported as partial, and the advice keeps the record of what ran', async () => {
    const { db, client } = await database()
    const dir = tempDir('gone')
    const id = '20250101000000'
    const file = writeMigration(dir, `${id}_two`, [
      [`CREATE VIEW ${db}.a AS SELECT 1 AS x`, `DROP VIEW ${db}.a`],
      [`CREATE VIEW ${db}.b AS SELECT 2 AS x`, `DROP VIEW ${db}.b`],
    ])
    sr.inject({ kind: 'error', errno: 1064, message: 'injected', at: (sql: string) => sql === `CREATE VIEW ${db}.b AS SELECT 2 AS x` })
    const m = migrator(client, dir)
    await failure(m.up())
    rmSync(file)
    const status = await m.status()
    const text = status.problems.join('\n')
    expect(text).toContain(`${id} is partial, not applied`)
    expect(text).toContain('statement 1 ran')
    expect(text).not.toContain('recorded as applied')
    expect(text).not.toMatch(/run `srmv resolve \S+ --rolled-back`/)
    expect(text).toContain('Restore the file')
  })

  it('two projects sharing one history table each see only their own migrations', async () => {
    const { db, client } = await database()
    const a = tempDir('proj-a')
    const b = tempDir('proj-b')
    writeMigration(a, '20250101000000_a', [[`CREATE VIEW ${db}.va AS SELECT 1 AS x`, `DROP VIEW ${db}.va`]])
    writeMigration(b, '20250202000000_b', [[`CREATE VIEW ${db}.vb AS SELECT 2 AS x`, `DROP VIEW ${db}.vb`]])
    const ma = migrator(client, a, { project: 'shop' })
    const mb = migrator(client, b, { project: 'billing' })
    await ma.up()
    const sb = await mb.status()
    expect(sb.problems).toEqual([])
    expect(sb.migrations.map((x) => [x.id, x.state])).toEqual([['20250202000000', 'pending']])
    await mb.up()
    const sa = await ma.status()
    expect(sa.problems).toEqual([])
    expect(sa.migrations.map((x) => [x.id, x.state])).toEqual([['20250101000000', 'applied']])
    expect((await mb.history()).every((e) => e.project === 'billing')).toBe(true)
    // a project's down never touches another's
    await mb.down()
    expect((await ma.status()).migrations.map((x) => x.state)).toEqual(['applied'])
    // the unnamed project sees neither
    const unnamed = migrator(client, a)
    expect((await unnamed.status()).migrations.map((x) => x.state)).toEqual(['pending'])
  })

  it('two projects made by srmv init share one history table without seeing each other (CLI)', async () => {
    const { db } = await database()
    const env = { STARROCKS_URL: `${sr.url}${db}` }
    const dirs = [tempDir('init-a'), tempDir('init-b')]
    for (const [i, dir] of dirs.entries()) {
      expect((await cli(dir, ['init'], env)).code).toBe(0)
      expect(readFileSync(join(dir, 'srmv.config.ts'), 'utf8')).toContain(`project: ${JSON.stringify(basename(dir))}`)
      writeFileSync(join(dir, 'schema.ts'), 'export {}\n')
      executeMigration(dir, `2025010${i + 1}000000_m`, [[`CREATE VIEW ${db}.v${i} AS SELECT ${i} AS x`, `DROP VIEW ${db}.v${i}`]])
      expect((await cli(dir, ['up'], env)).code).toBe(0)
    }
    for (const dir of dirs) {
      const status = await cli(dir, ['status', '--json'], env)
      expect(status.code, status.stdout).toBe(0)
      const parsed = JSON.parse(status.stdout) as { migrations: { state: string }[]; problems: string[] }
      expect(parsed.problems).toEqual([])
      expect(parsed.migrations.map((m) => m.state)).toEqual(['applied'])
    }
  })

  it('status lists a stale lock as a problem (up would stop), and the CLI exits 1', async () => {
    const { db, client } = await database()
    const dir = project('stale', { starrocks: true })
    executeMigration(dir, '20250101000000_a', [[`CREATE VIEW ${db}.a AS SELECT 1 AS x`, `DROP VIEW ${db}.a`]])
    const env = { STARROCKS_URL: `${sr.url}${db}` }
    expect((await cli(dir, ['up'], env)).code).toBe(0)
    // a lock left by a process of this host that no longer runs
    const dead = { owner: 'ci@gone', host: hostname(), pid: 4_194_000, runId: 'r-dead', since: '2025-01-01T00:00:00.000Z', command: 'up' }
    await client.query(`CREATE VIEW srmv_migrations_lock AS SELECT '${JSON.stringify(dead)}' AS owner`)
    const status = await cli(dir, ['status'], env)
    expect(status.code).toBe(1)
    expect(status.stdout).toContain('srmv unlock --force')
    expect((await cli(dir, ['unlock', '--force'], env)).code).toBe(0)
    expect((await cli(dir, ['status'], env)).code).toBe(0)
  })

  it('a missing history database is named with where it is configured, not blamed on the URL', async () => {
    const { db } = await database()
    const dir = project('nodb', { starrocks: true })
    writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', historySchema: 'no_history_db', historyProperties: { replication_num: '1' } })\n`)
    executeMigration(dir, '20250101000000_a', [[`CREATE VIEW ${db}.a AS SELECT 1 AS x`, `DROP VIEW ${db}.a`]])
    for (const args of [['status'], ['up']]) {
      const r = await cli(dir, args, { STARROCKS_URL: `${sr.url}${db}` })
      // status reports it as what would stop up (exit 1); up stops at it (exit 3)
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(args[0] === 'status' ? 1 : 3)
      const text = r.stdout + r.stderr
      expect(text).toContain('historySchema')
      expect(text).toContain('CREATE DATABASE `no_history_db`')
      expect(text).not.toContain('in the URL.')
    }
  })

  it('resolve --statement: usage is checked before connecting, and a wrong statement is refused without recording anything (CLI)', async () => {
    const { db } = await database()
    const dir = project('stmt', { starrocks: true })
    const id = '20250101000000'
    executeMigration(dir, `${id}_two`, [
      [`CREATE VIEW ${db}.a AS SELECT 1 AS x`, `DROP VIEW ${db}.a`],
      [`CREATE VIEW ${db}.b AS SELECT 2 AS x`, `DROP VIEW ${db}.b`],
    ])
    const env = { STARROCKS_URL: `${sr.url}${db}` }
    expect((await cli(dir, ['resolve', id, '--ran', '--statement', '0'], env)).code).toBe(2)
    expect((await cli(dir, ['resolve', id, '--applied', '--statement', '1'], env)).code).toBe(2)
    // statement 2 is lost mid-flight: its outcome is unknown
    sr.inject({ kind: 'drop', at: (sql: string) => sql === `CREATE VIEW ${db}.b AS SELECT 2 AS x` })
    const failed = await cli(dir, ['up'], env)
    expect(failed.code).toBe(3)
    expect(failed.stderr).toContain(`srmv resolve ${id} --ran --statement 2`)
    const wrong = await cli(dir, ['resolve', id, '--ran', '--statement', '1'], env)
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('that is statement 2')
    const history = JSON.parse((await cli(dir, ['history', '--json'], env)).stdout) as { event: string }[]
    expect(history.filter((e) => e.event === 'resolved')).toHaveLength(0)
    expect((await cli(dir, ['resolve', id, '--ran', '--statement', '2'], env)).code).toBe(0)
    expect((await cli(dir, ['up', '--resume'], env)).code).toBe(0)
    expect(sr.statements.filter((s) => s === `CREATE VIEW ${db}.b AS SELECT 2 AS x`)).toHaveLength(1)
  })

  it('refuses port 0 in a URL, through the CLI too (exit 2)', async () => {
    const dir = project('port0', { starrocks: true })
    const r = await cli(dir, ['status'], { STARROCKS_URL: 'starrocks://root@127.0.0.1:0/db' })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('the port must be between 1 and 65535')
  })

  it('refuses port 0 in a URL', () => {
    expect(() => parseServerUrl('starrocks://root@127.0.0.1:0/db')).toThrow(/port must be between 1 and 65535/)
  })

  it('refuses a refresh timeout of 0', () => {
    expect(() => new Migrator({ dir: tempDir('rt0'), refreshTimeoutSeconds: 0 })).toThrow(/refreshTimeoutSeconds must be a positive number/)
  })
})
