import fc from 'fast-check'
import { createConnection, type Connection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from '../../src/index.js'
import { MARIADB, mariadbAvailable } from '../support/mariadb.js'

// A real server is the oracle: what our renderer produces must read back as exactly the input.
const available = await mariadbAvailable()

const RUNS = 10_000
const BATCH = 250

const tricky = fc.constantFrom("\\' OR 1=1 --", "'", '"', '\\', '\\\\', "\\'", '\0', '\n', '\r', '\t', '\x1a', '`', "'; DROP TABLE t; --", '%', '_', '\\%')
const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(tricky, { maxLength: 6 }).map((a) => a.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('a', "'", '"', '\\', '\0', '\n', '`', 'é', '😀', ' '), maxLength: 20 }) },
)
// Lone surrogates are not valid UTF-8 and cannot travel to any server; they are not part of the contract.
const wellFormed = (s: string): boolean => s.isWellFormed()

describe.skipIf(!available)('literals and identifiers against MariaDB as the oracle', () => {
  let conn: Connection
  beforeAll(async () => {
    conn = await createConnection({ ...MARIADB, charset: 'utf8mb4' })
    const [rows] = await conn.query('SELECT @@sql_mode AS m')
    expect(String((rows as { m: string }[])[0]?.m)).not.toMatch(/NO_BACKSLASH_ESCAPES/)
  })
  afterAll(async () => {
    await conn?.end()
  })

  it(`reads back ${RUNS} generated strings exactly as literals`, async () => {
    const samples = fc.sample(anyString.filter(wellFormed), { numRuns: RUNS, seed: Date.now() % 100000 })
    samples.push("\\' OR 1=1 --", "'", '\\', '')
    for (let i = 0; i < samples.length; i += BATCH) {
      const batch = samples.slice(i, i + BATCH)
      const q = sql`SELECT ${sql.join(batch.map((s, k) => sql`${s} AS ${sql.id(`c${k}`)}`))}`
      const [rows] = await conn.query({ sql: q.toSQL(), rowsAsArray: true })
      const row = (rows as unknown[][])[0] as unknown[]
      expect(row.length).toBe(batch.length)
      batch.forEach((s, k) => {
        if (row[k] !== s) throw new Error(`literal did not read back: ${JSON.stringify(s)} came back as ${JSON.stringify(row[k])}`)
      })
    }
  }, 120_000)

  it('reads back generated identifiers exactly as column names', async () => {
    // MariaDB column aliases: at most 256 characters; it trims trailing spaces of names, rejects NUL.
    const ident = fc
      .string({ unit: fc.constantFrom('a', 'Z', '_', '`', "'", '"', '\\', ' ', 'é', '中', '1', '-', ';'), minLength: 1, maxLength: 30 })
      .filter((s) => !s.endsWith(' ') && !s.startsWith(' '))
    const samples = fc.sample(ident, { numRuns: 2000, seed: 42 })
    for (let i = 0; i < samples.length; i += BATCH) {
      const batch = [...new Set(samples.slice(i, i + BATCH).map((s) => s))]
      const lower = new Set<string>()
      const unique = batch.filter((s) => (lower.has(s.toLowerCase()) ? false : (lower.add(s.toLowerCase()), true)))
      const q = sql`SELECT ${sql.join(unique.map((s, k) => sql`${k} AS ${sql.id(s)}`))}`
      const [, fields] = await conn.query(q.toSQL())
      expect(fields.map((f) => f.name)).toEqual(unique)
    }
  }, 120_000)
})
