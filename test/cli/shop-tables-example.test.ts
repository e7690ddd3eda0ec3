import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tableChanges } from '../../src/diff/canonical-table.js'
import { parseCreateTable } from '../../src/reflect/index.js'
import { toTableDefinition } from '../../src/schema/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { orders, users } from '../../examples/shop-tables/schema.js'
import { requireBuiltCli, srmv } from './run-cli.js'

const EXAMPLE = resolve(import.meta.dirname, '../../examples/shop-tables')
let sr: Emulator
let url: string

const query = async (sql: string): Promise<Record<string, unknown>[]> => {
  const c = await createConnection({ host: '127.0.0.1', port: sr.port, user: 'root' })
  try {
    return (await c.query(sql))[0] as Record<string, unknown>[]
  } finally {
    await c.end()
  }
}

describe('examples/shop-tables: managed tables and their MVs, from an empty server to applied', () => {
  beforeAll(async () => {
    requireBuiltCli()
    sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
    await query('CREATE DATABASE store')
    await query('CREATE DATABASE sales')
    url = `starrocks://root@127.0.0.1:${sr.port}/store`
  })
  afterAll(async () => {
    await sr?.close()
  })

  it('prints the whole plan offline (--sql), tables first, the added column last', async () => {
    const r = await srmv(['up', '--sql'], { cwd: EXAMPLE })
    expect(r.code, r.stderr).toBe(0)
    const creates = [...r.stdout.matchAll(/^(CREATE TABLE|CREATE MATERIALIZED VIEW|ALTER TABLE) (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`)
    expect(creates).toEqual([
      'CREATE TABLE `store`.`orders`', 'CREATE TABLE `store`.`users`',
      'CREATE MATERIALIZED VIEW `sales`.`daily_sales_mv`', 'CREATE MATERIALIZED VIEW `sales`.`user_order_counts`', 'CREATE MATERIALIZED VIEW `sales`.`user_stats_mv`',
      'ALTER TABLE `store`.`orders`',
    ])
  })

  it('applies the first migration, then the added column leaves the MVs active; check is clean', async () => {
    const [first] = readdirSync(join(EXAMPLE, 'migrations')).filter((f) => /^\d{14}_.*\.ts$/.test(f)).sort()
    const up1 = await srmv(['up', (first as string).slice(0, 14)], { cwd: EXAMPLE, env: { STARROCKS_URL: url } })
    expect(up1.code, up1.stderr).toBe(0)
    const show = async (t: string): Promise<ReturnType<typeof parseCreateTable>> => parseCreateTable(String((await query(`SHOW CREATE TABLE store.${t}`))[0]?.['Create Table']))
    const before = toTableDefinition(orders)
    expect(tableChanges(before, await show('orders'), { live: true }).map((c) => c.attribute)).toEqual(['columns'])
    expect(tableChanges(toTableDefinition(users), await show('users'), { live: true })).toEqual([])

    const up2 = await srmv(['up'], { cwd: EXAMPLE, env: { STARROCKS_URL: url } })
    expect(up2.code, up2.stderr).toBe(0)
    expect(tableChanges(toTableDefinition(orders), await show('orders'), { live: true })).toEqual([])
    const active = await query("SELECT TABLE_NAME, IS_ACTIVE FROM information_schema.materialized_views WHERE TABLE_SCHEMA = 'sales' ORDER BY TABLE_NAME")
    expect(active.map((r) => [r.TABLE_NAME, r.IS_ACTIVE])).toEqual([['daily_sales_mv', 'true'], ['user_order_counts', 'true'], ['user_stats_mv', 'true']])

    const check = await srmv(['check'], { cwd: EXAMPLE, env: { STARROCKS_URL: url } })
    expect(check.code, check.stdout + check.stderr).toBe(0)
  }, 180_000)

  it('a column added to a managed table by hand is drift: check fails naming the table and the column, and is clean once it is gone', async () => {
    await query("ALTER TABLE store.users ADD COLUMN nickname VARCHAR(30) COMMENT 'by hand'")
    const drift = await srmv(['check'], { cwd: EXAMPLE, env: { STARROCKS_URL: url } })
    expect(drift.code, drift.stdout + drift.stderr).not.toBe(0)
    expect(drift.stdout + drift.stderr).toMatch(/store\.users: the server has column nickname VARCHAR\(30\) NULL COMMENT "by hand"; the schema does not declare it/)
    // a server's own tables (the history table) and the MVs are not drift
    expect(drift.stdout + drift.stderr).not.toMatch(/srmv_migrations|_mv:/)

    const plan = await srmv(['plan', '--from-db'], { cwd: EXAMPLE, env: { STARROCKS_URL: url } })
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stdout).toMatch(/ALTER TABLE `store`\.`users` DROP COLUMN `nickname`/)

    await query('ALTER TABLE store.users DROP COLUMN nickname')
    const clean = await srmv(['check'], { cwd: EXAMPLE, env: { STARROCKS_URL: url } })
    expect(clean.code, clean.stdout + clean.stderr).toBe(0)
  }, 180_000)
})
