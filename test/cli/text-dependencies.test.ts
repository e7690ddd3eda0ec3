import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/db/index.js'
import { reflect } from '../../src/reflect/reflect.js'
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

  /** A schema in its own database: z_base, a_top reading it (plain string), a_topmost reading a_top; v2 rebuilds z_base by swap. */
  const chain = (db: string, v2: boolean): string => `import { mv } from 'starrocks-mv'
export const z_base = mv('z_base').schema('${db}').refresh.manual().properties({ replication_num: 1 })${v2 ? ".comment('per day').rebuild('swap')" : ''}.as('SELECT dt, sum(amount) AS total FROM txt.orders GROUP BY dt')
export const a_top = mv('a_top').schema('${db}').refresh.manual().properties({ replication_num: 1 }).as('SELECT b.dt, b.total FROM z_base AS b')
export const a_topmost = mv('a_topmost').schema('${db}').refresh.manual().properties({ replication_num: 1 }).as('SELECT t.total FROM (SELECT total FROM ${db}.a_top) t')
`
  const inactive = async (db: string): Promise<string[]> => {
    const c = await connect(`${sr.url}${db}`)
    try {
      const live = await reflect(c, { schemas: [db] })
      expect(live.mvs.map((m) => m.name).sort()).toEqual(['a_top', 'a_topmost', 'z_base'])
      return Object.entries(live.status ?? {}).filter(([, st]) => !st.active).map(([k]) => k)
    } finally {
      await c.close()
    }
  }
  const swapStatements = ['CREATE MATERIALIZED VIEW', 'REFRESH MATERIALIZED VIEW', 'SWAP WITH', 'DROP MATERIALIZED VIEW', '`a_top` ACTIVE', '`a_topmost` ACTIVE']

  for (const [i, failing] of swapStatements.entries()) {
    it(`a swap rebuild that stops at statement ${i + 1} (${failing}), then down: every reader is active`, async () => {
      const db = `chain${i}`
      const admin = await connect(sr.url)
      await admin.query(`CREATE DATABASE ${db}`)
      await admin.close()
      const env = { STARROCKS_URL: `${sr.url}${db}` }
      const dir = project(`text-deps-swap${i}`, { schema: chain(db, false), starrocks: true })
      expect((await cli(dir, ['generate', '-m', 'first'])).code).toBe(0)
      expect((await cli(dir, ['up'], env)).code).toBe(0)
      writeFileSync(join(dir, 'schema.ts'), chain(db, true))
      const g = await cli(dir, ['generate', '-m', 'rebuild'])
      expect(g.code, g.stderr).toBe(0)
      sr.inject({ at: (text: string) => text.includes(`\`${db}\``) && text.includes(failing) && !text.startsWith('SHOW') && !text.startsWith('SELECT'), kind: 'error', message: 'injected' })
      const up = await cli(dir, ['up'], env)
      expect(up.code, up.stdout + up.stderr).toBe(4)
      const down = await cli(dir, ['down'], env)
      expect(down.code, down.stdout + down.stderr).toBe(0)
      expect(await inactive(db)).toEqual([])
      // and the whole way: up, then the down of the rebuild
      expect((await cli(dir, ['up'], env)).code).toBe(0)
      expect(await inactive(db)).toEqual([])
      const back = await cli(dir, ['down'], env)
      expect(back.code, back.stdout + back.stderr).toBe(0)
      expect(await inactive(db)).toEqual([])
    })
  }
})
