import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { executeMigration, project, sleep, spawnCli, tempDir, type Run } from './support.js'

/** The migrations raced: a marker table, then three that each insert how many rows the marker already has. */
export const MARKER_IDS = ['20250101000001', '20250101000002', '20250101000003'] as const

export const raceProject = (createMarker: string): string => {
  const dir = project('race')
  executeMigration(dir, '20250101000000_marker', [[createMarker, 'DROP TABLE marker']])
  for (const id of MARKER_IDS) executeMigration(dir, `${id}_count`, [[`INSERT INTO marker SELECT '${id}', COUNT(*) FROM marker`, `DELETE FROM marker WHERE id = '${id}'`]])
  return dir
}

/** What a race of one round showed. */
export interface RoundResult {
  readonly results: readonly Run[]
  readonly waited: number
  readonly applied: number
  readonly lockedOut: number
}

/**
 * Start `n` `srmv up` processes behind a barrier (each waits, just before taking the lock, for a
 * file that appears once all of them are ready): the even ones with `--wait-lock 60`, the odd ones
 * without. Every process must end on its own (no deadlock: a 60 s bound kills it and fails).
 */
export const raceRound = async (dir: string, url: string, n: number): Promise<RoundResult> => {
  const gate = join(tempDir('gate'), 'go')
  const env = { STARROCKS_URL: url, SRMV_TEST_BARRIER: gate }
  const running = Array.from({ length: n }, (_, i) => spawnCli(dir, i % 2 === 0 ? ['up', '--wait-lock', '60'] : ['up'], env, 60_000))
  const folder = join(gate, '..')
  for (let i = 0; i < 2000; i++) {
    if (readdirSync(folder).filter((f) => f.startsWith('go.ready.')).length >= n) break
    await sleep(10)
  }
  const ready = readdirSync(folder).filter((f) => f.startsWith('go.ready.')).length
  writeFileSync(gate, '')
  if (ready < n) {
    const early = await Promise.all(running)
    expect.fail(`only ${ready} of ${n} processes reached the barrier: ${early.map((r) => `[${r.code ?? r.signal}] ${r.stderr}`).join(' | ')}`)
  }
  const results = await Promise.all(running)
  let applied = 0
  let lockedOut = 0
  results.forEach((r, i) => {
    expect(r.signal, `process ${i} did not end by itself: ${r.stderr}`).toBeUndefined()
    if (i % 2 === 0) {
      expect(r.code, r.stderr).toBe(0)
    } else if (r.code !== 0) {
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toMatch(/locked by \S+@\S+ \(pid \d+, up\) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/)
      lockedOut++
    }
    if (r.stdout.includes(`applied ${MARKER_IDS[2]}_count`)) applied++
  })
  expect(existsSync(gate)).toBe(true)
  return { results, waited: results.filter((r) => r.stderr.includes('waiting for the lock held by')).length, applied, lockedOut }
}

/** The marker rows prove each migration ran once, in order: seen = 0, 1, 2. */
export const expectMarker = (rows: readonly { id: string; seen: number | string }[]): void => {
  expect(rows.map((r) => ({ id: r.id, seen: Number(r.seen) })).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(MARKER_IDS.map((id, seen) => ({ id, seen })))
}

/** The runner's own SQL: no server locks, no transactions around DDL. */
export const FORBIDDEN = /\bGET_LOCK\b|\bFOR\s+UPDATE\b|\bLOCK\s+TABLES?\b|^\s*(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK|SET\s+autocommit)\b/i
