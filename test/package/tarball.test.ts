/**
 * The published artefact, as a user gets it: `npm pack` the built package, install the tarball into
 * an empty project (dependencies from the registry), and use it from there — ESM `import`, CJS
 * `require`, both subpaths, the `srmv` and `srmv-emulator` bins, and a first migration written and
 * printed by the installed CLI.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

let work = ''
let project = ''
let esmCreate = ''

const run = (cmd: string, args: string[], cwd: string, timeout = 120_000): string =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  })

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/cli/main.js'))) run(npm, ['run', 'build'], root)
  work = mkdtempSync(join(tmpdir(), 'srmv-package-'))
  const packed = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], root)) as { filename: string }[]
  const tarball = join(work, packed[0]?.filename ?? '')
  expect(existsSync(tarball)).toBe(true)
  project = join(work, 'app')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'srmv-package-test', version: '1.0.0', private: true }, null, 2))
  run(npm, ['install', '--prefer-offline', '--no-package-lock', tarball], project)
}, 180_000)

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true })
})

describe('the npm pack tarball installed into an empty project', () => {
  it('ships dist and the README, not the sources or tests', () => {
    const installed = join(project, 'node_modules/starrocks-mv')
    const top = readdirSync(installed).sort()
    expect(top).toContain('dist')
    expect(top).toContain('package.json')
    expect(top).not.toContain('src')
    expect(top).not.toContain('test')
    expect(top).not.toContain('bench')
  })

  it('works with import (ESM): the root and starrocks-mv/testing', () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      `import { mv, sql, table, toStatements, op, StarRocksMvError, parseMaterializedView } from 'starrocks-mv'
import { startEmulator } from 'starrocks-mv/testing'
const orders = table('orders', { id: 'BIGINT', day: 'DATE' }, { schema: 'shop' })
const daily = mv('daily').schema('shop').refresh.manual().as(sql\`SELECT \${orders.day}, COUNT(*) AS n FROM \${orders} GROUP BY \${orders.day}\`)
const create = toStatements(op.createMaterializedView(daily))[0]
const parsed = parseMaterializedView(create)
console.log(JSON.stringify({ create, parsedName: parsed.name, error: typeof StarRocksMvError, emulator: typeof startEmulator }))
`,
    )
    const out = JSON.parse(run(process.execPath, ['esm.mjs'], project)) as Record<string, string>
    expect(out.create).toMatch(/^CREATE MATERIALIZED VIEW `shop`\.`daily`/)
    esmCreate = out.create ?? ''
    expect(out.parsedName).toBe('daily')
    expect(out.error).toBe('function')
    expect(out.emulator).toBe('function')
  })

  it('works with require (CJS): the root and starrocks-mv/testing, the same SQL as ESM', () => {
    writeFileSync(
      join(project, 'cjs.cjs'),
      `const { mv, sql, table, toStatements, op } = require('starrocks-mv')
const { startEmulator } = require('starrocks-mv/testing')
const orders = table('orders', { id: 'BIGINT', day: 'DATE' }, { schema: 'shop' })
const daily = mv('daily').schema('shop').refresh.manual().as(sql\`SELECT \${orders.day}, COUNT(*) AS n FROM \${orders} GROUP BY \${orders.day}\`)
console.log(JSON.stringify({ create: toStatements(op.createMaterializedView(daily))[0], emulator: typeof startEmulator }))
`,
    )
    const out = JSON.parse(run(process.execPath, ['cjs.cjs'], project)) as Record<string, string>
    expect(out.create).toMatch(/^CREATE MATERIALIZED VIEW `shop`\.`daily`/)
    expect(out.create).toBe(esmCreate)
    expect(out.emulator).toBe('function')
  })

  it('starts the emulator from the installed package and runs a migration against it (ESM)', () => {
    writeFileSync(
      join(project, 'emulate.mjs'),
      `import { connect, reflect } from 'starrocks-mv'
import { startEmulator } from 'starrocks-mv/testing'
const sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
const client = await connect(sr.url)
await client.query('CREATE DATABASE shop')
await client.query('CREATE TABLE shop.orders (id BIGINT, day DATE) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)')
await client.query('CREATE MATERIALIZED VIEW shop.daily REFRESH MANUAL AS SELECT day, COUNT(*) AS n FROM shop.orders GROUP BY day')
const state = await reflect(client, { schemas: ['shop'] })
await client.close()
await sr.close()
console.log(JSON.stringify(state.mvs.map((d) => d.name)))
`,
    )
    expect(JSON.parse(run(process.execPath, ['emulate.mjs'], project))).toEqual(['daily'])
  })

  it('npx srmv --help exits 0 and shows the commands', () => {
    const out = run(npx, ['--no', '--', 'srmv', '--help'], project)
    expect(out).toMatch(/Usage: srmv/)
    expect(out).toMatch(/generate/)
  })

  it('the installed srmv writes a first migration and prints its SQL offline', () => {
    const app = join(project, 'analytics')
    mkdirSync(app)
    run(npx, ['--no', '--', 'srmv', 'init'], app)
    run(npx, ['--no', '--', 'srmv', 'generate', '-m', 'initial'], app)
    expect(readdirSync(join(app, 'migrations')).filter((f) => f.endsWith('_initial.ts'))).toHaveLength(1)
    const sql = run(npx, ['--no', '--', 'srmv', 'up', '--sql'], app)
    expect(sql).toMatch(/CREATE MATERIALIZED VIEW `daily_sales_mv`/)
    expect(readFileSync(join(app, 'srmv.config.ts'), 'utf8')).toMatch(/from 'starrocks-mv'/)
  })

  it('npx srmv-emulator --port 0 starts, prints a URL that answers, and stops on SIGTERM', async () => {
    const child: ChildProcess = spawn(npx, ['--no', '--', 'srmv-emulator', '--port', '0', '--replication-num', '1'], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
      // its own process group: npx runs the bin as a child, and SIGTERM must reach both
      detached: process.platform !== 'win32',
    })
    let port = 0
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = ''
        const timer = setTimeout(() => reject(new Error(`srmv-emulator printed no URL within 30 s: ${out}`)), 30_000)
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const m = /starrocks:\/\/\S+/.exec(out)
          if (m !== null) {
            clearTimeout(timer)
            resolveUrl(m[0])
          }
        })
        child.stderr?.on('data', (chunk: Buffer) => {
          out += chunk.toString()
        })
        child.once('exit', (code) => {
          clearTimeout(timer)
          reject(new Error(`srmv-emulator exited (${code}) before printing a URL: ${out}`))
        })
      })
      port = Number(new URL(url).port)
      expect(port).toBeGreaterThan(0)
      const conn = await createConnection({ host: '127.0.0.1', port, user: 'root' })
      const [rows] = await conn.query('SELECT current_version() AS v')
      await conn.end()
      expect((rows as { v: string }[])[0]?.v).toMatch(/^3\.5/)
    } finally {
      const exited = new Promise<number | null>((r) => {
        if (child.exitCode !== null) r(child.exitCode)
        else child.once('exit', (code) => r(code))
      })
      if (process.platform === 'win32' || child.pid === undefined) child.kill('SIGTERM')
      else process.kill(-child.pid, 'SIGTERM')
      await exited
    }
    // the emulator itself is gone, not only npx
    await expect(createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 2000 })).rejects.toThrow()
  }, 60_000)
})
