import { describe, expect, it } from 'vitest'
import { connect } from '../../src/db/index.js'
import { isStarRocksMvError } from '../../src/errors.js'

/** A mysql2-shaped connection: answers the version, rejects `FAIL ...` with the given SQLSTATE. */
const fakeConnection = (sqlState: string | undefined) => ({
  config: { host: 'db.example', port: 9030, user: 'root' },
  query: async (statement: string): Promise<unknown> => {
    if (statement === 'SELECT current_version()') return [[{ 'current_version()': '3.5.0' }], []]
    throw Object.assign(new Error('Getting analyzing error. Detail message: no.'), {
      errno: 1064,
      ...(sqlState === undefined ? {} : { sqlState }),
      sqlMessage: 'Getting analyzing error. Detail message: no.',
    })
  },
  destroy: () => undefined,
  end: async () => undefined,
})

const failure = async (sqlState: string | undefined): Promise<Error & { code?: string; sqlState?: string }> => {
  const client = await connect(fakeConnection(sqlState) as never)
  try {
    await client.query('FAIL now')
  } catch (e) {
    return e as Error & { code?: string; sqlState?: string }
  }
  throw new Error('expected an error')
}

describe('SQL errors without a SQLSTATE', () => {
  it("drops mysql2's placeholder (_____) instead of printing it", async () => {
    const e = await failure('_____')
    expect(isStarRocksMvError(e, 'SQL_ERROR')).toBe(true)
    expect(e.message).toContain('(errno 1064)')
    expect(e.message).not.toContain('SQLSTATE')
    expect(e.sqlState).toBeUndefined()
  })

  it('keeps a real one', async () => {
    const e = await failure('42000')
    expect(e.message).toContain('(errno 1064, SQLSTATE 42000)')
    expect(e.sqlState).toBe('42000')
  })
})
