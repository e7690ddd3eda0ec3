import { rmSync, writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Migrator, type MigratorOptions } from '../../src/migrate/migrator.js'
import { isStarRocksMvError } from '../../src/errors.js'
import type { ModuleLoader } from '../../src/migrate/module-loader.js'
import { MARIADB, mariadbAvailable } from '../support/mariadb.js'
import { MysqlTestClient } from './mysql-test-client.js'
import { sourceLoader, tempDir, uniq, writeMigration } from './helpers.js'

const up = await mariadbAvailable()
const tag = uniq()
const T = (n: string): string => `mg_${tag}_${n}`

let load: ModuleLoader
const clients: MysqlTestClient[] = []
const newClient = (): MysqlTestClient => {
  const c = new MysqlTestClient()
  clients.push(c)
  return c
}

const tables = async (): Promise<string[]> => {
  const c = await createConnection(MARIADB)
  const [rows] = await c.query(`SHOW TABLES LIKE 'mg\\_${tag}\\_%'`)
  await c.end()
  return (rows as Record<string, string>[]).map((r) => Object.values(r)[0] as string).sort()
}

const setup = (name: string, extra: Partial<MigratorOptions> = {}) => {
  const dir = tempDir(name)
  const client = newClient()
  const table = T(`hist_${name}`)
  const m = new Migrator({ client, dir, table, load, ...extra })
  return { dir, client, table, m }
}

const expectCode = async (p: Promise<unknown>, code: string): Promise<Error> => {
  try {
    await p
  } catch (e) {
    if (!isStarRocksMvError(e, code)) throw e
    return e as Error
  }
  throw new Error(`expected ${code}`)
}

