import type mysql from 'mysql2/promise'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { connectTo, failure, run, showCreate } from './helpers.js'

type Rows = Record<string, unknown>[]

let sr: Emulator
let conn: mysql.Connection

beforeAll(async () => {
  sr = await startEmulator({ defaultReplicationNum: 1 })
})
afterAll(async () => {
  await sr.close()
})
afterEach(async () => {
  await conn?.end().catch(() => undefined)
  sr.reset()
})

const fresh = async (...setup: string[]): Promise<mysql.Connection> => {
  conn = await connectTo(sr)
  await run(conn, 'CREATE DATABASE shop', 'USE shop', ...setup)
  return conn
}

const ORDERS = 'CREATE TABLE orders (id BIGINT NOT NULL, user_id INT, amount DECIMAL(10, 2), dt DATE, status VARCHAR(16)) PRIMARY KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4 PROPERTIES ("replication_num" = "1")'

describe('the server', () => {
  it('answers the handshake as 5.1.0, and version(), current_version(), DATABASE()', async () => {
    await fresh()
    expect(await run(conn, 'SELECT version() AS v, current_version() AS cv, DATABASE() AS db, 1')).toEqual([{ v: '5.1.0', cv: '3.5.0-emulator', db: 'shop', 1: 1 }])
    expect(sr.url).toBe(`starrocks://root@127.0.0.1:${sr.port}/`)
  })

  it('logs every statement with its 1-based index and connection id, across connections', async () => {
    await fresh()
    const other = await connectTo(sr)
    await other.query('SELECT 2')
    await other.end()
    await conn.query('SELECT 3')
    expect(sr.statements).toEqual(['CREATE DATABASE shop', 'USE shop', 'SELECT 2', 'SELECT 3'])
    expect(sr.log.map((s) => s.index)).toEqual([1, 2, 3, 4])
    expect(sr.log[2]?.connectionId).not.toBe(sr.log[0]?.connectionId)
    expect(sr.log[3]?.connectionId).toBe(sr.log[0]?.connectionId)
  })

  it('accepts SET and reads variables back', async () => {
    await fresh("SET query_timeout = 600", "SET @@session.sql_mode = 'STRICT'", 'SET NAMES utf8mb4')
    expect(await run(conn, 'SELECT @@sql_mode AS m, @@query_timeout AS q')).toEqual([{ m: 'STRICT', q: 600 }])
    expect(await run(conn, "SHOW VARIABLES LIKE 'query_tim%'")).toEqual([{ Variable_name: 'query_timeout', Value: '600' }])
    expect(await failure(conn, 'SELECT @@no_such_variable')).toMatchObject({ errno: 1193 })
  })

  it('connects with a database in the URL, and refuses an unknown one', async () => {
    await fresh()
    const withDb = await connectTo(sr, 'shop')
    expect(await run(withDb, 'SELECT DATABASE() AS db')).toEqual([{ db: 'shop' }])
    await withDb.end()
    await expect(connectTo(sr, 'nope')).rejects.toMatchObject({ errno: 1049, message: "Unknown database 'nope'" })
  })

  it('refuses a multi-statement query, as the client must split scripts', async () => {
    await fresh()
    expect((await failure(conn, 'SELECT 1; SELECT 2')).errno).toBe(1064)
  })
})

describe('errors', () => {
  it('uses StarRocks errnos, SQLSTATEs and messages', async () => {
    await fresh(ORDERS)
    expect(await failure(conn, 'CREATE DATABASE shop')).toEqual({ errno: 1007, sqlState: 'HY000', message: "Can't create database 'shop'; database exists" })
    expect(await failure(conn, 'DROP DATABASE nope')).toMatchObject({ errno: 1008 })
    expect(await failure(conn, 'USE nope')).toEqual({ errno: 1049, sqlState: '42000', message: "Unknown database 'nope'" })
    expect(await failure(conn, ORDERS)).toEqual({ errno: 1050, sqlState: '42S01', message: "Table 'orders' already exists" })
    expect(await failure(conn, 'SELECT * FROM missing')).toEqual({ errno: 1064, sqlState: '42000', message: "Getting analyzing error. Detail message: Unknown table 'shop.missing'." })
    expect((await failure(conn, 'SELEC 1')).message).toMatch(/^Getting syntax error at line 1, column 0\. Detail message: Unexpected input 'SELEC'/)
    const bare = await connectTo(sr)
    expect(await failure(bare, 'SELECT * FROM orders')).toMatchObject({ errno: 1046, sqlState: '3D000' })
    await bare.end()
  })
})

