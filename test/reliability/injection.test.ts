import fc from 'fast-check'
import { createConnection, type Connection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alter, mv, op, sql, table, toStatements } from '../../src/index.js'
import { parseMaterializedView } from '../../src/reflect/index.js'
import { quoteIdentifier, quoteString } from '../../src/sql/quote.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { figures } from './support.js'

/**
 * Every place user text reaches SQL, fed with text full of quotes, backticks, backslashes,
 * semicolons, comment markers, newlines and non-ASCII letters: each rendered statement reaches
 * the emulator as exactly one statement it accepts (its own statement handling refuses a script),
 * and every value reads back unchanged from information_schema / SHOW CREATE.
 */

const UNITS = ["'", '"', '`', '\\', ';', '-', '/', '*', '#', '\n', '\r', '\t', ' ', 'a', 'Z', '0', 'ü', 'é', '—', '😀', '\x1a', '(', ')', ',', '=', '$', '{', '}', '%', '_']
const text = (min = 0): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...UNITS), minLength: min, maxLength: 20 })
/** Names: no leading or trailing blanks (servers trim them), never empty. */
const name = text(1).filter((s) => s.trim() === s && s.length > 0)
const pad = (n: number): string => String(n).padStart(2, '0')
const start = fc
  .record({ y: fc.integer({ min: 2000, max: 2099 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }) })
  .map((t) => `${t.y}-${pad(t.mo)}-${pad(t.d)} ${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}`)

const RUNS = 200
const fig = figures('injection')
let sr: Emulator
let admin: Connection
let counter = 0

/** Send one statement; the emulator must log exactly one statement and accept it. */
const sendOne = async (statement: string): Promise<void> => {
  const before = sr.log.length
  await admin.query(statement)
  expect(sr.log.length - before).toBe(1)
  expect(sr.log.at(-1)?.sql).toBe(statement)
  fig.add('statements sent')
}

const readBack = async (db: string, mvName: string): Promise<ReturnType<typeof parseMaterializedView>> => {
  const [rows] = await admin.query('SELECT MATERIALIZED_VIEW_DEFINITION AS d FROM information_schema.materialized_views WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [db, mvName])
  const list = rows as { d: string }[]
  expect(list).toHaveLength(1)
  return parseMaterializedView((list[0] as { d: string }).d)
}

describe('injection: user text in every SQL position', () => {
  beforeAll(async () => {
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    admin = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
  })
  afterAll(async () => {
    await admin?.end()
    await sr?.close()
    fig.set('runs per property', RUNS)
    fig.write()
  })

  fig.add('cases', 3)
  it('names, schemas, comments, column comments, property keys and values, START and tagged literals read back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ db: name, table: name, mv: name, comment: text(), c1: text(), c2: text(), resource: text(), sessionKey: name, sessionValue: text(), start, literal: text(), unit: fc.constantFrom('day', 'month', 'year') }),
        async (v) => {
          const n = counter++
          const db = `${v.db}_${n}`
          const mvName = `${v.mv}_${n}`
          await sendOne(`CREATE DATABASE ${quoteIdentifier(db)}`)
          const orders = table(v.table, { id: 'BIGINT', order_date: 'DATE' }, { schema: db })
          await sendOne(`CREATE TABLE ${quoteIdentifier(db)}.${quoteIdentifier(v.table)} (id BIGINT, order_date DATE) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1`)
          const m = mv(mvName)
            .schema(db)
            .columns({ name: 'd', comment: v.c1 }, { name: 'tag', comment: v.c2 })
            .comment(v.comment)
            .partitionBy(sql`date_trunc(${v.unit}, ${sql.id('d')})`)
            .refresh.async({ start: v.start as never, every: '1 DAY' })
            .properties({ replication_num: 1, resource_group: v.resource }, { unknown: { [`session.${v.sessionKey}`]: v.sessionValue } })
            .as(sql`SELECT ${orders.order_date}, ${v.literal} FROM ${orders}`)
          const statements = toStatements(op.createMaterializedView(m))
          expect(statements).toHaveLength(1)
          await sendOne(statements[0] as string)
          const back = await readBack(db, mvName)
          expect(back.name).toBe(mvName)
          expect(back.comment ?? '').toBe(v.comment)
          expect(back.columns?.map((c) => c.comment ?? '')).toEqual([v.c1, v.c2])
          expect(back.properties.resource_group).toBe(v.resource)
          expect(back.properties[`session.${v.sessionKey}`]).toBe(v.sessionValue)
          expect(back.refresh?.kind === 'async' && back.refresh.start).toBe(v.start)
          expect(back.partitionBy?.join(', ')).toContain(quoteString(v.unit))
          expect(back.query).toContain(quoteString(v.literal))
          fig.add('MVs created and read back')
        },
      ),
      { numRuns: RUNS },
    )
    fig.add('cases passed')
  }, 120_000)

  it('ALTER SET values, session keys and rename targets read back unchanged', async () => {
    await sendOne('CREATE DATABASE alt')
    await sendOne('CREATE TABLE alt.t (id BIGINT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1')
    await fc.assert(
      fc.asyncProperty(fc.record({ mv: name, resource: text(), sessionKey: name, sessionValue: text(), target: name }), async (v) => {
        const n = counter++
        const from = `${v.mv}_${n}`
        const to = `${v.target}_${n}_r`
        const t = table('t', { id: 'BIGINT' }, { schema: 'alt' })
        const key = `session.${v.sessionKey}`
        const m = mv(from).schema('alt').refresh.manual().properties({}, { unknown: { [key]: 'initial' }, alterable: [key] }).as(sql`SELECT ${t.id} FROM ${t}`)
        await sendOne(toStatements(op.createMaterializedView(m))[0] as string)
        const set = toStatements(op.alterMaterializedView(alter(m).set({ resource_group: v.resource }, { unknown: { [key]: v.sessionValue } })))
        for (const s of set) await sendOne(s)
        const back = await readBack('alt', from)
        expect(back.properties.resource_group).toBe(v.resource)
        expect(back.properties[`session.${v.sessionKey}`]).toBe(v.sessionValue)
        const rename = toStatements(op.alterMaterializedView(alter(m).rename(to)))
        expect(rename).toHaveLength(1)
        await sendOne(rename[0] as string)
        const [rows] = await admin.query('SELECT TABLE_NAME AS n FROM information_schema.materialized_views WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?, ?)', ['alt', from, to])
        expect((rows as { n: string }[]).map((r) => r.n)).toEqual([to])
        fig.add('ALTERs sent and read back')
      }),
      { numRuns: RUNS },
    )
    fig.add('cases passed')
  }, 120_000)

  it('a script hidden in a value is still one statement: the emulator refuses real scripts', async () => {
    await expect(admin.query('SELECT 1; SELECT 2')).rejects.toThrow()
    const m = mv('x').schema('alt').comment("'; DROP DATABASE alt; --").refresh.manual().as(sql`SELECT ${"'); DROP DATABASE alt; -- "} AS s FROM ${table('t', { id: 'BIGINT' }, { schema: 'alt' })}`)
    await sendOne(toStatements(op.createMaterializedView(m))[0] as string)
    const [rows] = await admin.query('SHOW DATABASES')
    expect((rows as Record<string, string>[]).map((r) => Object.values(r)[0])).toContain('alt')
    fig.add('cases passed')
  })
})
