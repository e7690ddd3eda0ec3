/**
 * `srmv init` in a default npm project (`npm init -y` writes `"type": "commonjs"`; `tsc --init`
 * turns on `verbatimModuleSyntax`) must give a project that type-checks as created, or the
 * compile-time guardrails silently do nothing. Runs the repository's own TypeScript once on the
 * scaffold, against the built package.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../migrate/helpers.js'
import { requireBuiltCli, srmv } from './run-cli.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

const run = (cmd: string, args: string[], cwd: string): { code: number; out: string } => {
  try {
    const out = execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } })
    return { code: 0, out }
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string }
    return { code: err.status ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` }
  }
}

describe('srmv init in a default npm + tsc project', () => {
  beforeAll(() => requireBuiltCli())

  it('type-checks as created, and says what it changed', async () => {
    const dir = tempDir('init-tsc')
    expect(run(npm, ['init', '-y'], dir).code).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type).toBe('commonjs')
    expect(run(process.execPath, [tsc, '--init'], dir).code).toBe(0)
    expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).toMatch(/"verbatimModuleSyntax": true/)
    // the built package, as `npm install starrocks-mv` would place it
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(root, join(dir, 'node_modules/starrocks-mv'), 'dir')

    const init = await srmv(['init'], { cwd: dir })
    expect(init.code, init.stderr).toBe(0)
    expect(init.stdout).toContain('updated package.json: "type": "module" (was "commonjs")')
    expect(init.stdout).not.toContain('tsconfig.json') // tsc --init wrote one: left as it is

    const checked = run(process.execPath, [tsc, '-p', '.', '--noEmit'], dir)
    expect(checked.out).toBe('')
    expect(checked.code).toBe(0)
  }, 120_000)
})