describe('plain tables', () => {
  it('creates IF NOT EXISTS, inserts, selects with WHERE / IN / IS NULL / ORDER BY / LIMIT / aggregates', async () => {
    await fresh(ORDERS, ORDERS.replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS'))
    const [ins] = await conn.query("INSERT INTO orders (id, user_id, amount, dt, status) VALUES (1, 10, 5.5, '2024-01-01', 'new'), (2, 10, 7, '2024-01-02', NULL), (3, 20, 1, '2024-01-03', 'paid')")
    expect((ins as { affectedRows: number }).affectedRows).toBe(3)
    expect(await run(conn, 'SELECT id FROM orders WHERE user_id = 10 AND status IS NULL')).toEqual([{ id: 2 }])
    expect(await run(conn, "SELECT id FROM orders WHERE status IN ('new', 'paid') OR id > 2 ORDER BY id DESC LIMIT 1")).toEqual([{ id: 3 }])
    expect(await run(conn, 'SELECT COUNT(*) AS n, MAX(id) AS top FROM orders WHERE id <> 2')).toEqual([{ n: 2, top: 3 }])
    expect(await run(conn, 'SELECT user_id, count(*) AS n FROM orders GROUP BY user_id ORDER BY user_id')).toEqual([{ user_id: 10, n: 2 }, { user_id: 20, n: 1 }])
    expect(await run(conn, 'SELECT COUNT(*) AS n FROM orders WHERE id < 0')).toEqual([{ n: 0 }])
  })

  it('overwrites on a Primary Key, updates Primary Key tables only, deletes with WHERE', async () => {
    await fresh(ORDERS, 'CREATE TABLE logs (id INT, msg STRING) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)')
    await run(conn, "INSERT INTO orders (id, status) VALUES (1, 'a')", "INSERT INTO orders (id, status) VALUES (1, 'b')")
    expect(await run(conn, 'SELECT id, status FROM orders')).toEqual([{ id: 1, status: 'b' }])
    await run(conn, "UPDATE orders SET status = 'c' WHERE id = 1")
    expect(await run(conn, 'SELECT status FROM orders')).toEqual([{ status: 'c' }])
    expect((await failure(conn, "UPDATE logs SET msg = 'x'")).message).toContain('only support updating primary key table')
    await run(conn, 'INSERT INTO logs VALUES (1, "x"), (2, "y")', 'DELETE FROM logs WHERE id = 1')
    expect(await run(conn, 'SELECT * FROM logs')).toEqual([{ id: 2, msg: 'y' }])
    await run(conn, 'INSERT INTO logs SELECT id + 10, msg FROM logs')
    expect(await run(conn, 'SELECT id FROM logs ORDER BY id')).toEqual([{ id: 2 }, { id: 12 }])
  })

  it('CREATE VIEW without IF NOT EXISTS is a lock: the second creator fails, DROP VIEW releases it', async () => {
    await fresh()
    await run(conn, 'CREATE VIEW srmv_lock AS SELECT 1 AS owner')
    expect(await failure(conn, 'CREATE VIEW srmv_lock AS SELECT 2 AS owner')).toMatchObject({ errno: 1050, message: "Table 'srmv_lock' already exists" })
    await run(conn, 'DROP VIEW srmv_lock', 'DROP VIEW IF EXISTS srmv_lock')
    expect(await failure(conn, 'DROP VIEW srmv_lock')).toMatchObject({ errno: 1051 })
  })

  it('two connections racing CREATE VIEW: exactly one wins', async () => {
    await fresh()
    const conns = await Promise.all(Array.from({ length: 6 }, () => connectTo(sr, 'shop')))
    const results = await Promise.allSettled(conns.map((c, i) => c.query(`CREATE VIEW race_lock AS SELECT ${i} AS owner`)))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.errno)).toEqual([1050, 1050, 1050, 1050, 1050])
    await Promise.all(conns.map((c) => c.end()))
  })
})

