import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { requireBuiltCli } from '../cli/run-cli.js'
import { expectMarker, FORBIDDEN, raceProject, raceRound } from './race.js'
import { cli, figures, spawnCli } from './support.js'

/** 2, 4 and 8 `srmv up` processes racing against the emulator; its statement log shows any repeat. */

const ROUNDS: Readonly<Record<number, number>> = { 2: 20, 4: 10, 8: 5 }
const fig = figures('concurrency-emulator')
let sr: Emulator
let dir: string
const admin = () => createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })

describe('racing srmv processes on the emulator', () => {
  beforeAll(async () => {
    requireBuiltCli()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    dir = raceProject('CREATE TABLE marker (id VARCHAR(32), seen BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1')
  })
  afterAll(async () => {
    await sr?.close()
    fig.write()
  })

  for (const n of [2, 4, 8]) {
    fig.add('cases')
    it(`${n} processes × ${ROUNDS[n]} rounds: each migration applied once, the others wait or name the holder`, async () => {
      const statements = JSON.parse((await cli(dir, ['up', '--sql', '--json'])).stdout) as string[]
      for (let round = 0; round < (ROUNDS[n] as number); round++) {
        const db = `race_${n}_${round}`
        const c = await admin()
        await c.query(`CREATE DATABASE ${db}`)
        const from = sr.statements.length
        const r = await raceRound(dir, `starrocks://root@127.0.0.1:${sr.port}/${db}`, n)
        expect(r.applied).toBe(1)
        const [rows] = await c.query(`SELECT id, seen FROM ${db}.marker`)
        expectMarker(rows as { id: string; seen: number }[])
        // the statement log: every migration statement sent exactly once in this round
        const sent = sr.statements.slice(from)
        for (const s of statements) expect(sent.filter((x) => x === s), s).toHaveLength(1)
        await c.end()
        fig.add(`processes raced (${n} at a time)`, n)
        fig.add('rounds')
        fig.add('waited for the lock', r.waited)
        fig.add('stopped naming the holder', r.lockedOut)
      }
      fig.set(`rounds of ${n}`, ROUNDS[n] as number)
      fig.add('cases passed')
    }, 240_000)
  }

  it('a lock left by a killed process is stale, outlives --wait-lock, and yields only to unlock --force', async () => {
    const c = await admin()
    await c.query('CREATE DATABASE race_stale')
    await c.end()
    const env = { STARROCKS_URL: `starrocks://root@127.0.0.1:${sr.port}/race_stale` }
    const killed = await spawnCli(dir, ['up'], { ...env, SRMV_TEST_KILL_AT: 'before-statement:1' })
    expect(killed.signal).toBe('SIGKILL')
    const waited = await cli(dir, ['up', '--wait-lock', '1'], env)
    expect(waited.code).toBe(1)
    expect(waited.stderr).toMatch(/locked by \S+ \(pid \d+, up\) since .* stale: process \d+ is not running/)
    const shown = await cli(dir, ['unlock'], env)
    expect(shown.code).toBe(1)
    expect(shown.stdout).toContain('stale')
    expect((await cli(dir, ['up'], env)).code).toBe(1)
    const broken = await cli(dir, ['unlock', '--force'], env)
    expect(broken.code).toBe(0)
    expect(broken.stdout).toMatch(/Broke the lock held by \S+ \(pid \d+, up\)/)
    expect((await cli(dir, ['resolve', '20250101000000', '--not-run'], env)).code).toBe(0)
    expect((await cli(dir, ['up', '--resume'], env)).code).toBe(0)
    fig.add('stale locks checked')
    fig.add('cases passed')
  }, 60_000)

  fig.add('cases', 2)
  it('the runner never sends GET_LOCK, FOR UPDATE, LOCK TABLES or a transaction (every statement of this file)', () => {
    expect(sr.statements.length).toBeGreaterThan(100)
    const bad = sr.statements.filter((s) => FORBIDDEN.test(s))
    expect(bad).toEqual([])
    fig.set('statements checked for server locks and transactions', sr.statements.length)
    fig.add('cases passed')
  })
})
