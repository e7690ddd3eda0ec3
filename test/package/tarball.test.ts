/**
 * The published artefact, as a user gets it: `npm pack` a clean clone of the sources (no dist: the
 * `prepack` script builds it), install the tarball into an empty project (dependencies from the
 * registry), and use it from there — ESM `import`, CJS `require`, both subpaths, the `srmv` and
 * `srmv-emulator` bins, a first migration written and printed by the installed CLI, and the
 * walkthrough of docs/getting-started.md run as written.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
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
let tarball = ''
let esmCreate = ''

const run = (cmd: string, args: string[], cwd: string, timeout = 120_000): string =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  })

/**
 * A clean clone of the sources: the files git tracks (as they are in the working tree, plus new
 * files not ignored), without dist; node_modules is linked from the repository (installing the dev
 * dependencies again would only cost time).
 */
const cleanClone = (into: string): string => {
  const dir = join(into, 'clone')
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0').filter((f) => f !== '' && existsSync(join(root, f)))
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true })
    copyFileSync(join(root, f), join(dir, f))
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return dir
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'srmv-package-'))
  const clone = cleanClone(work)
  expect(existsSync(join(clone, 'dist'))).toBe(false)
  const out = run(npm, ['pack', '--json', '--pack-destination', work], clone, 300_000)
  const packed = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[]
  tarball = join(work, packed[0]?.filename ?? '')
  expect(existsSync(tarball)).toBe(true)
  expect(existsSync(join(clone, 'dist/cli/main.js')), 'prepack built dist').toBe(true)
  project = join(work, 'app')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'srmv-package-test', version: '1.0.0', private: true }, null, 2))
  run(npm, ['install', '--prefer-offline', '--no-package-lock', tarball], project)
}, 400_000)

/** Start the installed `srmv-emulator` on a free port; resolves with its URL and a stop function. */
const startBinEmulator = async (cwd: string): Promise<{ url: string; port: number; stop(): Promise<void> }> => {
  const child: ChildProcess = spawn(npx, ['--no', '--', 'srmv-emulator', '--port', '0', '--replication-num', '1'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
    // its own process group: npx runs the bin as a child, and SIGTERM must reach both
    detached: process.platform !== 'win32',
  })
  const stop = async (): Promise<void> => {
    const exited = new Promise<number | null>((r) => {
      if (child.exitCode !== null) r(child.exitCode)
      else child.once('exit', (code) => r(code))
    })
    if (process.platform === 'win32' || child.pid === undefined) child.kill('SIGTERM')
    else process.kill(-child.pid, 'SIGTERM')
    await exited
  }
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
    return { url, port: Number(new URL(url).port), stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/** The shell blocks of docs/getting-started.md up to the section on Docker, and its SQL block. */
const walkthrough = (): { script: string; sql: string } => {
  const doc = readFileSync(join(root, 'docs/getting-started.md'), 'utf8')
  const local = doc.slice(0, doc.indexOf('\n## 4.'))
  const blocks = [...local.matchAll(/```(sh|sql)\n([\s\S]*?)```/g)]
  const script = blocks.filter((b) => b[1] === 'sh').map((b) => b[2] as string).join('\n')
  const sql = blocks.find((b) => b[1] === 'sql')?.[2] ?? ''
  return { script, sql }
}

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
    const emulator = await startBinEmulator(project)
    const port = emulator.port
    try {
      expect(port).toBeGreaterThan(0)
      const conn = await createConnection({ host: '127.0.0.1', port, user: 'root' })
      const [rows] = await conn.query('SELECT current_version() AS v')
      await conn.end()
      expect((rows as { v: string }[])[0]?.v).toMatch(/^3\.5/)
    } finally {
      await emulator.stop()
    }
    // the emulator itself is gone, not only npx
    await expect(createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 2000 })).rejects.toThrow()
  }, 60_000)

  it('runs the walkthrough of docs/getting-started.md as written: npm init, install, init, generate, up --sql, up, status, check', async () => {
    const { script, sql } = walkthrough()
    expect(script).toContain('npx srmv init')
    expect(script).toContain('npx srmv check')
    // The emulator runs in a second terminal in the walkthrough; here, from the installed package, on a free port.
    const emulator = await startBinEmulator(project)
    try {
      const lines = script
        .split('\n')
        .filter((l) => !l.startsWith('npx srmv-emulator') && !l.startsWith('#'))
        .join('\n')
        .replaceAll('npm install starrocks-mv', `npm install --prefer-offline --no-audit --no-fund ${JSON.stringify(tarball)}`)
        .replaceAll('127.0.0.1:9030', `127.0.0.1:${emulator.port}`)
      const home = join(work, 'walkthrough')
      mkdirSync(home)
      writeFileSync(join(home, 'walkthrough.sh'), `set -euo pipefail\n${lines}\n`)
      // async, so that the test process keeps answering while the script runs
      const result = await new Promise<{ code: number | null; out: string }>((done) => {
        const child = spawn('bash', ['walkthrough.sh'], { cwd: home, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
        child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
        child.once('exit', (code) => done({ code, out }))
      })
      expect(result.code, result.out).toBe(0)
      const app = join(home, 'analytics')
      // what the page says srmv init does to a default npm project, and the SQL it shows
      expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).type).toBe('module')
      expect(result.out).toMatch(/ok: the schema module, the migrations and the server agree/)
      // the statements as the page shows them (comment lines, if any, are not statements)
      const printed = run(npx, ['--no', '--', 'srmv', 'up', '--sql'], app)
      expect(printed.split('\n').filter((l) => !l.startsWith('--')).join('\n').trim()).toBe(sql.trim())
      const status = JSON.parse(run(npx, ['--no', '--', 'srmv', 'status', '--json'], app)) as { migrations: { state: string }[] }
      expect(status.migrations.map((m) => m.state)).toEqual(['applied'])
    } finally {
      await emulator.stop()
    }
  }, 300_000)
})