const SALES = [
  'CREATE TABLE sales (id BIGINT, dt DATE, region VARCHAR(8), amount INT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)',
  "INSERT INTO sales VALUES (1, '2024-01-01', 'eu', 5), (2, '2024-01-01', 'us', 7), (3, '2024-01-02', 'eu', 1)",
]
const DAILY = 'CREATE MATERIALIZED VIEW daily (dt, total COMMENT "sum of amount") COMMENT "per day" REFRESH ASYNC START(\'2030-01-01\') EVERY(INTERVAL 1 DAY) PROPERTIES ("replication_num" = "1") DISTRIBUTED BY HASH(dt) BUCKETS 2 PARTITION BY dt ORDER BY (dt) AS SELECT dt, sum(amount) FROM sales GROUP BY dt'

describe('materialized views', () => {
  it('creates with clauses in any order and prints them in canonical order', async () => {
    await fresh(...SALES, DAILY)
    expect(await showCreate(conn, 'daily')).toBe([
      'CREATE MATERIALIZED VIEW `daily` (`dt`, `total` COMMENT "sum of amount")',
      'COMMENT "per day"',
      'PARTITION BY (`dt`)',
      'DISTRIBUTED BY HASH(`dt`) BUCKETS 2 ',
      'ORDER BY (`dt`)',
      'REFRESH ASYNC START("2030-01-01 00:00:00") EVERY(INTERVAL 1 DAY)',
      'PROPERTIES (',
      '"replicated_storage" = "true",',
      '"replication_num" = "1",',
      '"storage_medium" = "HDD"',
      ')',
      'AS SELECT `sales`.`dt`, sum(`sales`.`amount`) AS `sum(amount)`',
      'FROM `shop`.`sales`',
      'GROUP BY `sales`.`dt`;',
    ].join('\n'))
    const [rows] = await conn.query('SHOW CREATE MATERIALIZED VIEW shop.daily')
    expect(Object.keys((rows as Rows)[0] ?? {})).toEqual(['Materialized View', 'Create Materialized View'])
    expect(await run(conn, 'SELECT dt, total FROM daily ORDER BY dt')).toHaveLength(2)
  })

  it('uses the cluster default replication_num, IMMEDIATE dropped, DEFERRED kept, LEFT JOIN spelled out', async () => {
    const three = await startEmulator()
    const c3 = await connectTo(three)
    await run(c3, 'CREATE DATABASE d', 'USE d', 'CREATE TABLE a (k INT, v INT) DISTRIBUTED BY HASH(k)', 'CREATE TABLE b (k INT, w INT) DISTRIBUTED BY HASH(k)',
      'CREATE MATERIALIZED VIEW m1 REFRESH IMMEDIATE MANUAL AS SELECT a.k, b.w FROM a LEFT JOIN b ON a.k = b.k WHERE a.v > 1',
      'CREATE MATERIALIZED VIEW m2 DISTRIBUTED BY RANDOM REFRESH DEFERRED ASYNC AS SELECT * FROM a x')
    const m1 = await showCreate(c3, 'm1')
    expect(m1).toContain('"replication_num" = "3"')
    expect(m1).toContain('\nREFRESH MANUAL\n')
    expect(m1).toContain('FROM `d`.`a` LEFT OUTER JOIN `d`.`b` ON `a`.`k` = `b`.`k`\nWHERE `a`.`v` > 1;')
    const m2 = await showCreate(c3, 'm2')
    expect(m2).toContain('CREATE MATERIALIZED VIEW `m2` (`k`, `v`)')
    expect(m2).toContain('\nREFRESH DEFERRED ASYNC\n')
    expect(m2).toContain('AS SELECT `x`.`k`, `x`.`v`\nFROM `d`.`a` AS `x`;')
    await c3.end()
    await three.close()
  })

  it('rejects what StarRocks rejects', async () => {
    await fresh(...SALES, DAILY)
    const mv = 'CREATE MATERIALIZED VIEW m REFRESH MANUAL AS SELECT id FROM sales'
    expect((await failure(conn, mv.replace('CREATE', 'CREATE OR REPLACE'))).message).toMatch(/^Getting syntax error .*Unexpected input 'OR'/)
    expect((await failure(conn, mv.replace('REFRESH MANUAL', 'REFRESH DEFERRED'))).message).toMatch(/Getting syntax error .*Unexpected input 'AS'/)
    expect(await failure(conn, DAILY)).toMatchObject({ errno: 1050, message: "Table 'daily' already exists" })
    await run(conn, DAILY.replace('VIEW daily', 'VIEW IF NOT EXISTS daily'))
    expect((await failure(conn, mv.replace('sales', 'nope'))).message).toBe("Getting analyzing error. Detail message: Unknown table 'shop.nope'.")
    expect((await failure(conn, mv.replace('id FROM', 'nope FROM'))).message).toContain("Column 'nope' cannot be resolved")
    expect((await failure(conn, mv.replace('REFRESH MANUAL', 'REFRESH ASYNC PROPERTIES ("colour" = "red")'))).message).toContain('unknown properties: {colour=red}')
    expect((await failure(conn, mv.replace('REFRESH MANUAL', 'REFRESH MANUAL REFRESH ASYNC'))).errno).toBe(1064)
    expect((await failure(conn, mv.replace('REFRESH MANUAL', 'PARTITION BY (id, dt)'))).errno).toBe(1064)
  })

  it('ALTER takes exactly one clause, and only alterable properties or session.*', async () => {
    await fresh(...SALES, DAILY)
    await run(conn, 'ALTER MATERIALIZED VIEW daily REFRESH MANUAL', 'ALTER MATERIALIZED VIEW daily SET ("task_priority" = "5", "session.query_timeout" = "600")')
    const ddl = await showCreate(conn, 'daily')
    expect(ddl).toContain('\nREFRESH MANUAL\n')
    expect(ddl).toContain('"task_priority" = "5",\n"session.query_timeout" = "600"\n)')
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW daily SET ("replication_num" = "3")')).message).toBe(
      'Getting analyzing error. Detail message: Modify failed because unknown properties: {replication_num=3}, please add `session.` prefix if you want add session variables for mv(eg, "session.insert_timeout"="30000000").')
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW daily REFRESH MANUAL SET ("task_priority" = "1")')).errno).toBe(1064)
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW daily AS SELECT 1')).errno).toBe(1064)
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW nope REFRESH MANUAL')).message).toContain('Can not find materialized view:nope')
    await run(conn, 'ALTER MATERIALIZED VIEW daily RENAME daily2')
    expect(await showCreate(conn, 'daily2')).toContain('CREATE MATERIALIZED VIEW `daily2`')
    await run(conn, 'ALTER MATERIALIZED VIEW daily2 INACTIVE')
    expect(await run(conn, "SELECT IS_ACTIVE, INACTIVE_REASON FROM information_schema.materialized_views WHERE TABLE_NAME = 'daily2'")).toEqual([{ IS_ACTIVE: 'false', INACTIVE_REASON: 'user use alter materialized view set status to inactive' }])
    await run(conn, 'ALTER MATERIALIZED VIEW daily2 ACTIVE')
    expect(await run(conn, "SELECT IS_ACTIVE FROM information_schema.materialized_views WHERE TABLE_NAME = 'daily2'")).toEqual([{ IS_ACTIVE: 'true' }])
  })

  it('DROP: IF EXISTS, FORCE, and the not-found error', async () => {
    await fresh(...SALES, DAILY)
    expect(await failure(conn, 'DROP MATERIALIZED VIEW nope')).toMatchObject({ errno: 1064, message: 'Materialized view nope is not found' })
    await run(conn, 'DROP MATERIALIZED VIEW IF EXISTS nope', 'DROP MATERIALIZED VIEW shop.daily FORCE')
    expect(await run(conn, 'SELECT COUNT(*) AS n FROM information_schema.materialized_views')).toEqual([{ n: 0 }])
  })

  it('marks dependents inactive when a base MV is dropped or swapped, and ACTIVE revives them', async () => {
    await fresh(...SALES,
      'CREATE MATERIALIZED VIEW mv1 DISTRIBUTED BY HASH(dt) AS SELECT dt, sum(amount) AS total FROM sales GROUP BY dt',
      'CREATE MATERIALIZED VIEW mv2 DISTRIBUTED BY HASH(dt) AS SELECT dt, count(amount) AS n FROM sales GROUP BY dt',
      'CREATE MATERIALIZED VIEW on_mv1 REFRESH ASYNC AS SELECT sum(total) AS t FROM mv1',
      'CREATE MATERIALIZED VIEW on_on REFRESH ASYNC AS SELECT t + 1 FROM on_mv1')
    expect(await failure(conn, 'ALTER MATERIALIZED VIEW mv1 SWAP WITH sales')).toMatchObject({ message: 'Materialized view can only SWAP WITH materialized view' })
    await run(conn, 'ALTER MATERIALIZED VIEW mv1 SWAP WITH mv2')
    const status = async (): Promise<unknown> => run(conn, "SELECT TABLE_NAME, IS_ACTIVE, INACTIVE_REASON FROM information_schema.materialized_views WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME IN ('on_mv1', 'on_on') ORDER BY TABLE_NAME")
    expect(await status()).toEqual([
      { TABLE_NAME: 'on_mv1', IS_ACTIVE: 'false', INACTIVE_REASON: 'base-table swapped: mv1' },
      { TABLE_NAME: 'on_on', IS_ACTIVE: 'false', INACTIVE_REASON: 'base-mv inactive: on_mv1' },
    ])
    expect((await failure(conn, 'ALTER MATERIALIZED VIEW on_mv1 ACTIVE')).message).toContain('Can not active materialized view [on_mv1]')
    expect((await failure(conn, 'REFRESH MATERIALIZED VIEW on_mv1')).message).toContain('is not active')
    await run(conn, 'ALTER MATERIALIZED VIEW mv1 SWAP WITH mv2', 'ALTER MATERIALIZED VIEW on_mv1 ACTIVE', 'ALTER MATERIALIZED VIEW on_on ACTIVE')
    await run(conn, 'DROP MATERIALIZED VIEW mv1')
    expect(await status()).toEqual([
      { TABLE_NAME: 'on_mv1', IS_ACTIVE: 'false', INACTIVE_REASON: 'base-table dropped: mv1' },
      { TABLE_NAME: 'on_on', IS_ACTIVE: 'false', INACTIVE_REASON: 'base-mv inactive: on_mv1' },
    ])
  })

  it('REFRESH records a task run; WITH SYNC MODE waits; CANCEL stops a running one', async () => {
    await fresh(...SALES, DAILY.replace("START('2030-01-01') ", ''))
    const [r] = await conn.query('REFRESH MATERIALIZED VIEW daily PARTITION START ("2024-01-01") END ("2024-02-01") FORCE WITH SYNC MODE')
    const queryId = (r as Rows)[0]?.QUERY_ID
    expect(await run(conn, `SELECT STATE, TASK_NAME FROM information_schema.task_runs WHERE QUERY_ID = '${String(queryId)}'`)).toMatchObject([{ STATE: 'SUCCESS' }])
    expect(await run(conn, "SELECT LAST_REFRESH_STATE, TABLE_ROWS FROM information_schema.materialized_views WHERE TABLE_NAME = 'daily'")).toEqual([{ LAST_REFRESH_STATE: 'SUCCESS', TABLE_ROWS: '2' }])
    sr.inject({ at: (sql) => sql.startsWith('REFRESH'), kind: 'refresh-delay', ms: 10_000 })
    await run(conn, 'REFRESH MATERIALIZED VIEW daily WITH ASYNC MODE')
    expect(await run(conn, "SELECT LAST_REFRESH_STATE FROM information_schema.materialized_views WHERE TABLE_NAME = 'daily'")).toEqual([{ LAST_REFRESH_STATE: 'RUNNING' }])
    await run(conn, 'CANCEL REFRESH MATERIALIZED VIEW daily FORCE')
    expect(await run(conn, "SELECT LAST_REFRESH_STATE FROM information_schema.materialized_views WHERE TABLE_NAME = 'daily'")).toEqual([{ LAST_REFRESH_STATE: 'FAILED' }])
    sr.inject({ at: (sql) => sql.startsWith('REFRESH'), kind: 'refresh-failure', message: 'disk full' })
    expect((await failure(conn, 'REFRESH MATERIALIZED VIEW daily WITH SYNC MODE')).message).toContain('disk full')
    expect(await run(conn, "SELECT LAST_REFRESH_STATE, LAST_REFRESH_ERROR_MESSAGE FROM information_schema.materialized_views WHERE TABLE_NAME = 'daily'")).toEqual([{ LAST_REFRESH_STATE: 'FAILED', LAST_REFRESH_ERROR_MESSAGE: 'disk full' }])
    expect((await failure(conn, 'REFRESH MATERIALIZED VIEW nope')).message).toMatch(/^Getting analyzing error at line 1, column 26\. Detail message: Can not find materialized view:nope\.$/)
  })

  it('SHOW MATERIALIZED VIEWS with FROM, WHERE NAME = and LIKE', async () => {
    await fresh(...SALES, DAILY, 'CREATE MATERIALIZED VIEW weekly REFRESH MANUAL AS SELECT region FROM sales')
    const names = async (sql: string): Promise<unknown[]> => ((await run(conn, sql)) as Rows).map((r) => r.name)
    expect(await names('SHOW MATERIALIZED VIEWS FROM shop')).toEqual(['daily', 'weekly'])
    expect(await names('SHOW MATERIALIZED VIEWS WHERE NAME = "weekly"')).toEqual(['weekly'])
    expect(await names('SHOW MATERIALIZED VIEWS LIKE "da%"')).toEqual(['daily'])
  })

  it('answers information_schema materialized_views / tables_config / tables filtered by schema', async () => {
    await fresh(...SALES, DAILY)
    await run(conn, 'CREATE DATABASE other', 'CREATE TABLE other.t (k INT) DISTRIBUTED BY HASH(k)', 'CREATE MATERIALIZED VIEW other.m REFRESH MANUAL AS SELECT k FROM other.t')
    const mvs = (await run(conn, "SELECT TABLE_SCHEMA, TABLE_NAME, REFRESH_TYPE, IS_ACTIVE, PARTITION_TYPE, MATERIALIZED_VIEW_DEFINITION FROM information_schema.materialized_views WHERE TABLE_SCHEMA IN ('shop', 'other') ORDER BY TABLE_SCHEMA DESC")) as Rows
    expect(mvs.map((r) => [r.TABLE_SCHEMA, r.TABLE_NAME, r.REFRESH_TYPE, r.IS_ACTIVE, r.PARTITION_TYPE])).toEqual([['shop', 'daily', 'ASYNC', 'true', 'RANGE'], ['other', 'm', 'MANUAL', 'true', 'UNPARTITIONED']])
    expect(mvs[0]?.MATERIALIZED_VIEW_DEFINITION).toBe(await showCreate(conn, 'daily'))
    const config = (await run(conn, "SELECT TABLE_NAME, TABLE_ENGINE, DISTRIBUTE_TYPE, DISTRIBUTE_KEY, DISTRIBUTE_BUCKET, SORT_KEY, PARTITION_KEY, PROPERTIES FROM information_schema.tables_config WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'daily'")) as Rows
    expect(config[0]).toMatchObject({ TABLE_ENGINE: 'MATERIALIZED_VIEW', DISTRIBUTE_TYPE: 'HASH', DISTRIBUTE_KEY: '`dt`', DISTRIBUTE_BUCKET: '2', SORT_KEY: '`dt`', PARTITION_KEY: '`dt`' })
    expect(JSON.parse(config[0]?.PROPERTIES as string)).toEqual({ replicated_storage: 'true', replication_num: '1', storage_medium: 'HDD' })
    expect(await run(conn, "SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT FROM information_schema.tables WHERE TABLE_SCHEMA = 'shop' ORDER BY TABLE_NAME")).toEqual([
      { TABLE_NAME: 'daily', TABLE_TYPE: 'VIEW', TABLE_COMMENT: 'per day' },
      { TABLE_NAME: 'sales', TABLE_TYPE: 'BASE TABLE', TABLE_COMMENT: '' },
    ])
  })

  it('keeps a sync MV as written and refuses joins in one', async () => {
    await fresh(...SALES)
    const sync = 'CREATE MATERIALIZED VIEW by_region AS SELECT region, sum(amount) FROM sales GROUP BY region'
    await run(conn, sync)
    expect(await showCreate(conn, 'by_region')).toBe(sync)
    expect(await run(conn, "SELECT REFRESH_TYPE FROM information_schema.materialized_views WHERE TABLE_NAME = 'by_region'")).toEqual([{ REFRESH_TYPE: 'ROLLUP' }])
    expect((await failure(conn, 'CREATE MATERIALIZED VIEW j AS SELECT a.id FROM sales a JOIN sales b ON a.id = b.id')).message).toContain('single table')
  })
})

