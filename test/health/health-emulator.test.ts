import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { health, reactivationOps, type HealthReport, type MvHealth } from '../../src/health/index.js'
import { toStatements } from '../../src/ops/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

const DB = 'srmv_health'
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const setup = [
  `CREATE DATABASE ${DB}`,
  `CREATE TABLE ${DB}.orders (id BIGINT, dt DATE, amount INT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) PROPERTIES ("replication_num" = "1")`,
  `CREATE TABLE ${DB}.users (id BIGINT, name VARCHAR(20)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) PROPERTIES ("replication_num" = "1")`,
  `INSERT INTO ${DB}.orders VALUES (1, '2025-01-01', 10)`,
  // fine: manual, refreshed at creation, base unchanged since
  `CREATE MATERIALIZED VIEW ${DB}.fine DISTRIBUTED BY HASH(dt) REFRESH MANUAL PROPERTIES ("replication_num" = "1") AS SELECT dt, sum(amount) AS total FROM ${DB}.orders GROUP BY dt`,
  // reads users, which is dropped below: inactive; and an MV over it, inactive in turn
  `CREATE MATERIALIZED VIEW ${DB}.by_user DISTRIBUTED BY HASH(id) REFRESH MANUAL PROPERTIES ("replication_num" = "1") AS SELECT id, count(*) AS n FROM ${DB}.users GROUP BY id`,
  `CREATE MATERIALIZED VIEW ${DB}.on_by_user DISTRIBUTED BY HASH(id) REFRESH MANUAL PROPERTIES ("replication_num" = "1") AS SELECT id, n FROM ${DB}.by_user`,
  // scheduled every second, never refreshed (DEFERRED): stale
  `CREATE MATERIALIZED VIEW ${DB}.scheduled DISTRIBUTED BY HASH(dt) REFRESH DEFERRED ASYNC START("2020-01-01 00:00:00") EVERY(INTERVAL 1 SECOND) PROPERTIES ("replication_num" = "1") AS SELECT dt, count(*) AS n FROM ${DB}.orders GROUP BY dt`,
  // scheduled in the far future: not due, so not stale
  `CREATE MATERIALIZED VIEW ${DB}.future DISTRIBUTED BY HASH(dt) REFRESH DEFERRED ASYNC START("2999-01-01 00:00:00") EVERY(INTERVAL 1 DAY) PROPERTIES ("replication_num" = "1") AS SELECT dt FROM ${DB}.orders`,
  `CREATE MATERIALIZED VIEW ${DB}.changed DISTRIBUTED BY HASH(dt) REFRESH MANUAL PROPERTIES ("replication_num" = "1") AS SELECT dt, max(amount) AS m FROM ${DB}.orders GROUP BY dt`,
]
// created after the last write to orders
const later = [
  `CREATE MATERIALIZED VIEW ${DB}.failing DISTRIBUTED BY HASH(dt) REFRESH MANUAL PROPERTIES ("replication_num" = "1") AS SELECT dt, min(amount) AS m FROM ${DB}.orders GROUP BY dt`,
  `CREATE MATERIALIZED VIEW ${DB}.slow DISTRIBUTED BY HASH(dt) REFRESH MANUAL PROPERTIES ("replication_num" = "1") AS SELECT dt, avg(amount) AS a FROM ${DB}.orders GROUP BY dt`,
]

const byName = (r: HealthReport, name: string): MvHealth => {
  const m = r.mvs.find((x) => x.name === name)
  if (m === undefined) throw new Error(`no ${name} in the report`)
  return m
}
const kinds = (m: MvHealth): string[] => m.findings.map((f) => f.kind).sort()

