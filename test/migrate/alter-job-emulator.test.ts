import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/db/index.js'
import type { Client } from '../../src/db/client.js'
import { isStarRocksMvError } from '../../src/errors.js'
import { alterTableTarget, readAlterJob, schemaChangeTarget } from '../../src/migrate/alter-job.js'
import { Migrator, type MigratorEvent } from '../../src/migrate/migrator.js'
import type { ModuleLoader } from '../../src/migrate/module-loader.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { sourceLoader, tempDir } from './helpers.js'

let sr: Emulator
let load: ModuleLoader
const clients: Client[] = []
const client = async (): Promise<Client> => {
  const c = await connect(`${sr.url}aj`)
  clients.push(c)
  return c
}

const migration = (dir: string, file: string, statements: readonly string[]): void => {
  writeFileSync(
    join(dir, file),
    `import { defineMigration } from 'starrocks-mv'\nexport default defineMigration({\n  up(op) {\n${statements.map((s) => `    op.execute(${JSON.stringify(s)})\n`).join('')}  },\n  down() {},\n})\n`,
  )
}

describe('the runner waits for schema-change jobs (emulator)', () => {
  beforeAll(async () => {
    load = await sourceLoader()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    const c = await connect(sr.url)
    await c.query('CREATE DATABASE aj')
    await c.query('CREATE TABLE aj.t (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1')
    await c.close()
  })
  afterAll(async () => {
    for (const c of clients) await c.close()
    await sr?.close()
  })

  it('finds the table of an ALTER TABLE ... COLUMN, and nothing in other statements', () => {
    expect(schemaChangeTarget('ALTER TABLE `aj`.`t` ADD COLUMN `x` INT NULL AFTER `id`, DROP COLUMN `y`')).toEqual({ schema: 'aj', name: 't' })
    expect(schemaChangeTarget('alter table t modify column x BIGINT')).toEqual({ name: 't' })
    expect(schemaChangeTarget('ALTER TABLE t SET ("replication_num" = "1")')).toBeUndefined()
    expect(schemaChangeTarget('ALTER MATERIALIZED VIEW m ACTIVE')).toBeUndefined()
  })

  it('index changes are schema-change jobs too; partition changes and SWAP are not (but every ALTER TABLE waits for a leftover job)', () => {
    expect(schemaChangeTarget('ALTER TABLE `aj`.`t` ADD INDEX `ix` (`id`) USING BITMAP')).toEqual({ schema: 'aj', name: 't' })
    expect(schemaChangeTarget('ALTER TABLE t DROP INDEX ix')).toEqual({ name: 't' })
    expect(schemaChangeTarget('CREATE INDEX ix ON aj.t (id) USING BITMAP')).toEqual({ schema: 'aj', name: 't' })
    expect(schemaChangeTarget('DROP INDEX ix ON `t`')).toEqual({ name: 't' })
    expect(schemaChangeTarget('ALTER TABLE t ADD PARTITION p VALUES LESS THAN ("1")')).toBeUndefined()
    expect(schemaChangeTarget('ALTER TABLE t SWAP WITH u')).toBeUndefined()
    expect(alterTableTarget('ALTER TABLE aj.t SWAP WITH u')).toEqual({ schema: 'aj', name: 't' })
    expect(alterTableTarget('ALTER MATERIALIZED VIEW m ACTIVE')).toBeUndefined()
  })

  it('waits for an ADD INDEX job before the next statement; SHOW CREATE TABLE shows the index once it finished', async () => {
    const dir = tempDir('alter-index')
    migration(dir, '20250104000000_index.ts', ['ALTER TABLE aj.t ADD INDEX ix_id (id) USING BITMAP', 'ALTER TABLE aj.t DROP INDEX ix_id'])
    sr.inject({ at: (s: string) => s.includes('ADD INDEX ix_id'), kind: 'alter-delay', ms: 400 })
    const events: MigratorEvent[] = []
    const m = new Migrator({ client: await client(), dir, load, table: 'h_index', alterPollMs: 50, historyProperties: { replication_num: '1' }, onEvent: (e) => events.push(e) })
    await m.up()
    const jobs = events.filter((e): e is Extract<MigratorEvent, { kind: 'alter-job' }> => e.kind === 'alter-job')
    expect(jobs.filter((e) => e.index === 0).map((e) => e.state)).toContain('RUNNING')
    expect(jobs.filter((e) => e.index === 1).at(-1)?.state).toBe('FINISHED')
    expect(String((await (await client()).query('SHOW CREATE TABLE aj.t')).rows[0]?.['Create Table'])).not.toContain('ix_id')
  })

  it('StarRocks refuses a second schema change of a table while the first job runs', async () => {
    const c = await client()
    sr.inject({ at: (s: string) => s.includes('ADD COLUMN a1'), kind: 'alter-delay', ms: 600 })
    await c.query('ALTER TABLE aj.t ADD COLUMN a1 INT NULL AFTER id')
    expect((await readAlterJob(c, { schema: 'aj', name: 't' }))?.state).toBe('RUNNING')
    await expect(c.query('ALTER TABLE aj.t ADD COLUMN a2 INT NULL AFTER a1')).rejects.toThrow(/is not NORMAL/)
    await new Promise((r) => setTimeout(r, 800))
    expect((await readAlterJob(c, { schema: 'aj', name: 't' }))?.state).toBe('FINISHED')
  })

  it('waits for each job before the next statement, reporting its progress', async () => {
    const dir = tempDir('alter-wait')
    migration(dir, '20250101000000_columns.ts', ['ALTER TABLE aj.t ADD COLUMN b1 INT NULL AFTER id', 'ALTER TABLE aj.t ADD COLUMN b2 INT NULL AFTER b1'])
    sr.inject({ at: (s: string) => s.includes('ADD COLUMN b1'), kind: 'alter-delay', ms: 500 })
    const events: MigratorEvent[] = []
    const m = new Migrator({ client: await client(), dir, load, table: 'h_wait', alterPollMs: 100, historyProperties: { replication_num: '1' }, onEvent: (e) => events.push(e) })
    await m.up()
    const jobs = events.filter((e): e is Extract<MigratorEvent, { kind: 'alter-job' }> => e.kind === 'alter-job')
    expect(jobs.filter((e) => e.index === 0).map((e) => e.state)).toContain('RUNNING')
    expect(jobs.filter((e) => e.index === 0).at(-1)?.state).toBe('FINISHED')
    expect(jobs.every((e) => e.table === 'aj.t')).toBe(true)
    const cols = await (await client()).query('SHOW CREATE TABLE aj.t')
    expect(String(cols.rows[0]?.['Create Table'])).toMatch(/`b1` int\(11\) NULL COMMENT "",\n {2}`b2` int\(11\)/)
  })

  it('a cancelled job fails the statement: the migration stops, and status says a plain up tries it again', async () => {
    const dir = tempDir('alter-cancel')
    migration(dir, '20250102000000_cancelled.ts', ['ALTER TABLE aj.t ADD COLUMN c1 INT NULL AFTER id', 'ALTER TABLE aj.t ADD COLUMN c2 INT NULL AFTER c1'])
    sr.inject({ at: (s: string) => s.includes('ADD COLUMN c1'), kind: 'alter-cancel', ms: 200, message: 'disk full' })
    const m = new Migrator({ client: await client(), dir, load, table: 'h_cancel', alterPollMs: 50, historyProperties: { replication_num: '1' } })
    let err: unknown
    try {
      await m.up()
    } catch (e) {
      err = e
    }
    expect(isStarRocksMvError(err, "MIGRATION_FAILED"), String(err)).toBe(true)
    expect((err as Error).message).toMatch(/cancelled: disk full/)
    const status = await m.status()
    // nothing ran (the job was cancelled at the first statement): a plain up tries it again
    expect(status.notes.join('\n')).toMatch(/rejected at statement 1 before anything ran \(.*cancelled: disk full/)
    expect(String((await (await client()).query('SHOW CREATE TABLE aj.t')).rows[0]?.['Create Table'])).not.toContain('c1')
  })

  it('a job still running after alterTimeoutSeconds leaves the outcome unknown, recorded as such', async () => {
    const dir = tempDir('alter-timeout')
    migration(dir, '20250103000000_slow.ts', ['ALTER TABLE aj.t ADD COLUMN d1 INT NULL AFTER id'])
    sr.inject({ at: (s: string) => s.includes('ADD COLUMN d1'), kind: 'alter-delay', ms: 2500 })
    const m = new Migrator({ client: await client(), dir, load, table: 'h_timeout', alterPollMs: 100, alterTimeoutSeconds: 1, historyProperties: { replication_num: '1' } })
    await expect(m.up()).rejects.toSatisfy((e: unknown) => isStarRocksMvError(e, 'OUTCOME_UNKNOWN') && /still RUNNING/.test((e as Error).message))
    await new Promise((r) => setTimeout(r, 1800))
  })
})