describe('version differences', () => {
  const periodic = 'CREATE MATERIALIZED VIEW p REFRESH ASYNC EVERY(INTERVAL 1 HOUR) AS SELECT dt, amount FROM sales'
  const spelling = async (version: string, statements: string[]): Promise<{ conn: mysql.Connection; server: Emulator }> => {
    const server = await startEmulator({ version, defaultReplicationNum: 1 })
    const c = await connectTo(server)
    await run(c, 'CREATE DATABASE shop', 'USE shop', SALES[0] as string, ...statements)
    return { conn: c, server }
  }
  const done = async (x: { conn: mysql.Connection; server: Emulator }): Promise<void> => {
    await x.conn.end()
    await x.server.close()
  }

  it('3.1 prints ASYNC, rewrites the query, and rejects multi-column PARTITION BY, SCHEDULE and ON_CHANGE', async () => {
    const x = await spelling('3.1', [periodic])
    expect(await showCreate(x.conn, 'p')).toContain('\nREFRESH ASYNC EVERY(INTERVAL 1 HOUR)\n')
    expect((await failure(x.conn, 'CREATE MATERIALIZED VIEW q PARTITION BY (dt, amount) REFRESH MANUAL AS SELECT dt, amount FROM sales')).errno).toBe(1064)
    expect((await failure(x.conn, periodic.replace('p REFRESH ASYNC', 'q REFRESH SCHEDULE'))).message).toContain("Unexpected input 'SCHEDULE'")
    expect((await failure(x.conn, 'CREATE MATERIALIZED VIEW q REFRESH ON_CHANGE AS SELECT dt FROM sales')).message).toContain("Unexpected input 'ON_CHANGE'")
    await done(x)
  })

  it('3.5 accepts multi-column PARTITION BY', async () => {
    const x = await spelling('3.5', ['CREATE MATERIALIZED VIEW q PARTITION BY (dt, region) REFRESH MANUAL AS SELECT dt, region, amount FROM sales'])
    expect(await showCreate(x.conn, 'q')).toContain('\nPARTITION BY (`dt`, `region`)\n')
    await done(x)
  })

  it('4.1 prints the periodic form as SCHEDULE, accepts SCHEDULE, keeps the query text, rejects ON_CHANGE', async () => {
    const x = await spelling('4.1', [periodic, 'CREATE MATERIALIZED VIEW s REFRESH SCHEDULE START("2030-01-01 10:00:00") EVERY(INTERVAL 30 MINUTE) AS select dt from sales'])
    const p = await showCreate(x.conn, 'p')
    expect(p).toContain('\nREFRESH SCHEDULE EVERY(INTERVAL 1 HOUR)\n')
    expect(p).toContain('\nAS SELECT dt, amount FROM sales;')
    expect(await showCreate(x.conn, 's')).toContain('\nREFRESH SCHEDULE START("2030-01-01 10:00:00") EVERY(INTERVAL 30 MINUTE)\n')
    expect((await failure(x.conn, 'CREATE MATERIALIZED VIEW q REFRESH ON_CHANGE AS SELECT dt FROM sales')).errno).toBe(1064)
    await done(x)
  })

  it('26.2 accepts and prints ON_CHANGE, and refuses an untimed ASYNC', async () => {
    const x = await spelling('26.2', ['CREATE MATERIALIZED VIEW c REFRESH DEFERRED ON_CHANGE AS SELECT dt FROM sales', periodic])
    expect(await showCreate(x.conn, 'c')).toContain('\nREFRESH DEFERRED ON_CHANGE\n')
    expect(await showCreate(x.conn, 'p')).toContain('\nREFRESH SCHEDULE EVERY(INTERVAL 1 HOUR)\n')
    expect((await failure(x.conn, 'CREATE MATERIALIZED VIEW q REFRESH ASYNC AS SELECT dt FROM sales')).message).toContain('ON_CHANGE')
    expect(await run(x.conn, 'SELECT current_version() AS v')).toEqual([{ v: '26.2.0-emulator' }])
    await done(x)
  })

  it('2.5 prints COMMENT "MATERIALIZED_VIEW" and no column list', async () => {
    const x = await spelling('2.5', ['CREATE MATERIALIZED VIEW o DISTRIBUTED BY HASH(dt) REFRESH MANUAL AS SELECT dt FROM sales'])
    expect(await showCreate(x.conn, 'o')).toMatch(/^CREATE MATERIALIZED VIEW `o`\nCOMMENT "MATERIALIZED_VIEW"\nDISTRIBUTED BY HASH\(`dt`\)\n/)
    await done(x)
  })
})

