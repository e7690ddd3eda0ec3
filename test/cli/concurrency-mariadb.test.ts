import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MARIADB, MARIADB_URL, mariadbAvailable } from '../support/mariadb.js'
import { tempDir, uniq, writeMigration } from '../migrate/helpers.js'
import { requireBuiltCli, srmv } from './run-cli.js'

const up = await mariadbAvailable()
const tag = uniq()
const made: string[] = []

const project = (name: string): { dir: string; marker: string; history: string } => {
  const dir = tempDir(`race-${name}`)
  const marker = `race_${tag}_${name}_marker`
  const history = `race_${tag}_${name}_hist`
  made.push(marker, history, `${history}_lock`)
  writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations', historyTable: '${history}' })\n`)
  writeFileSync(join(dir, 'schema.ts'), 'export {}\n')
  const m = join(dir, 'migrations')
  mkdirSync(m)
  writeMigration(m, '20250101000000_marker', [[`CREATE TABLE \`${marker}\` (id VARCHAR(32), seen INT)`, `DROP TABLE \`${marker}\``]])
  for (const id of ['20250101000001', '20250101000002', '20250101000003']) {
    writeMigration(m, `${id}_count`, [[`INSERT INTO \`${marker}\` SELECT '${id}', COUNT(*) FROM \`${marker}\``, `DELETE FROM \`${marker}\` WHERE id = '${id}'`]])
  }
  return { dir, marker, history }
}

const markerRows = async (marker: string): Promise<{ id: string; seen: number }[]> => {
  const c = await createConnection(MARIADB)
  const [rows] = await c.query(`SELECT id, seen FROM \`${marker}\` ORDER BY id`)
  await c.end()
  return rows as { id: string; seen: number }[]
}

describe.skipIf(!up)('concurrent srmv processes on MariaDB', () => {
  beforeAll(() => requireBuiltCli())
  afterAll(async () => {
    const c = await createConnection(MARIADB)
    for (const t of made) {
      await c.query(`DROP VIEW IF EXISTS \`${t}\``).catch(() => undefined)
      await c.query(`DROP TABLE IF EXISTS \`${t}\``).catch(() => undefined)
    }
    await c.end()
  })

  for (const n of [2, 4, 8]) {
    it(`${n} runners with --wait-lock apply every migration exactly once`, async () => {
      const { dir, marker } = project(`w${n}`)
      const results = await Promise.all(Array.from({ length: n }, () => srmv(['up', '--wait-lock', '60'], { cwd: dir, env: { STARROCKS_URL: MARIADB_URL } })))
      for (const r of results) expect(r.code, r.stderr).toBe(0)
      expect(results.filter((r) => r.stdout.includes('applied 20250101000003_count')).length).toBe(1)
      expect(await markerRows(marker)).toEqual([
        { id: '20250101000001', seen: 0 },
        { id: '20250101000002', seen: 1 },
        { id: '20250101000003', seen: 2 },
      ])
    }, 120_000)
  }

  it('runners without --wait-lock either apply, find nothing to do, or stop naming the holder', async () => {
    const { dir, marker } = project('nowait')
    const results = await Promise.all(Array.from({ length: 6 }, () => srmv(['up'], { cwd: dir, env: { STARROCKS_URL: MARIADB_URL } })))
    for (const r of results) {
      if (r.code === 0) continue
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/locked by \S+@\S+ \(pid \d+, up\) since \d{4}-/)
      expect(r.stderr).toContain('--wait-lock')
    }
    expect(results.some((r) => r.code === 0)).toBe(true)
    const status = await srmv(['status', '--json'], { cwd: dir, env: { STARROCKS_URL: MARIADB_URL } })
    const applied = (JSON.parse(status.stdout) as { migrations: { state: string }[] }).migrations.filter((m) => m.state === 'applied').length
    const rows = await markerRows(marker).catch(() => [])
    expect(rows.length).toBe(Math.max(0, applied - 1))
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length)
  }, 120_000)

  it('a lock left by a killed runner is reported as stale and broken only by unlock --force', async () => {
    const { dir, history } = project('stale')
    const c = await createConnection(MARIADB)
    const ghost = JSON.stringify({ owner: 'ghost@' + (await import('node:os')).hostname(), host: (await import('node:os')).hostname(), pid: 2 ** 22 + 7, runId: 'ghost', since: '2025-01-01T00:00:00.000Z', command: 'up' })
    await c.query(`CREATE VIEW \`${history}_lock\` AS SELECT ? AS owner`.replace('?', c.escape(ghost)))
    await c.end()
    const env = { STARROCKS_URL: MARIADB_URL }
    const blocked = await srmv(['up'], { cwd: dir, env })
    expect(blocked.code).toBe(1)
    expect(blocked.stderr).toContain('stale')
    const show = await srmv(['unlock'], { cwd: dir, env })
    expect(show.code).toBe(1)
    expect(show.stdout).toContain('ghost@')
    const forced = await srmv(['unlock', '--force'], { cwd: dir, env })
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('Broke the lock held by ghost@')
    expect((await srmv(['up'], { cwd: dir, env })).code).toBe(0)
    const events = JSON.parse((await srmv(['history', '--json'], { cwd: dir, env })).stdout) as { event: string }[]
    expect(events.filter((e) => e.event === 'unlocked').length).toBe(1)
  }, 60_000)
})
