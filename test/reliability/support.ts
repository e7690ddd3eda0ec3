import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../src/cli/program.js'
import { CLI } from '../cli/run-cli.js'

/** What one srmv run produced. `signal` is set when the process was killed. */
export interface Run {
  readonly code: number | null
  readonly signal?: string
  readonly stdout: string
  readonly stderr: string
}

const packageModule = async (): Promise<unknown> => {
  const index = await import('../../src/index.js')
  const ops = await import('../../src/ops/index.js')
  return { ...ops, ...index }
}

/** Run srmv in this process (the same `runCli` the bin calls), so an in-process emulator keeps answering. */
export const cli = async (dir: string, args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Run> => {
  let stdout = ''
  let stderr = ''
  const code = await runCli(
    args,
    {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { NO_COLOR: '1', ...env },
      cwd: dir,
    },
    await packageModule(),
  )
  return { code, stdout, stderr }
}

/** Run the built srmv as its own process (for SIGKILL and races). */
export const spawnCli = (dir: string, args: readonly string[], env: Record<string, string | undefined> = {}, timeoutMs = 90_000): Promise<Run> =>
  new Promise((done) => {
    const full: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, STARROCKS_URL: undefined, SRMV_TEST_KILL_AT: undefined, SRMV_TEST_BARRIER: undefined, ...env }
    for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k]
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: full as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      done({ code, ...(signal === null ? {} : { signal }), stdout, stderr })
    })
  })

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `srmv-rel-${prefix}-`))

export const uniq = (): string => Math.random().toString(36).slice(2, 8)

/** A project folder: config (history table and properties), an empty schema module, a migrations folder. */
export const project = (prefix: string, options: { historyTable?: string; starrocks?: boolean; schema?: string } = {}): string => {
  const dir = tempDir(prefix)
  const fields = [`schema: './schema.ts'`, `migrations: './migrations'`]
  if (options.historyTable !== undefined) fields.push(`historyTable: ${JSON.stringify(options.historyTable)}`)
  if (options.starrocks) fields.push(`historyProperties: { replication_num: '1' }`)
  writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ ${fields.join(', ')} })\n`)
  writeFileSync(join(dir, 'schema.ts'), options.schema ?? 'export {}\n')
  mkdirSync(join(dir, 'migrations'))
  return dir
}

/** A migration whose up runs `up` (each with its down statement) through op.execute. */
export const executeMigration = (dir: string, name: string, up: readonly (readonly [string, string])[]): void => {
  writeFileSync(
    join(dir, 'migrations', `${name}.ts`),
    `import { defineMigration } from 'starrocks-mv'\n` +
      `export default defineMigration({\n` +
      `  up(op) {\n${up.map(([u, d]) => `    op.execute(${JSON.stringify(u)}, { down: ${JSON.stringify(d)} })\n`).join('')}  },\n` +
      `  down(op) {\n${[...up].reverse().map(([, d]) => `    op.execute(${JSON.stringify(d)})\n`).join('')}  },\n` +
      `})\n`,
  )
}

/** Figures of one test file, written for the README's Reliability section. */
export const figures = (file: string) => {
  const data: Record<string, number | string | Record<string, unknown>> = {}
  return {
    add(key: string, n = 1): void {
      data[key] = ((data[key] as number | undefined) ?? 0) + n
    },
    set(key: string, value: number | string | Record<string, unknown>): void {
      data[key] = value
    },
    write(): void {
      const out = process.env.SRMV_RELIABILITY_DIR ?? join(tmpdir(), 'srmv-reliability')
      mkdirSync(out, { recursive: true })
      writeFileSync(join(out, `${file}.json`), `${JSON.stringify({ file, at: new Date().toISOString(), ...data }, null, 2)}\n`)
    },
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
