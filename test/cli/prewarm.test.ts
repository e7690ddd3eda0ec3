import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as pkg from '../../src/index.js'
import { cancelUnusedTransforms, commandOf, optionValue, schemaFileNamedIn, startTransformService } from '../../src/cli/prewarm.js'
import { createModuleLoader } from '../../src/migrate/module-loader.js'
import { esbuildExecutable, esbuildFlags, esbuildOptions, transformFileInChild, transformsStartedAhead } from '../../src/migrate/transform-ahead.js'

const project = (schema = `export const n: number = 1\n`): string => {
  const dir = mkdtempSync(join(tmpdir(), 'srmv-prewarm-'))
  writeFileSync(join(dir, 'srmv.config.ts'), `import { defineConfig } from 'starrocks-mv'\nexport default defineConfig({ schema: './src/schema.ts', migrations: './migrations' })\n`)
  mkdirSync(join(dir, 'src'))
  writeFileSync(join(dir, 'src', 'schema.ts'), schema)
  return dir
}

afterEach(() => {
  transformsStartedAhead().clear()
  vi.unstubAllEnvs()
})

describe('reading the command line before the program loads', () => {
  it('finds the command past global options and their values', () => {
    expect(commandOf(['-C', 'proj', 'generate', '-m', 'x'])).toBe('generate')
    expect(commandOf(['--config', 'a.ts', '--cwd=proj', 'check'])).toBe('check')
    expect(commandOf(['--version'])).toBe('--version')
    expect(commandOf(['--no-color'])).toBeUndefined()
  })

  it('reads -C/--cwd and -c/--config in every form commander takes', () => {
    expect(optionValue(['-C', 'a', 'generate'], '-C', '--cwd')).toBe('a')
    expect(optionValue(['-Ca', 'generate'], '-C', '--cwd')).toBe('a')
    expect(optionValue(['--cwd=a', 'generate'], '-C', '--cwd')).toBe('a')
    expect(optionValue(['generate', '--cwd', 'a'], '-C', '--cwd')).toBe('a')
    expect(optionValue(['generate', '--', '--cwd', 'a'], '-C', '--cwd')).toBeUndefined()
    expect(optionValue(['--config', 'x.ts'], '-C', '--cwd')).toBeUndefined()
  })

  it('takes the schema path from a config that names it as a string, and nothing from one that computes it', () => {
    expect(schemaFileNamedIn('/p/srmv.config.ts', `export default defineConfig({ schema: "./db/schema.ts" })`)).toBe('/p/db/schema.ts')
    expect(schemaFileNamedIn('/p/srmv.config.ts', `export default defineConfig({ schema: join(here, 'schema.ts') })`)).toBeUndefined()
  })
})

describe('transforms started before the program loads', () => {
  it('starts the config and schema transforms for generate, and the loader uses them', async () => {
    const dir = project()
    startTransformService(['generate', '-m', 'x'], dir)
    const started = transformsStartedAhead()
    expect([...started.keys()].sort()).toEqual([join(dir, 'src', 'schema.ts'), join(dir, 'srmv.config.ts')])
    const ns = await createModuleLoader({ packageModule: pkg })(join(dir, 'src', 'schema.ts'))
    expect(ns.n).toBe(1)
    // taken once: a later load transforms the file again
    expect(started.has(join(dir, 'src', 'schema.ts'))).toBe(false)
  })

  it('starts nothing for commands that load no TypeScript, and only the config for those that do not load the schema', () => {
    const dir = project()
    startTransformService(['--version'], dir)
    startTransformService(['init'], dir)
    expect(transformsStartedAhead().size).toBe(0)
    startTransformService(['up', '--sql'], dir)
    expect([...transformsStartedAhead().keys()]).toEqual([join(dir, 'srmv.config.ts')])
  })

  it('follows --cwd and --config', () => {
    const dir = project()
    startTransformService(['-C', dir, 'check'], '/')
    expect(transformsStartedAhead().has(join(dir, 'src', 'schema.ts'))).toBe(true)
    transformsStartedAhead().clear()
    writeFileSync(join(dir, 'other.config.ts'), `export default { schema: './src/schema.ts', migrations: './m' }\n`)
    startTransformService(['--config', 'other.config.ts', 'generate'], dir)
    expect(transformsStartedAhead().has(join(dir, 'other.config.ts'))).toBe(true)
  })

  it('ignores a transform made from text the file no longer holds', async () => {
    const dir = project()
    const file = join(dir, 'src', 'schema.ts')
    startTransformService(['generate'], dir)
    writeFileSync(file, `export const n: number = 2\n`)
    expect((await createModuleLoader({ packageModule: pkg })(file)).n).toBe(2)
  })

  it('does nothing, and throws nothing, without a config or with one that cannot be read', () => {
    const empty = mkdtempSync(join(tmpdir(), 'srmv-prewarm-'))
    expect(() => startTransformService(['generate'], empty)).not.toThrow()
    mkdirSync(join(empty, 'srmv.config.ts'))
    expect(() => startTransformService(['generate'], empty)).not.toThrow()
    expect(transformsStartedAhead().size).toBe(0)
  })

  it('cancels, at the end of a command, a transform no loader took, and the service starts again when needed', async () => {
    // a command that fails before loading its schema must not wait for that schema's transform
    const big = Array.from({ length: 20_000 }, (_, i) => `export const v${i}: number = ${i}\n`).join('')
    const dir = project(big)
    const file = join(dir, 'src', 'schema.ts')
    startTransformService(['generate', '-m', 'x'], dir)
    const pending = transformsStartedAhead().get(file)
    expect(pending).toBeDefined()
    cancelUnusedTransforms()
    expect(transformsStartedAhead().size).toBe(0)
    expect(await pending).toBeUndefined()
    // a later load in the same process transforms the file itself
    expect((await createModuleLoader({ packageModule: pkg })(file)).v19999).toBe(19_999)
  })

  it('leaves the service alone when every transform was taken', () => {
    expect(() => cancelUnusedTransforms()).not.toThrow()
    expect(transformsStartedAhead().size).toBe(0)
  })
})

