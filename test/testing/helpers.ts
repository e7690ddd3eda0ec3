import mysql from 'mysql2/promise'
import type { Emulator } from '../../src/testing/index.js'

/** A mysql2 connection to an emulator (text protocol, like the library's client). */
export const connectTo = async (sr: Emulator, database?: string): Promise<mysql.Connection> =>
  mysql.createConnection({ host: sr.host, port: sr.port, user: 'root', ...(database === undefined ? {} : { database }) })

/** Run statements one by one; returns the last result's rows. */
export const run = async (conn: mysql.Connection, ...statements: string[]): Promise<unknown> => {
  let last: unknown
  for (const s of statements) [last] = await conn.query(s)
  return last
}

/** The error a statement fails with (errno, sqlState, message); fails the test when it succeeds. */
export const failure = async (conn: mysql.Connection, statement: string): Promise<{ errno: number; sqlState: string; message: string }> => {
  try {
    await conn.query(statement)
  } catch (e) {
    const err = e as { errno: number; sqlState: string; message: string }
    return { errno: err.errno, sqlState: err.sqlState, message: err.message }
  }
  throw new Error(`Expected "${statement}" to fail, but it succeeded.`)
}

/** SHOW CREATE MATERIALIZED VIEW text. */
export const showCreate = async (conn: mysql.Connection, name: string): Promise<string> => {
  const [rows] = await conn.query(`SHOW CREATE MATERIALIZED VIEW ${name}`)
  const row = (rows as Record<string, string>[])[0]
  if (row === undefined) throw new Error(`SHOW CREATE MATERIALIZED VIEW ${name} returned no row`)
  return row['Create Materialized View'] as string
}

/**
 * DDL compared modulo whitespace and property order: the PROPERTIES entries are sorted, runs
 * of whitespace collapse to one space.
 */
export const canonical = (ddl: string): string => {
  const withSortedProps = ddl.trim().replace(/PROPERTIES \(\n([\s\S]*?)\n\)/, (_m, body: string) =>
    `PROPERTIES (${body.split(/,\n/).map((p) => p.trim()).sort().join(', ')})`)
  return withSortedProps.replace(/\s+/g, ' ').trim()
}