describe('faults', () => {
  it('fails statement n with the given error, once; the statement is not executed', async () => {
    await fresh()
    sr.inject({ at: 3, kind: 'error', errno: 1105, message: 'boom', sqlState: 'HY000' })
    expect(await failure(conn, 'CREATE TABLE t (k INT) DISTRIBUTED BY HASH(k)')).toEqual({ errno: 1105, sqlState: 'HY000', message: 'boom' })
    await run(conn, 'CREATE TABLE t (k INT) DISTRIBUTED BY HASH(k)')
    expect(sr.log.map((s) => s.index)).toEqual([1, 2, 3, 4])
  })

  it('a persistent predicate fault hits every matching statement until cleared', async () => {
    await fresh()
    sr.inject({ at: (sql) => sql.includes('boom'), kind: 'error', once: false })
    expect((await failure(conn, "SELECT 'boom'")).errno).toBe(1064)
    expect((await failure(conn, "SELECT 'boom'")).errno).toBe(1064)
    sr.clearFaults()
    expect(await run(conn, "SELECT 'boom' AS x")).toEqual([{ x: 'boom' }])
  })

  it('drop executes the statement then closes the connection before replying', async () => {
    await fresh()
    sr.inject({ at: (sql) => sql.startsWith('CREATE TABLE'), kind: 'drop' })
    await expect(conn.query('CREATE TABLE t (k INT) DISTRIBUTED BY HASH(k)')).rejects.toThrow()
    conn = await connectTo(sr, 'shop')
    expect(await run(conn, 'SHOW TABLES')).toEqual([{ Tables_in_shop: 't' }])
  })

  it('drop-before closes the connection without executing', async () => {
    await fresh()
    sr.inject({ at: (sql) => sql.startsWith('CREATE TABLE'), kind: 'drop-before' })
    await expect(conn.query('CREATE TABLE t (k INT) DISTRIBUTED BY HASH(k)')).rejects.toThrow()
    conn = await connectTo(sr, 'shop')
    expect(await run(conn, 'SHOW TABLES')).toEqual([])
    expect(sr.statements).toContain('CREATE TABLE t (k INT) DISTRIBUTED BY HASH(k)')
  })

  it('delay executes at once and replies after ms (a client timeout sees no reply)', async () => {
    await fresh()
    sr.inject({ at: (sql) => sql.startsWith('CREATE TABLE'), kind: 'delay', ms: 300 })
    await expect(conn.query({ sql: 'CREATE TABLE t (k INT) DISTRIBUTED BY HASH(k)', timeout: 50 })).rejects.toThrow(/timeout/i)
    const other = await connectTo(sr, 'shop')
    expect(await run(other, 'SHOW TABLES')).toEqual([{ Tables_in_shop: 't' }])
    await other.end()
    conn.destroy()
  })
})
