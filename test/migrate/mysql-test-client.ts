import { createConnection, type Connection } from 'mysql2/promise'
import type { Client, QueryResult } from '../../src/db/client.js'
import { MARIADB } from '../support/mariadb.js'

/** A minimal Client over one mysql2 connection, with the outcome-unknown rule for timeouts and lost connections. */
export class MysqlTestClient implements Client {
  readonly url = 'mysql://root@127.0.0.1:3306/test'
  readonly statements: string[] = []
  // the connection being opened, shared: two callers at once (the runner and a test asking for the
  // thread id) must get the same session, not one each
  #conn: Promise<Connection> | undefined
  readonly #database: string
  constructor(database: string = MARIADB.database) {
    this.#database = database
  }
  async #connection(): Promise<Connection> {
    this.#conn ??= createConnection({ ...MARIADB, database: this.#database }).catch((e: unknown) => {
      this.#conn = undefined
      throw e
    })
    return this.#conn
  }
  async query(statement: string, options?: { readonly timeoutMs?: number }): Promise<QueryResult> {
    this.statements.push(statement)
    const conn = await this.#connection()
    try {
      const [rows] = await conn.query({ sql: statement, ...(options?.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }) })
      if (Array.isArray(rows)) return { rows: rows as Record<string, unknown>[], affectedRows: 0 }
      return { rows: [], affectedRows: (rows as { affectedRows?: number }).affectedRows ?? 0 }
    } catch (e) {
      const err = e as { code?: string; errno?: number; message: string; fatal?: boolean }
      if (err.errno === undefined || err.fatal === true || err.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
        conn.destroy()
        this.#conn = undefined
        throw Object.assign(new Error(err.message), { code: 'CONNECTION_LOST', outcomeUnknown: true })
      }
      throw Object.assign(new Error(err.message), { code: 'SQL_ERROR', errno: err.errno })
    }
  }
  async version(): Promise<string> {
    return '10'
  }
  async database(): Promise<string | undefined> {
    return this.#database
  }
  async threadId(): Promise<number> {
    return (await this.#connection()).threadId
  }
  async close(): Promise<void> {
    const conn = this.#conn
    this.#conn = undefined
    await (await conn?.catch(() => undefined))?.end()
  }
}
