import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built CLI (`npm run build` makes it; `npm test` builds first). */
export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js')

export const requireBuiltCli = (): void => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before these tests (npm test does).`)
}

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Run the built `srmv` asynchronously (an in-process emulator must keep answering meanwhile). */
export const srmv = (args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult> =>
  new Promise((done) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, STARROCKS_URL: undefined, ...options.env }
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k]
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1
      done({ code, stdout, stderr })
    })
  })

export const file = (dir: string, name: string): string => join(dir, name)
