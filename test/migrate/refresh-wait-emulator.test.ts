import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/db/index.js'
import type { Client } from '../../src/db/client.js'
import { isStarRocksMvError } from '../../src/errors.js'
import { Migrator, type MigratorEvent } from '../../src/migrate/migrator.js'
import { readRefreshProgress } from '../../src/migrate/refresh-progress.js'
import type { ModuleLoader } from '../../src/migrate/module-loader.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { sourceLoader, tempDir } from './helpers.js'

let sr: Emulator
let load: ModuleLoader
const clients: Client[] = []
const client = async (): Promise<Client> => {
  const c = await connect(`${sr.url}rw`)
  clients.push(c)
  return c
}

describe('waiting for refreshes (emulator)', () => {
  beforeAll(async () => {
    load = await sourceLoader()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    const c = await connect(sr.url)
    await c.query('CREATE DATABASE rw')
    await c.query('CREATE TABLE rw.t (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1')
    await c.query('CREATE MATERIALIZED VIEW rw.m REFRESH MANUAL AS SELECT id FROM rw.t')
    await c.close()
  })
  afterAll(async () => {
    for (const c of clients) await c.close()
    await sr?.close()
  })

  it('reads the running refresh of an MV from information_schema.task_runs', async () => {
    const a = await client()
    const b = await client()
    sr.inject({ at: (s: string) => s.startsWith('REFRESH MATERIALIZED VIEW'), kind: 'refresh-delay', ms: 1500 })
    const running = a.query('REFRESH MATERIALIZED VIEW `rw`.`m` WITH SYNC MODE')
    await new Promise((r) => setTimeout(r, 300))
    expect((await readRefreshProgress(b, { schema: 'rw', name: 'm' }))?.state).toBe('RUNNING')
    await running
    expect((await readRefreshProgress(b, { schema: 'rw', name: 'm' }))?.state).toBe('SUCCESS')
    expect(await readRefreshProgress(b, { schema: 'rw', name: 'nope' })).toBeUndefined()
  })

  it('gives a waiting refresh its own timeout; past it the outcome is unknown and recorded', async () => {
    const dir = tempDir('wait')
    writeFileSync(
      join(dir, '20250101000000_refresh.ts'),
      `import { defineMigration } from 'starrocks-mv'\nexport default defineMigration({\n  up(op) { op.refreshMaterializedView('rw.m', { wait: true }) },\n  down() {},\n})\n`,
    )
    sr.inject({ at: (s: string) => s.startsWith('REFRESH MATERIALIZED VIEW'), kind: 'refresh-delay', ms: 4000 })
    const events: MigratorEvent[] = []
    const m = new Migrator({ client: await client(), dir, load, refreshTimeoutSeconds: 1, historyProperties: { replication_num: '1' }, onEvent: (e) => events.push(e) })
    let err: unknown
    try {
      await m.up()
    } catch (e) {
      err = e
    }
    expect(isStarRocksMvError(err, 'OUTCOME_UNKNOWN')).toBe(true)
    const statement = events.find((e) => e.kind === 'statement')
    expect(statement?.kind === 'statement' && statement.op?.kind).toBe('refreshMaterializedView')
    const status = await m.status()
    expect(status.problems[0]).toContain('outcome unknown')
    expect(status.lock).toBeUndefined()
  })
})
