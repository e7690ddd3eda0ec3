import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { cli, project } from '../reliability/support.js'

/** A schema whose queries are plain strings: `a_top` reads `z_base`, which sorts after it by name. */
const schema = `import { mv } from 'starrocks-mv'
export const a_top = mv('a_top').refresh.manual().properties({ replication_num: 1 }).as('SELECT sum(b.total) AS total FROM z_base b')
export const z_base = mv('z_base').refresh.manual().properties({ replication_num: 1 }).as('SELECT dt, sum(amount) AS total FROM txt.orders GROUP BY dt')
`

describe('srmv with queries given as plain strings', () => {
  let sr: Emulator
  beforeAll(async () => {
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    const { connect } = await import('../../src/db/index.js')
    const admin = await connect(sr.url)
    await admin.query('CREATE DATABASE txt')
    await admin.query('CREATE TABLE txt.orders (dt date, amount int) DUPLICATE KEY(dt) DISTRIBUTED BY HASH(dt)')
    await admin.close()
  })
  afterAll(async () => {
    await sr?.close()
  })

  it('graph shows the edges read from the text', async () => {
    const dir = project('text-deps-graph', { schema })
    const r = await cli(dir, ['graph', '--format', 'dot'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('"z_base" -> "a_top";')
    expect(r.stdout).toContain('"txt.orders" -> "z_base";')
  })

  it('generate writes z_base before a_top, and up applies the whole migration', async () => {
    const dir = project('text-deps-up', { schema, starrocks: true })
    const g = await cli(dir, ['generate', '-m', 'first'])
    expect(g.code, g.stderr).toBe(0)
    const file = readdirSync(join(dir, 'migrations')).find((f) => f.endsWith('.ts')) as string
    const source = readFileSync(join(dir, 'migrations', file), 'utf8')
    expect(source.indexOf("mv('z_base')")).toBeGreaterThan(0)
    expect(source.indexOf("mv('z_base')")).toBeLessThan(source.indexOf("mv('a_top')"))
    const up = await cli(dir, ['up'], { STARROCKS_URL: `${sr.url}txt` })
    expect(up.code, up.stdout + up.stderr).toBe(0)
    const status = await cli(dir, ['status', '--json'], { STARROCKS_URL: `${sr.url}txt` })
    expect(status.stdout).toContain('"applied"')
  })
})
