import { inspect } from 'node:util'
import mysql from 'mysql2'
import { createConnection, createPool } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connect, DbError, type Client } from '../../src/db/index.js'
import { MARIADB, MARIADB_URL, mariadbAvailable } from '../support/mariadb.js'

const up = await mariadbAvailable()
const USER = 'srmv_db_connect_test'
const PASSWORD = 'p@ss:w/rd-Secret9'
const URL_WITH_PASSWORD = `mysql://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:3306/test`

/** Run `f`, expect a DbError, and check that nothing a user sees holds the password. */
const failure = async (f: () => Promise<unknown>, secret = PASSWORD): Promise<DbError> => {
  try {
    await f()
  } catch (e) {
    expect(e).toBeInstanceOf(DbError)
    const err = e as DbError
    for (const text of [err.message, JSON.stringify(err.details), String(err), inspect(err)]) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain(encodeURIComponent(secret))
    }
    return err
  }
  throw new Error('expected a DbError')
}

describe.skipIf(!up)('connect() against MariaDB', () => {
  let admin: Client
  beforeAll(async () => {
    admin = await connect(MARIADB_URL)
    await admin.query(`DROP USER IF EXISTS '${USER}'@'%'`)
    await admin.query(`CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}'`)
    await admin.query(`GRANT ALL ON test.* TO '${USER}'@'%'`)
  })
  afterAll(async () => {
    await admin?.query(`DROP USER IF EXISTS '${USER}'@'%'`)
    await admin?.close()
  })

  test('a URL with a percent-encoded password connects; the password shows nowhere', async () => {
    const client = await connect(URL_WITH_PASSWORD)
    try {
      expect(client.url).toBe(`mysql://${USER}:***@127.0.0.1:3306/test`)
      for (const text of [client.url, String(client), inspect(client, { depth: 5, showHidden: true }), JSON.stringify(client)]) {
        expect(text).not.toContain(PASSWORD)
        expect(text).not.toContain(encodeURIComponent(PASSWORD))
      }
      expect(await client.version()).toMatch(/MariaDB|^\d+\.\d+/)
      expect(await client.database()).toBe('test')
      expect(await client.query('SELECT 1 AS one, NULL AS nothing')).toEqual({ rows: [{ one: 1, nothing: null }], affectedRows: 0 })
    } finally {
      await client.close()
    }
  })

  test('wrong password: AUTH_ERROR with the server message and the masked URL', async () => {
    const err = await failure(() => connect(`mysql://${USER}:wrong-${encodeURIComponent(PASSWORD)}@127.0.0.1:3306/test`), `wrong-${PASSWORD}`)
    expect(err.code).toBe('AUTH_ERROR')
    expect(err.errno).toBe(1045)
    expect(err.sqlState).toBe('28000')
    expect(err.message).toBe(
      `The server at mysql://${USER}:***@127.0.0.1:3306/test refused the login: Access denied for user '${USER}'@'127.0.0.1' ` +
        '(using password: YES) (errno 1045, SQLSTATE 28000). Check the user name and password in the URL.',
    )
  })

  test('unreachable port: CONNECTION_ERROR that names host and port', async () => {
    const err = await failure(() => connect(`mysql://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/test`, { connectTimeoutMs: 2000 }))
    expect(err.code).toBe('CONNECTION_ERROR')
    expect(err.errno).toBeUndefined()
    expect(err.message).toBe(
      `Cannot connect to mysql://${USER}:***@127.0.0.1:1/test: connection refused (ECONNREFUSED). ` +
        'Check the host, the port and TLS settings, and that the server is running and reachable.',
    )
  })

  test('a database the user may not use: AUTH_ERROR 1044', async () => {
    const err = await failure(() => connect(`mysql://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:3306/srmv_no_such_db`))
    expect(err).toMatchObject({ code: 'AUTH_ERROR', errno: 1044 })
    expect(err.message).toContain(`Access denied for user '${USER}'@'%' to database 'srmv_no_such_db'`)
  })

  test('unknown database: UNKNOWN_DATABASE', async () => {
    const err = await failure(() => connect('mysql://root@127.0.0.1:3306/srmv_no_such_db'))
    expect(err.code).toBe('UNKNOWN_DATABASE')
    expect(err.errno).toBe(1049)
    expect(err.message).toContain("Unknown database 'srmv_no_such_db' (errno 1049, SQLSTATE 42000)")
    expect(err.message).toContain('Create the database first, or fix the database name in the URL.')
  })

  test('a SQL error: SQL_ERROR with errno, sqlState, the server message verbatim and the statement', async () => {
    const client = await connect(URL_WITH_PASSWORD)
    try {
      const err = await failure(() => client.query('SELEC 1'))
      expect(err).toMatchObject({ code: 'SQL_ERROR', errno: 1064, sqlState: '42000', outcomeUnknown: false, statement: 'SELEC 1' })
      expect(err.serverMessage).toContain("near 'SELEC 1'")
      expect(err.message).toBe(`${err.serverMessage} (errno 1064, SQLSTATE 42000) in: SELEC 1`)
      // the connection is still good
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }])
    } finally {
      await client.close()
    }
  })

  test('a client timeout: TIMEOUT, outcome unknown, connection destroyed, the next statement on a new connection', async () => {
    const client = await connect(URL_WITH_PASSWORD)
    try {
      const before = (await client.query('SELECT CONNECTION_ID() AS id')).rows[0]?.id
      const started = Date.now()
      const err = await failure(() => client.query('SELECT SLEEP(5)', { timeoutMs: 300 }))
      expect(Date.now() - started).toBeLessThan(3000)
      expect(err).toMatchObject({ code: 'TIMEOUT', outcomeUnknown: true })
      expect(err.message).toBe(
        `No answer from mysql://${USER}:***@127.0.0.1:3306/test within 300 ms; the statement's outcome is unknown: the server may ` +
          'still be running it or may have finished it. The connection was closed and the next statement uses a new connection. ' +
          'Check the server before running it again: SELECT SLEEP(5)',
      )
      const after = (await client.query('SELECT CONNECTION_ID() AS id')).rows[0]?.id
      expect(after).not.toBe(before)
    } finally {
      await client.close()
    }
  })

  test('the URL queryTimeout applies to every statement', async () => {
    const client = await connect(`${URL_WITH_PASSWORD}?queryTimeout=200`)
    try {
      expect((await failure(() => client.query('SELECT SLEEP(2)'))).code).toBe('TIMEOUT')
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    } finally {
      await client.close()
    }
  })

  test('a session killed with KILL from another connection: CONNECTION_LOST, outcome unknown, then a new connection', async () => {
    const client = await connect(URL_WITH_PASSWORD)
    try {
      const id = (await client.query('SELECT CONNECTION_ID() AS id')).rows[0]?.id as number
      const running = failure(() => client.query('SELECT SLEEP(5)'))
      await new Promise((r) => setTimeout(r, 300))
      await admin.query(`KILL ${Number(id)}`)
      const err = await running
      expect(err).toMatchObject({ code: 'CONNECTION_LOST', outcomeUnknown: true })
      expect(err.message).toBe(
        `The connection to mysql://${USER}:***@127.0.0.1:3306/test was lost while running a statement ` +
          '(Connection lost: The server closed the connection.); the server may have killed the session or restarted. ' +
          "The statement's outcome is unknown: check the server before running it again. The next statement uses a new connection.",
      )
      const next = (await client.query('SELECT CONNECTION_ID() AS id')).rows[0]?.id
      expect(next).not.toBe(id)
    } finally {
      await client.close()
    }
  })

  test('a session killed while idle is replaced before the next statement', async () => {
    const client = await connect(URL_WITH_PASSWORD)
    try {
      const id = (await client.query('SELECT CONNECTION_ID() AS id')).rows[0]?.id as number
      await admin.query(`KILL ${Number(id)}`)
      await new Promise((r) => setTimeout(r, 200))
      expect((await client.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }])
    } finally {
      await client.close()
    }
  })

  test('a promise pool is used as given and left open on close()', async () => {
    const pool = createPool({ ...MARIADB, user: USER, password: PASSWORD, connectionLimit: 2 })
    try {
      const client = await connect(pool)
      expect(client.url).toBe(`mysql://${USER}:***@127.0.0.1:3306/test`)
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
      const err = await failure(() => client.query('SELECT SLEEP(3)', { timeoutMs: 200 }))
      expect(err.message).toContain('the next statement uses a new connection')
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }])
      await client.close()
      const [rows] = await pool.query('SELECT 3 AS three')
      expect(rows).toEqual([{ three: 3 }])
    } finally {
      await pool.end()
    }
  })

  test('a callback connection is used as given; after a timeout it cannot be reused and says so', async () => {
    const conn = mysql.createConnection({ ...MARIADB, user: USER, password: PASSWORD })
    try {
      const client = await connect(conn)
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
      const err = await failure(() => client.query('SELECT SLEEP(3)', { timeoutMs: 200 }))
      expect(err.message).toContain('The connection was closed and it cannot be reused.')
      const after = await failure(() => client.query('SELECT 1'))
      expect(after.code).toBe('CONNECTION_LOST')
      expect(after.message).toContain('pass a URL or a mysql2 pool to connect()')
    } finally {
      conn.destroy()
    }
  })

  test('a MySQL/MariaDB session with NO_BACKSLASH_ESCAPES is refused at connect', async () => {
    const conn = await createConnection({ ...MARIADB })
    try {
      await conn.query("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'")
      const err = await failure(() => connect(conn))
      expect(err.code).toBe('UNSAFE_SQL_MODE')
      expect(err.message).toContain('NO_BACKSLASH_ESCAPES')
      expect(err.message).toContain('Remove NO_BACKSLASH_ESCAPES from its sql_mode')
      // the check can be turned off deliberately
      const client = await connect(conn, { checkSqlMode: false })
      expect((await client.query("SELECT 'a\\\\b' AS s")).rows).toEqual([{ s: 'a\\\\b' }])
    } finally {
      await conn.end()
    }
  })

  test('version() falls back to version() on MariaDB, which has no current_version()', async () => {
    const client = await connect(MARIADB_URL)
    const direct = await createConnection({ ...MARIADB })
    try {
      const [rows] = await direct.query('SELECT version() AS v')
      expect(await client.version()).toBe((rows as { v: string }[])[0]?.v)
    } finally {
      await client.close()
      await direct.end()
    }
  })
})
