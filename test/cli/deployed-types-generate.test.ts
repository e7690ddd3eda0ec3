/**
 * `srmv generate` writes migrations/deployed.d.ts for the schema modules that read it (a default
 * export made by defineSchema) and keeps an existing one up to date; a module of plain exports is
 * spared the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../migrate/helpers.js'
import { requireBuiltCli, srmv } from './run-cli.js'

const CONFIG = `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './schema.ts', migrations: './migrations' })\n`
const mvs = (rows: number): string =>
  `import { defineSchema, mv, sql } from 'starrocks-mv'\n` +
  `export const daily = mv('daily').schema('shop').refresh.manual().as(sql\`SELECT ${rows} AS n\`)\n`

const project = (schema: string): string => {
  const dir = tempDir('deployed-gen')
  writeFileSync(join(dir, 'srmv.config.ts'), CONFIG)
  writeFileSync(join(dir, 'schema.ts'), schema)
  return dir
}

const types = (dir: string): string => join(dir, 'migrations', 'deployed.d.ts')

beforeAll(() => requireBuiltCli())

describe('srmv generate and migrations/deployed.d.ts', () => {
  it('writes it for a module whose default export is defineSchema(...)', async () => {
    const dir = project(`${mvs(1)}export default defineSchema({ daily })\n`)
    const r = await srmv(['generate', '-m', 'initial'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('deployed.d.ts')
    expect(readFileSync(types(dir), 'utf8')).toContain('"shop.daily"')
  })

  it('does not write it for a module of plain exports', async () => {
    const dir = project(mvs(1))
    const r = await srmv(['generate', '-m', 'initial'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).not.toContain('deployed.d.ts')
    expect(existsSync(types(dir))).toBe(false)
  })

  it('keeps an existing one up to date even for a module of plain exports', async () => {
    const dir = project(mvs(1))
    expect((await srmv(['generate', '-m', 'initial'], { cwd: dir })).code).toBe(0)
    expect((await srmv(['types'], { cwd: dir })).code).toBe(0)
    const before = readFileSync(types(dir), 'utf8')
    writeFileSync(join(dir, 'schema.ts'), mvs(2))
    await new Promise((r) => setTimeout(r, 1100))
    const r = await srmv(['generate', '-m', 'change', '--rebuild', 'swap'], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('deployed.d.ts')
    const after = readFileSync(types(dir), 'utf8')
    expect(after).not.toBe(before)
    expect(after).toContain('_change.snapshot.json')
  })
})