describe('transforms in a process of their own', () => {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild')
  // TypeScript whose output depends on the options: an enum, a parameter property, a type-only
  // import (left out), a class field, a template with escapes, a decorator-free class expression
  const typescript = [
    `import { type A, mv } from 'starrocks-mv'`,
    `import type { B } from './b'`,
    `export enum Kind { Table = 'table', View = 'view' }`,
    `export class Holder { count: number = 1; constructor(private readonly name: string, public b?: B) {} }`,
    `export const x: A | undefined = undefined as unknown as A`,
    `export const t = \`a\\n\${mv.name}\\u{1F600}\``,
    `export default { kinds: [Kind.Table] satisfies Kind[] }`,
  ].join('\n')

  it('spells the API options as esbuild flags', () => {
    expect(esbuildFlags({ loader: 'ts', logLevel: 'silent', supported: { 'template-literal': false } })).toEqual([
      '--loader=ts',
      '--log-level=silent',
      '--supported:template-literal=false',
    ])
  })

  it('finds the executable the installed esbuild runs, and gives the code the API gives', async () => {
    const executable = esbuildExecutable()
    expect(executable).toBeDefined()
    const dir = mkdtempSync(join(tmpdir(), 'srmv-child-'))
    const file = join(dir, 'schema.ts')
    writeFileSync(file, typescript)
    const child = transformFileInChild(executable as string, file)
    expect(child?.source).toBe(typescript)
    const made = await child?.result
    expect(made?.code).toBe((await esbuild.transform(typescript, esbuildOptions(true, file))).code)
    expect(made?.code).not.toContain('import type')
  })

  it('reads a file with a byte-order mark as the loader does, so that the loader takes its transform', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srmv-child-'))
    const file = join(dir, 'bom.ts')
    writeFileSync(file, `\uFEFFexport const n: number = 4\n`)
    const child = transformFileInChild(esbuildExecutable() as string, file)
    expect(child?.source).toBe('export const n: number = 4\n')
    expect((await child?.result)?.code).toContain('n = 4')
  })

  it('settles with nothing for a file esbuild refuses, one that needs the full transform, and a missing executable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'srmv-child-'))
    const broken = join(dir, 'broken.ts')
    writeFileSync(broken, 'export const = 1\n')
    expect(await transformFileInChild(esbuildExecutable() as string, broken)?.result).toBeUndefined()
    const meta = join(dir, 'meta.ts')
    writeFileSync(meta, 'export const url = import.meta.url\n')
    expect(transformFileInChild(esbuildExecutable() as string, meta)).toBeUndefined()
    expect(transformFileInChild(esbuildExecutable() as string, join(dir, 'missing.ts'))).toBeUndefined()
    expect(transformFileInChild(esbuildExecutable() as string, dir + '/')).toBeUndefined()
    const ok = join(dir, 'ok.ts')
    writeFileSync(ok, 'export const n: number = 1\n')
    expect(await transformFileInChild(join(dir, 'no-such-esbuild'), ok)?.result).toBeUndefined()
  })

  it('loads the schema module when esbuild\'s executable is not where ESBUILD_BINARY_PATH says', async () => {
    vi.stubEnv('ESBUILD_BINARY_PATH', join(tmpdir(), 'no-such-esbuild'))
    const dir = project(`export const n: number = 3\n`)
    startTransformService(['generate', '-m', 'x'], dir)
    const file = join(dir, 'src', 'schema.ts')
    expect(await transformsStartedAhead().get(file)).toBeUndefined()
    vi.unstubAllEnvs()
    expect((await createModuleLoader({ packageModule: pkg })(file)).n).toBe(3)
  })
})
