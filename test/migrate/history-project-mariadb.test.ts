import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEFAULT_QUERY_TIMEOUT_MS, connect } from '../../src/db/index.js'
import { isDbError } from '../../src/db/db-error.js'
import { Migrator } from '../../src/migrate/migrator.js'
import type { ModuleLoader } from '../../src/migrate/module-loader.js'
import { MARIADB, MARIADB_URL, mariadbAvailable } from '../support/mariadb.js'
import { MysqlTestClient } from './mysql-test-client.js'
import { sourceLoader, tempDir, uniq, writeMigration } from './helpers.js'

const up = await mariadbAvailable()
const tag = uniq()
const T = (n: string): string => `hp_${tag}_${n}`

/** The history table as srmv 0.1 created it: no project column. */
const legacyTable = (name: string): string =>
  `CREATE TABLE \`${name}\` (seq BIGINT NOT NULL, event_id VARCHAR(64) NOT NULL, migration_id VARCHAR(255) NOT NULL, event VARCHAR(32) NOT NULL, ` +
  `direction VARCHAR(8) NOT NULL, statement_index INT NULL, statement_hash VARCHAR(64) NULL, checksum VARCHAR(64) NULL, run_id VARCHAR(64) NOT NULL, ` +
  `owner VARCHAR(1024) NOT NULL, created_at DATETIME NOT NULL, detail TEXT NULL, PRIMARY KEY (event_id))`

let load: ModuleLoader
const clients: MysqlTestClient[] = []

const columns = async (table: string): Promise<string[]> => {
  const c = await createConnection(MARIADB)
  const [rows] = await c.query(`SELECT COLUMN_NAME FROM information_schema.columns WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = ?`, [table])
  await c.end()
  return (rows as { COLUMN_NAME: string }[]).map((r) => r.COLUMN_NAME)
}

describe.skipIf(!up)('history project keys on MariaDB', () => {
  beforeAll(async () => {
    load = await sourceLoader()
  })
  afterAll(async () => {
    const c = await createConnection(MARIADB)
    const [rows] = await c.query(`SHOW TABLES LIKE 'hp\\_${tag}\\_%'`)
    for (const r of rows as Record<string, string>[]) {
      const t = Object.values(r)[0] as string
      await c.query(`DROP VIEW IF EXISTS \`${t}\``).catch(() => undefined)
      await c.query(`DROP TABLE IF EXISTS \`${t}\``).catch(() => undefined)
    }
    await c.end()
    for (const x of clients) await x.close()
  })

  it('a history table of an older srmv keeps working: the unnamed project leaves it as it is, a named one adds the column', async () => {
    const table = T('legacy')
    const admin = await createConnection(MARIADB)
    await admin.query(legacyTable(table))
    const dir = tempDir('legacy')
    writeMigration(dir, '20250101000000_old', [[`CREATE TABLE ${T('old')} (x INT)`, `DROP TABLE ${T('old')}`]])
    writeMigration(dir, '20250102000000_new', [[`CREATE TABLE ${T('new')} (x INT)`, `DROP TABLE ${T('new')}`]])
    // a row written by the older srmv: 20250101000000 applied
    await admin.query(
      `INSERT INTO \`${table}\` VALUES (1, 'e1', '20250101000000', 'started', 'up', NULL, NULL, NULL, 'r1', 'old@host', '2025-01-01 00:00:00', '{"statements":1}'), ` +
        `(2, 'e2', '20250101000000', 'statement', 'up', 0, 'h', NULL, 'r1', 'old@host', '2025-01-01 00:00:00', NULL), ` +
        `(3, 'e3', '20250101000000', 'succeeded', 'up', NULL, NULL, NULL, 'r1', 'old@host', '2025-01-01 00:00:00', NULL)`,
    )
    await admin.end()

    const client = new MysqlTestClient()
    clients.push(client)
    const unnamed = new Migrator({ client, dir, table, load })
    expect((await unnamed.status()).migrations.map((m) => [m.id, m.state])).toEqual([
      ['20250101000000', 'applied'],
      ['20250102000000', 'pending'],
    ])
    await unnamed.up()
    expect(await columns(table)).not.toContain('project')
    expect((await unnamed.status()).migrations.map((m) => m.state)).toEqual(['applied', 'applied'])

    // a named project sharing the table: the column is added, old rows stay the unnamed project's
    const otherDir = tempDir('legacy-other')
    writeMigration(otherDir, '20250301000000_other', [[`CREATE TABLE ${T('other')} (x INT)`, `DROP TABLE ${T('other')}`]])
    const named = new Migrator({ client, dir: otherDir, table, load, project: 'billing' })
    const before = await named.status()
    expect(before.problems).toEqual([])
    expect(before.migrations.map((m) => [m.id, m.state])).toEqual([['20250301000000', 'pending']])
    await named.up()
    expect(await columns(table)).toContain('project')
    expect((await named.status()).migrations.map((m) => m.state)).toEqual(['applied'])
    // unlock --force of a named project on an older table (no lock taken, so no column added by it)
    const older = T('legacy_unlock')
    const admin2 = await createConnection(MARIADB)
    await admin2.query(legacyTable(older))
    await admin2.query(`CREATE VIEW \`${older}_lock\` AS SELECT '{"owner":"x@y","runId":"r","pid":1,"host":"elsewhere","since":"?"}' AS owner`)
    await admin2.end()
    const broken = await new Migrator({ client, dir: otherDir, table: older, load, project: 'billing' }).unlock({ force: true })
    expect(broken.broken).toBe(true)
    const again = new Migrator({ client, dir, table, load })
    const mine = await again.status()
    expect(mine.problems).toEqual([])
    expect(mine.migrations.map((m) => m.state)).toEqual(['applied', 'applied'])
  })

  it('connect bounds every statement by default: a server that stops replying times out with the outcome unknown', async () => {
    const c = await connect(MARIADB_URL)
    // the client's own timer is faked and moved past the default; the server really sleeps 5 s
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const running = c.query('SELECT SLEEP(5)')
      const settled = running.then(
        () => 'answered',
        (e: unknown) => (isDbError(e, 'TIMEOUT') && (e as { outcomeUnknown: boolean }).outcomeUnknown ? 'timed out' : String(e)),
      )
      await vi.advanceTimersByTimeAsync(DEFAULT_QUERY_TIMEOUT_MS)
      expect(await settled).toBe('timed out')
    } finally {
      vi.useRealTimers()
      await c.close()
    }
  })
})