describe.each(['3.5', '4.1', '4.2'] as const)('health() over the wire, emulator %s', (version) => {
  let sr: Emulator
  let client: Client
  let report: HealthReport
  let sent: string[]
  beforeAll(async () => {
    sr = await startEmulator({ version, defaultReplicationNum: 1 })
    const c = await connect(sr.url)
    for (const s of setup) await c.query(s)
    // a write after `fine` and `changed` were refreshed, then `fine` refreshed again; `changed` not
    await sleep(1100)
    await c.query(`INSERT INTO ${DB}.orders VALUES (2, '2025-01-02', 20)`)
    await sleep(1100)
    await c.query(`REFRESH MATERIALIZED VIEW ${DB}.fine WITH SYNC MODE`)
    for (const s of later) await c.query(s)
    await c.query(`DROP TABLE ${DB}.users`)
    sr.inject({ at: (s) => /REFRESH MATERIALIZED VIEW .*failing/.test(s), kind: 'refresh-failure', message: 'Memory of process exceed limit' })
    await c.query(`REFRESH MATERIALIZED VIEW ${DB}.failing`)
    sr.inject({ at: (s) => /REFRESH MATERIALIZED VIEW .*slow/.test(s), kind: 'refresh-delay', ms: 60_000 })
    await c.query(`REFRESH MATERIALIZED VIEW ${DB}.slow`)
    await c.close()
    client = await connect(`${sr.url}${DB}`)
    await client.version()
    const before = sr.statements.length
    report = await health(client, { graceSeconds: 0 })
    sent = sr.statements.slice(before)
  }, 30_000)
  afterAll(async () => {
    await client?.close()
    await sr?.close()
  })

  test('a healthy MV has no findings', () => {
    expect(byName(report, 'fine')).toMatchObject({ level: 'ok', active: true, refresh: 'manual', findings: [] })
    expect(byName(report, 'fine').lastSuccess).toMatch(/^\d{4}-\d{2}-\d{2} /)
  })

  test('inactive MVs carry the reason the server gives', () => {
    const m = byName(report, 'by_user')
    expect(m.level).toBe('error')
    expect(m.active).toBe(false)
    const f = m.findings.find((x) => x.kind === 'inactive')
    expect(f).toMatchObject({ level: 'error' })
    expect(f?.kind === 'inactive' ? f.reason : undefined).toContain('users')
    expect(byName(report, 'on_by_user').findings.map((x) => x.kind)).toContain('inactive')
  })

  test('a failed last refresh is an error, with the server message', () => {
    const m = byName(report, 'failing')
    expect(m.level).toBe('error')
    expect(m.findings).toEqual([expect.objectContaining({ kind: 'refresh-failed', error: 'Memory of process exceed limit' })])
    expect(m.lastRefresh?.state).toBe('FAILED')
  })

  test('a running refresh is reported, and is not a problem', () => {
    const m = byName(report, 'slow')
    expect(m.level).toBe('ok')
    expect(m.findings).toEqual([expect.objectContaining({ kind: 'refresh-running', state: 'RUNNING' })])
  })

  test('a scheduled MV with no successful refresh is stale; one not due yet is not', () => {
    const m = byName(report, 'scheduled')
    expect(m.refresh).toBe('every 1 SECOND')
    expect(kinds(m)).toEqual(['stale'])
    expect(m.level).toBe('warning')
    expect(byName(report, 'future').findings).toEqual([])
  })

  test('an MV whose base table was written after its last refresh is flagged', () => {
    const m = byName(report, 'changed')
    expect(kinds(m)).toEqual(['base-tables-changed'])
    const f = m.findings[0]
    expect(f?.kind === 'base-tables-changed' ? f.tables.map((t) => t.name) : []).toEqual([`${DB}.orders`])
    expect(report.sources.baseTables).toBe(version === '4.2' ? 'partitions_meta.LAST_UPDATE_TIME' : 'partitions_meta.VISIBLE_VERSION_TIME')
  })

  test('reads the refresh jobs where the server has them, task runs elsewhere', () => {
    expect(report.sources.refreshes).toBe(version === '3.5' ? 'task_runs' : 'materialized_view_refresh_jobs')
    expect(sent.some((s) => s.includes(version === '3.5' ? 'information_schema.task_runs' : 'information_schema.materialized_view_refresh_jobs'))).toBe(true)
  })

  test('the report totals and the worst level', () => {
    expect(report.level).toBe('error')
    expect(report.counts).toEqual({ ok: 3, warning: 2, error: 3 })
    expect(report.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  })

  test('the re-activations go bases first', async () => {
    const ops = reactivationOps(report)
    expect(toStatements(ops)).toEqual([
      `ALTER MATERIALIZED VIEW \`${DB}\`.\`by_user\` ACTIVE`,
      `ALTER MATERIALIZED VIEW \`${DB}\`.\`on_by_user\` ACTIVE`,
    ])
  })

  test('a constant number of queries, whatever the number of MVs', async () => {
    const c = await connect(sr.url)
    for (let i = 0; i < 20; i++) {
      await c.query(`CREATE MATERIALIZED VIEW ${DB}.extra_${i} DISTRIBUTED BY HASH(dt) REFRESH MANUAL PROPERTIES ("replication_num" = "1") AS SELECT dt FROM ${DB}.orders`)
    }
    await c.close()
    const before = sr.statements.length
    const again = await health(client, { graceSeconds: 0 })
    expect(again.mvs.length).toBe(report.mvs.length + 20)
    expect(sr.statements.length - before).toBe(sent.length)
    expect(sent.length).toBe(5) // DATABASE(), materialized_views, NOW(), the refresh history, partitions_meta
  })
})

describe('health() on a 4.1 server without materialized_view_refresh_jobs', () => {
  test('falls back to task_runs', async () => {
    const sr = await startEmulator({ version: '4.1', defaultReplicationNum: 1 })
    try {
      const c = await connect(sr.url)
      for (const s of setup.slice(0, 5)) await c.query(s)
      await c.close()
      sr.inject({ at: (s) => s.includes('materialized_view_refresh_jobs'), kind: 'error', errno: 1064, message: "Getting analyzing error. Detail message: Unknown table 'information_schema.materialized_view_refresh_jobs'." })
      const client = await connect(`${sr.url}${DB}`)
      const report = await health(client)
      await client.close()
      expect(report.sources.refreshes).toBe('task_runs')
      expect(byName(report, 'fine')).toMatchObject({ level: 'ok', lastRefresh: { state: 'SUCCESS' } })
    } finally {
      await sr.close()
    }
  })

  test('other errors are not swallowed', async () => {
    const sr = await startEmulator({ version: '4.1', defaultReplicationNum: 1 })
    try {
      const c = await connect(sr.url)
      for (const s of setup.slice(0, 5)) await c.query(s)
      await c.close()
      sr.inject({ at: (s) => s.includes('materialized_view_refresh_jobs'), kind: 'error', errno: 1045, message: 'Access denied; you need the SELECT privilege' })
      const client = await connect(`${sr.url}${DB}`)
      await expect(health(client)).rejects.toThrow(/Access denied/)
      await client.close()
    } finally {
      await sr.close()
    }
  })
})
