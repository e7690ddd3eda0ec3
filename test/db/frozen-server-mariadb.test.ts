import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI, requireBuiltCli } from '../cli/run-cli.js'
import { mariadbAvailable } from '../support/mariadb.js'

const up = await mariadbAvailable()

/**
 * A server that logs in and then stops answering, as a frozen frontend or a cut network does: a
 * proxy to MariaDB that forwards the handshake and swallows the first command (a packet with
 * sequence id 0 after the login) and everything after it, keeping both sockets open.
 */
const frozenProxy = async (): Promise<{ server: Server; port: number; sockets: Set<Socket> }> => {
  const sockets = new Set<Socket>()
  // allowHalfOpen: a frozen server does not answer the client's FIN either
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = tcpConnect(3306, '127.0.0.1')
    sockets.add(client).add(upstream)
    let frozen = false
    let loggedIn = false
    upstream.on('data', (chunk) => {
      if (!frozen) client.write(chunk)
    })
    client.on('data', (chunk) => {
      // the handshake response and any auth switch have sequence ids above 0; a command starts at 0
      if (loggedIn && chunk[3] === 0) frozen = true
      loggedIn = true
      if (!frozen) upstream.write(chunk)
    })
    for (const s of [client, upstream]) s.on('error', () => undefined)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { server, port: (server.address() as { port: number }).port, sockets }
}

const run = (file: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> =>
  new Promise((done) => {
    const started = Date.now()
    execFile(process.execPath, [file, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null
      done({ code, stdout, stderr, ms: Date.now() - started })
    })
  })

describe.skipIf(!up)('a server that stops answering', () => {
  let proxy: Awaited<ReturnType<typeof frozenProxy>>
  beforeAll(async () => {
    requireBuiltCli()
    proxy = await frozenProxy()
  })
  afterAll(async () => {
    for (const s of proxy.sockets) s.destroy()
    await new Promise((done) => proxy.server.close(done))
  })

  it('the library: after a TIMEOUT and close(), nothing keeps the process alive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srmv-frozen-'))
    const script = join(dir, 'run.mjs')
    const entry = resolve('dist/index.js')
    writeFileSync(
      script,
      `import { connect } from ${JSON.stringify(entry)}\n` +
        `try {\n  const c = await connect('mysql://root@127.0.0.1:${proxy.port}/test?queryTimeout=500')\n` +
        `  try { await c.query('SELECT 1') } finally { await c.close() }\n} catch (e) { console.log(e.code) }\n`,
    )
    const r = await run(script, [], { cwd: dir })
    expect(r.stdout.trim()).toBe('TIMEOUT')
    // it ends by itself: before, mysql2 only half-closed the socket and the process waited for the server
    expect(r.code).toBe(0)
    expect(r.ms).toBeLessThan(20_000)
  }, 40_000)

  it('the CLI: the TIMEOUT is reported and srmv exits with code 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srmv-frozen-'))
    writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations' })\n`)
    writeFileSync(join(dir, 'schema.ts'), `export {}\n`)
    mkdirSync(join(dir, 'migrations'))
    const r = await run(CLI, ['status'], { cwd: dir, env: { STARROCKS_URL: `mysql://root@127.0.0.1:${proxy.port}/test?queryTimeout=500` } })
    expect(r.stderr).toContain('[TIMEOUT]')
    expect(r.code).toBe(3)
    expect(r.ms).toBeLessThan(20_000)
  }, 40_000)
})
