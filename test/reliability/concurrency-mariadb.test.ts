import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireBuiltCli } from '../cli/run-cli.js'
import { MARIADB, mariadbAvailable } from '../support/mariadb.js'
import { expectMarker, raceProject, raceRound } from './race.js'
import { cli, figures, spawnCli, uniq } from './support.js'

/** 2, 4 and 8 `srmv up` processes racing against MariaDB; a marker table shows any double apply. */

const available = await mariadbAvailable()
const ROUNDS: Readonly<Record<number, number>> = { 2: 20, 4: 10, 8: 5 }
const tag = uniq()
const made: string[] = []
const fig = figures('concurrency-mariadb')
let dir: string

describe.skipIf(!available)('racing srmv processes on MariaDB', () => {
  beforeAll(() => {
    requireBuiltCli()
    dir = raceProject('CREATE TABLE marker (id VARCHAR(32), seen INT)')
  })
  afterAll(async () => {
    const c = await createConnection(MARIADB)
    for (const db of made) await c.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => undefined)
    await c.end()
    fig.write()
  })

  for (const n of [2, 4, 8]) {
    fig.add('cases')
    it(`${n} processes × ${ROUNDS[n]} rounds: each migration applied once, the others wait or name the holder`, async () => {
      const c = await createConnection(MARIADB)
      try {
        for (let round = 0; round < (ROUNDS[n] as number); round++) {
          const db = `relc_${tag}_${n}_${round}`
          made.push(db)
          await c.query(`CREATE DATABASE \`${db}\``)
          const r = await raceRound(dir, `mysql://root@127.0.0.1:3306/${db}`, n)
          expect(r.applied).toBe(1)
          const [rows] = await c.query(`SELECT id, seen FROM \`${db}\`.marker`)
          expectMarker(rows as { id: string; seen: number }[])
          const [events] = await c.query(`SELECT migration_id, event FROM \`${db}\`.srmv_migrations WHERE event = 'started'`)
          expect((events as unknown[]).length).toBe(4)
          fig.add(`processes raced (${n} at a time)`, n)
          fig.add('rounds')
          fig.add('waited for the lock', r.waited)
          fig.add('stopped naming the holder', r.lockedOut)
        }
      } finally {
        await c.end()
      }
      fig.set(`rounds of ${n}`, ROUNDS[n] as number)
      fig.add('cases passed')
    }, 240_000)
  }

  fig.add('cases')
  it('a lock left by a killed process is stale, outlives --wait-lock, and yields only to unlock --force', async () => {
    const db = `relc_${tag}_stale`
    made.push(db)
    const c = await createConnection(MARIADB)
    await c.query(`CREATE DATABASE \`${db}\``)
    await c.end()
    const env = { STARROCKS_URL: `mysql://root@127.0.0.1:3306/${db}` }
    const killed = await spawnCli(dir, ['up'], { ...env, SRMV_TEST_KILL_AT: 'after-statement:1' })
    expect(killed.signal).toBe('SIGKILL')
    const waited = await cli(dir, ['up', '--wait-lock', '1'], env)
    expect(waited.code).toBe(1)
    expect(waited.stderr).toMatch(/locked by \S+ \(pid \d+, up\) since .* stale: process \d+ is not running/)
    expect((await cli(dir, ['unlock'], env)).code).toBe(1)
    const broken = await cli(dir, ['unlock', '--force'], env)
    expect(broken.code).toBe(0)
    expect(broken.stdout).toMatch(/Broke the lock held by \S+ \(pid \d+, up\)/)
    expect((await cli(dir, ['resolve', '20250101000000', '--ran'], env)).code).toBe(0)
    expect((await cli(dir, ['up', '--resume'], env)).code).toBe(0)
    const [rows] = await (await createConnection({ ...MARIADB, database: db })).query('SELECT id, seen FROM marker')
    expectMarker(rows as { id: string; seen: number }[])
    fig.add('stale locks checked')
    fig.add('cases passed')
  }, 60_000)
})
