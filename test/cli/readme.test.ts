/**
 * The README's CLI reference and its "Coming from Alembic" table against the built `srmv`: every
 * command and every option its --help lists is in the table, and every srmv command the Alembic
 * table names exists.
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../migrate/helpers.js'
import { requireBuiltCli, srmv } from './run-cli.js'

const readme = readFileSync(join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'README.md'), 'utf8')
const section = (title: string): string => {
  const start = readme.indexOf(`\n## ${title}\n`)
  expect(start, title).toBeGreaterThan(0)
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end < 0 ? undefined : end)
}

describe('the README against srmv --help', () => {
  beforeAll(() => requireBuiltCli())

  it('lists every command and every option in the CLI reference', async () => {
    const dir = tempDir('readme')
    const cli = section('CLI reference')
    const rows = cli.split('\n').filter((l) => l.startsWith('| `'))
    const help = await srmv(['--help'], { cwd: dir })
    const commands = [...help.stdout.slice(help.stdout.indexOf('Commands:'), help.stdout.indexOf('\n\n', help.stdout.indexOf('Commands:'))).matchAll(/^ {2}([a-z]+)(?:\|[a-z]+)? /gm)].map((m) => m[1] as string).filter((c) => c !== 'help')
    expect(commands.length).toBeGreaterThan(10)
    for (const command of commands) {
      const row = rows.find((r) => r.startsWith(`| \`${command}`))
      expect(row, `README row for ${command}`).toBeDefined()
      const options = [...(await srmv([command, '--help'], { cwd: dir })).stdout.matchAll(/^ {2}(?:(-\w), )?(--[a-z-]+)/gm)].filter((m) => m[2] !== '--help')
      // the long name, or the short one (`-m <msg>`)
      for (const [, short, long] of options) expect(row?.includes(long as string) || (short !== undefined && row?.includes(`${short} `)), `${command} ${long}`).toBe(true)
    }
    for (const global of ['--cwd', '--config', '--no-color']) expect(cli).toContain(global)
  }, 120_000)

  it('maps the Alembic workflow to srmv commands that exist', async () => {
    const dir = tempDir('readme-alembic')
    const table = section('Coming from Alembic')
    for (const alembic of ['init', 'revision --autogenerate', 'revision -m', 'upgrade head', 'upgrade +2', 'downgrade -1', 'downgrade base', 'current', 'heads', 'history', 'stamp head', 'check', '--sql']) {
      expect(table, alembic).toContain(`\`alembic ${alembic}`.replace('`alembic --sql', 'head --sql'))
    }
    const named = new Set([...table.matchAll(/`srmv ([a-z]+)/g)].map((m) => m[1] as string))
    expect([...named]).toEqual(expect.arrayContaining(['init', 'generate', 'revision', 'up', 'upgrade', 'down', 'downgrade', 'current', 'heads', 'status', 'history', 'stamp', 'check']))
    for (const command of named) expect((await srmv([command, '--help'], { cwd: dir })).code, command).toBe(0)
  }, 120_000)
})
