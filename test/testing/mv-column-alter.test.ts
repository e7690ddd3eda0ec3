import type mysql from 'mysql2/promise'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { connectTo, failure, run, showCreate } from './helpers.js'

const ORDERS = 'CREATE TABLE orders (id BIGINT NOT NULL, user_id INT, amount DECIMAL(10, 2), dt DATE, status VARCHAR(16)) PRIMARY KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1")'
const USERS = 'CREATE TABLE users (id INT NOT NULL, name VARCHAR(20)) PRIMARY KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1")'
const AGG_MV = 'CREATE MATERIALIZED VIEW daily DISTRIBUTED BY HASH(`dt`) REFRESH MANUAL AS SELECT dt, sum(amount) AS total FROM orders GROUP BY dt'

const servers: Emulator[] = []
const conns: mysql.Connection[] = []
afterEach(async () => {
  for (const c of conns.splice(0)) await c.end().catch(() => undefined)
})
afterAll(async () => {
  for (const s of servers.splice(0)) await s.close()
})

const open = async (version: string, ...setup: string[]): Promise<mysql.Connection> => {
  const sr = await startEmulator({ version, defaultReplicationNum: 1 })
  servers.push(sr)
  const conn = await connectTo(sr)
  conns.push(conn)
  await run(conn, 'CREATE DATABASE shop', 'USE shop', ORDERS, USERS, ...setup)
  return conn
}

describe('ALTER MATERIALIZED VIEW ... ADD COLUMN / DROP COLUMN (4.2+)', () => {
  it('appends the aggregate to the select list and the column list; SHOW CREATE prints both', async () => {
    const conn = await open('4.2', AGG_MV)
    await run(conn, 'ALTER MATERIALIZED VIEW daily ADD COLUMN orders_n AS count(id) COMMENT "orders"')
    const ddl = await showCreate(conn, 'daily')
    expect(ddl).toContain('`orders_n` COMMENT "orders"')
    expect(ddl).toMatch(/AS SELECT dt, sum\(amount\) AS total, count\(id\) AS `orders_n` FROM orders GROUP BY dt/)
  })

  it('adds a non-aggregate expression of an aggregate MV to its GROUP BY as well', async () => {
    const conn = await open('4.2', AGG_MV)
    await run(conn, 'ALTER MATERIALIZED VIEW daily ADD COLUMN st AS status')
    expect(await showCreate(conn, 'daily')).toMatch(/SELECT dt, sum\(amount\) AS total, status AS `st` FROM orders GROUP BY dt, status/)
  })

  it('drops a column and its select-list item', async () => {
    const conn = await open('4.2', 'CREATE MATERIALIZED VIEW d2 DISTRIBUTED BY HASH(`dt`) REFRESH MANUAL AS SELECT dt, sum(amount) AS total, count(id) AS n FROM orders GROUP BY dt')
    await run(conn, 'ALTER MATERIALIZED VIEW d2 DROP COLUMN total')
    const ddl = await showCreate(conn, 'd2')
    expect(ddl).toMatch(/AS SELECT dt, count\(id\) AS n FROM orders GROUP BY dt/)
    expect(ddl).not.toContain('`total`')
  })

  it('refuses what StarRocks refuses, with its messages', async () => {
    const conn = await open('4.2', AGG_MV, 'CREATE MATERIALIZED VIEW plain DISTRIBUTED BY HASH(`id`) REFRESH MANUAL AS SELECT id, amount FROM orders',
      'CREATE MATERIALIZED VIEW joined DISTRIBUTED BY HASH(`id`) REFRESH MANUAL AS SELECT o.id, u.name FROM orders o JOIN users u ON o.user_id = u.id')
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW daily ADD COLUMN total AS max(amount)')).message).toContain("Column 'total' already exists in materialized view")
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW daily ADD COLUMN one AS 1')).message).toContain('Aggregate expression cannot be a constant')
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW daily ADD COLUMN n AS count(*)')).message).toContain('the added column expression must be a simple column reference')
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW plain ADD COLUMN s AS sum(amount)')).message).toContain('Materialized view must contain group by columns')
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW joined ADD COLUMN n2 AS u.id')).message).toContain('Materialized view based on multiple tables is not supported')
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW daily DROP COLUMN dt')).message).toContain("Cannot drop column 'dt' because it is used in GROUP BY clause")
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW daily DROP COLUMN nope')).message).toContain("Column 'nope' does not exist in materialized view")
  })

  it('ORDER BY parses on 4.2 and is refused as on a shared-nothing cluster', async () => {
    const conn = await open('4.2', AGG_MV)
    const e = await failure(conn, 'ALTER MATERIALIZED VIEW daily ORDER BY (total, dt)')
    expect(e.message).toContain('ALTER MATERIALIZED VIEW ... ORDER BY is only supported on shared-data (cloud-native) materialized views')
  })

  it('is a syntax error before 4.2', async () => {
    const conn = await open('4.1', AGG_MV)
    for (const s of ['ALTER MATERIALIZED VIEW daily ADD COLUMN n AS count(id)', 'ALTER MATERIALIZED VIEW daily DROP COLUMN total', 'ALTER MATERIALIZED VIEW daily ORDER BY (dt)']) {
      const e = await failure(conn, s)
      expect(e.errno).toBe(1064)
      expect(e.message).toMatch(/^Getting syntax error at line 1, column \d+\. Detail message: Unexpected input '(ADD|DROP|ORDER)', the most similar input is \{'REFRESH', 'SET', 'RENAME', 'ACTIVE', 'INACTIVE', 'SWAP'\}\./)
    }
  })
})