describe.skipIf(!up)('Migrator on MariaDB', () => {
  beforeAll(async () => {
    load = await sourceLoader()
  })
  afterAll(async () => {
    const c = await createConnection(MARIADB)
    for (const t of await tables()) {
      await c.query(`DROP VIEW IF EXISTS \`${t}\``).catch(() => undefined)
      await c.query(`DROP TABLE IF EXISTS \`${t}\``).catch(() => undefined)
    }
    await c.end()
    for (const c2 of clients) await c2.close()
  })

  it('applies pending migrations in order, records each statement, and reads its rows back', async () => {
    const { dir, client, m } = setup('apply')
    writeMigration(dir, '20250101000000_first', [[`CREATE TABLE \`${T('a')}\` (id INT)`, `DROP TABLE \`${T('a')}\``]])
    writeMigration(dir, '20250102000000_second', [
      [`CREATE TABLE \`${T('b')}\` (id INT)`, `DROP TABLE \`${T('b')}\``],
      [`CREATE TABLE \`${T('c')}\` (id INT)`, `DROP TABLE \`${T('c')}\``],
    ])
    const offline = await new Migrator({ dir, load }).sql()
    const report = await m.up()
    expect(report.migrations.map((x) => x.id)).toEqual(['20250101000000', '20250102000000'])
    // the migration statements sent are exactly the offline ones, in order
    expect(client.statements.filter((s) => s.startsWith('CREATE TABLE `mg_') && !s.includes('IF NOT EXISTS'))).toEqual(offline)
    expect(await tables()).toEqual(expect.arrayContaining([T('a'), T('b'), T('c')]))
    const events = await m.history()
    expect(events.map((e) => `${e.migrationId}:${e.event}:${e.statementIndex ?? ''}`)).toEqual([
      '20250101000000:started:',
      '20250101000000:statement:0',
      '20250101000000:succeeded:',
      '20250102000000:started:',
      '20250102000000:statement:0',
      '20250102000000:statement:1',
      '20250102000000:succeeded:',
    ])
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length)
    const status = await m.status()
    expect(status.server).toBe('mysql')
    expect(status.migrations.map((s) => s.state)).toEqual(['applied', 'applied'])
    expect(status.lock).toBeUndefined()
    expect(status.problems).toEqual([])
    // nothing left to do
    expect((await m.up()).migrations).toEqual([])
    // down one step, then to base
    await m.down()
    expect(await tables()).not.toContain(T('b'))
    expect((await m.status()).migrations.map((s) => s.state)).toEqual(['applied', 'pending'])
    await m.down({ to: 'base' })
    expect(await tables()).not.toContain(T('a'))
    // up to a target
    await m.up({ to: '20250101000000' })
    expect((await m.status()).migrations.map((s) => s.state)).toEqual(['applied', 'pending'])
  })

  it('stops at a rejected statement, refuses to go on, resumes without repeating, and down undoes only what ran', async () => {
    const { dir, client, m } = setup('fail')
    const file = writeMigration(dir, '20250101000000_three', [
      [`CREATE TABLE \`${T('f1')}\` (id INT)`, `DROP TABLE \`${T('f1')}\``],
      [`CREATE TABLE \`${T('f2')}\` (id INT) BROKEN`, `DROP TABLE \`${T('f2')}\``],
      [`CREATE TABLE \`${T('f3')}\` (id INT)`, `DROP TABLE \`${T('f3')}\``],
    ])
    const err = await expectCode(m.up(), 'MIGRATION_FAILED')
    expect(err.message).toContain('statement 2')
    expect(err.message).toContain('--resume')
    const status = await m.status()
    expect(status.migrations[0]?.state).toBe('partial')
    expect(status.problems[0]).toMatch(/1 statement completed .*statement 2 of 3 failed/)
    await expectCode(m.up(), 'PARTIAL_MIGRATION')
    // down undoes only statement 1
    const downReport = await m.down({ dryRun: true })
    expect(downReport.migrations[0]?.statements).toEqual([`DROP TABLE \`${T('f1')}\``])
    // fix the file (statement 1 unchanged) and resume: statement 1 is not sent again
    writeFileSync(file, readFileSync(file, 'utf8').replace(' BROKEN', ''))
    const before = client.statements.length
    await m.up({ resume: true })
    const sent = client.statements.slice(before).filter((s) => s.startsWith('CREATE TABLE `mg_'))
    expect(sent).toEqual([`CREATE TABLE \`${T('f2')}\` (id INT)`, `CREATE TABLE \`${T('f3')}\` (id INT)`])
    expect((await m.status()).migrations[0]?.state).toBe('applied')
  })

  it('undoes a partial up as far as it ran', async () => {
    const { dir, m } = setup('undo')
    writeMigration(dir, '20250101000000_two', [
      [`CREATE TABLE \`${T('u1')}\` (id INT)`, `DROP TABLE \`${T('u1')}\``],
      [`CREATE TABLE \`${T('u1')}\` (id INT)`, `DROP TABLE \`${T('u1')}\``],
    ])
    await expectCode(m.up(), 'MIGRATION_FAILED')
    expect(await tables()).toContain(T('u1'))
    await m.down()
    expect(await tables()).not.toContain(T('u1'))
    expect((await m.status()).migrations[0]?.state).toBe('pending')
  })

  it('refuses to resume when a recorded statement changed', async () => {
    const { dir, m } = setup('mismatch')
    const file = writeMigration(dir, '20250101000000_x', [
      [`CREATE TABLE \`${T('r1')}\` (id INT)`, `DROP TABLE \`${T('r1')}\``],
      [`CREATE TABLE \`${T('r1')}\` (id INT)`, `DROP TABLE \`${T('r1')}\``],
    ])
    await expectCode(m.up(), 'MIGRATION_FAILED')
    writeFileSync(file, readFileSync(file, 'utf8').replace(`(id INT)", { down`, `(id BIGINT)", { down`))
    await expectCode(m.up({ resume: true }), 'RESUME_MISMATCH')
    await m.resolve('20250101000000', 'rolled-back')
    expect((await m.status()).migrations[0]?.state).toBe('pending')
  })

  it('stops on a changed or deleted applied migration, and on a pending one older than an applied one', async () => {
    const { dir, m } = setup('drift')
    const first = writeMigration(dir, '20250101000000_a', [[`CREATE TABLE \`${T('d1')}\` (id INT)`, `DROP TABLE \`${T('d1')}\``]])
    writeMigration(dir, '20250103000000_c', [[`CREATE TABLE \`${T('d3')}\` (id INT)`, `DROP TABLE \`${T('d3')}\``]])
    await m.up()
    writeFileSync(first, readFileSync(first, 'utf8').replace('(id INT)', '(id BIGINT)'))
    const changed = await expectCode(m.up(), 'CHECKSUM_MISMATCH')
    expect(changed.message).toContain('20250101000000_a')
    await m.resolve('20250101000000', 'applied')
    writeMigration(dir, '20250102000000_b', [[`CREATE TABLE \`${T('d2')}\` (id INT)`, `DROP TABLE \`${T('d2')}\``]])
    const ooo = await expectCode(m.up(), 'OUT_OF_ORDER')
    expect(ooo.message).toContain('--allow-unordered')
    const unordered = new Migrator({ client: newClient(), dir, table: T('hist_drift'), load, allowUnordered: true })
    expect((await unordered.up()).migrations.map((x) => x.id)).toEqual(['20250102000000'])
    rmSync(join(dir, '20250103000000_c.ts'))
    const missing = await expectCode(m.up(), 'MISSING_MIGRATION')
    expect(missing.message).toContain('20250103000000')
    await expectCode(m.up({ to: 'nope' }), 'MISSING_MIGRATION')
  })

  it('dry-run connects, plans and writes nothing (not even the history table or the lock)', async () => {
    const { dir, client, m, table } = setup('dry')
    writeMigration(dir, '20250101000000_a', [[`CREATE TABLE \`${T('dry1')}\` (id INT)`, `DROP TABLE \`${T('dry1')}\``]])
    const r = await m.up({ dryRun: true })
    expect(r.dryRun).toBe(true)
    expect(r.migrations[0]?.statements).toEqual([`CREATE TABLE \`${T('dry1')}\` (id INT)`])
    expect(client.statements.filter((s) => !/^SELECT /i.test(s))).toEqual([])
    expect(await tables()).not.toContain(table)
    expect(await tables()).not.toContain(T('dry1'))
  })

  it('stamps without running anything', async () => {
    const { dir, client, m } = setup('stamp')
    writeMigration(dir, '20250101000000_a', [[`CREATE TABLE \`${T('s1')}\` (id INT)`, `DROP TABLE \`${T('s1')}\``]])
    writeMigration(dir, '20250102000000_b', [[`CREATE TABLE \`${T('s2')}\` (id INT)`, `DROP TABLE \`${T('s2')}\``]])
    const r = await m.stamp('20250101000000')
    expect(r.stamped).toEqual([{ id: '20250101000000', direction: 'up' }])
    expect(client.statements.some((s) => s.includes(T('s1')) && s.startsWith('CREATE TABLE `mg'))).toBe(false)
    expect((await m.status()).migrations.map((s) => s.state)).toEqual(['applied', 'pending'])
    await expectCode(m.stamp('2099'), 'UNKNOWN_TARGET')
    await m.stamp('base')
    expect((await m.status()).migrations.map((s) => s.state)).toEqual(['pending', 'pending'])
  })

  it('records an outcome-unknown statement (connection killed mid-statement) and never resends it', async () => {
    const reconnects: MysqlTestClient[] = []
    const { dir, client, m } = setup('unknown', {
      reconnect: async () => {
        const c = newClient()
        reconnects.push(c)
        return c
      },
    })
    writeMigration(dir, '20250101000000_slow', [
      [`CREATE TABLE \`${T('k1')}\` (id INT)`, `DROP TABLE \`${T('k1')}\``],
      ['SELECT SLEEP(60)', 'SELECT 1'],
      [`CREATE TABLE \`${T('k2')}\` (id INT)`, `DROP TABLE \`${T('k2')}\``],
    ])
    const running = m.up()
    // kill the runner's session while it sleeps (under a loaded machine the runner may take a while
    // to reach the statement: wait for it, and fail saying so rather than kill at another moment)
    const killer = await createConnection(MARIADB)
    const id = await client.threadId()
    let sleeping = false
    for (let i = 0; i < 400 && !sleeping; i++) {
      const [rows] = await killer.query('SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ? AND INFO LIKE ?', [id, 'SELECT SLEEP(60)%'])
      sleeping = (rows as unknown[]).length > 0
      if (!sleeping) await new Promise((r) => setTimeout(r, 100))
    }
    await killer.query(`KILL ${id}`)
    await killer.end()
    expect(sleeping, 'the runner reached SELECT SLEEP(60) within 40 s').toBe(true)
    const err = await expectCode(running, 'OUTCOME_UNKNOWN')
    expect(err.message).toContain('statement 2')
    expect(reconnects.length).toBeGreaterThan(0)
    expect(await tables()).not.toContain(T('k2'))
    const status = await m.status()
    expect(status.lock).toBeUndefined()
    expect(status.problems[0]).toMatch(/statement 2 of 3: outcome unknown/)
    const events = await m.history()
    expect(events.at(-1)?.event).toBe('unknown')
    await expectCode(m.up(), 'PARTIAL_MIGRATION')
    await expectCode(m.down(), 'UNSETTLED_STATEMENT')
  }, 90_000)
})
