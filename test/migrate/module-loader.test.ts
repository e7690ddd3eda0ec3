import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as pkg from '../../src/index.js'
import { createModuleLoader } from '../../src/migrate/module-loader.js'

const dir = mkdtempSync(join(tmpdir(), 'srmv-loader-'))
const write = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
const load = createModuleLoader({ packageModule: pkg })

describe('the module loader', () => {
  it('loads TypeScript with types, enums and the package import', async () => {
    const file = write(
      'a.ts',
      `import { mv, sql } from 'starrocks-mv'
import type { MvDefinition } from 'starrocks-mv'
enum Unit { Day = 'DAY' }
const every: \`1 \${Unit}\` = \`1 \${Unit.Day}\`
export const m = mv('m').refresh.async({ every }).as(sql\`SELECT 1\`)
export const kind: MvDefinition['kind'] = m.definition.kind
export default { every }
`,
    )
    const ns = await load(file)
    expect((ns.m as pkg.MaterializedView).toSQL()).toContain('REFRESH ASYNC EVERY (INTERVAL 1 DAY)')
    expect(ns.kind).toBe('MvDefinition')
    expect(ns.default).toEqual({ every: '1 DAY' })
  })

  it('loads files that use import.meta and top-level await', async () => {
    const meta = write('meta.ts', `export const here: string = import.meta.url\n`)
    expect(String((await load(meta)).here)).toContain('meta.ts')
    const tla = write('tla.ts', `const value: number = await Promise.resolve(42)\nexport { value }\n`)
    expect((await load(tla)).value).toBe(42)
  })

  it('keeps what template literals mean: one frozen strings array per call site, raw text, invalid escapes, values converted to strings', async () => {
    const file = write(
      'templates.ts',
      `const tag = (s: TemplateStringsArray, ..._v: unknown[]) => s
const site = () => tag\`a\${1}b\\n\`
export const first = site()
export const again = site()
export const other = tag\`a\${1}b\\n\`
export const bad = tag\`\\unicode\`
export const octal = tag\`\\1\${0}\\8\${0}\\u{110000}\`
export const raw = String.raw\`x\\ty\${2}\`
const value = { toString: () => 'text', valueOf: () => 42 }
export const plain = \`<\${value}>\`
export const multi = \`line 1
line 2\`
`,
    )
    const ns = await load(file)
    const first = ns.first as TemplateStringsArray
    expect(ns.again).toBe(first)
    expect(ns.other).not.toBe(first)
    expect([...first]).toEqual(['a', 'b\n'])
    expect([...first.raw]).toEqual(['a', 'b\\n'])
    expect(Object.isFrozen(first) && Object.isFrozen(first.raw)).toBe(true)
    expect(Object.keys(first)).toEqual(['0', '1'])
    const bad = ns.bad as TemplateStringsArray
    expect(bad[0]).toBeUndefined()
    expect(bad.raw[0]).toBe('\\unicode')
    // invalid escapes stay unread (a transform that lowers templates may cook them into other text)
    const octal = ns.octal as TemplateStringsArray
    expect([...octal]).toEqual([undefined, undefined, undefined])
    expect([...octal.raw]).toEqual(['\\1', '\\8', '\\u{110000}'])
    expect(ns.raw).toBe('x\\ty2')
    expect(ns.plain).toBe('<text>')
    expect(ns.multi).toBe('line 1\nline 2')
  })

  it('refuses a sql template holding an escape JavaScript cannot read, naming the file and the text', async () => {
    const file = write('escape.ts', `import { mv, sql } from 'starrocks-mv'\nexport const m = mv('m').as(sql\`SELECT regexp_replace(s, '(a)', '\\1') FROM t\`)\n`)
    await expect(load(file)).rejects.toThrow(/escape\.ts failed to load: sql`\.\.\.`: the text ".*'\\\\1'.*" holds an escape JavaScript cannot read/s)
  })

  it('reads each export once, into a data property', async () => {
    const file = write(
      'once.ts',
      `let reads = 0
const counted = { get value() { reads++; return reads } }
export const first = counted.value
export const nested = { n: 1 }
export const __reads = () => reads
`,
    )
    const ns = await load(file)
    for (const key of ['first', 'nested', '__reads']) {
      const d = Object.getOwnPropertyDescriptor(ns, key)
      expect(d?.get).toBeUndefined()
      expect(d?.enumerable).toBe(true)
    }
    expect(Object.keys(ns).sort()).toEqual(['__reads', 'first', 'nested'])
    expect([ns.first, ns.first]).toEqual([1, 1])
    expect(ns.nested).toEqual({ n: 1 })
  })

  it('names the export whose getter throws', async () => {
    const file = write('getter.ts', `module.exports = { ok: 1, get bad() { throw new Error('no value here') } }\n`)
    await expect(load(file)).rejects.toThrow(`${file}: reading its export "bad" threw: no value here. Fix the file and run again.`)
    await expect(load(file)).rejects.toMatchObject({ code: 'MODULE_LOAD_ERROR', details: { export: 'bad', file } })
  })

  it('reads a changed file again', async () => {
    const file = write('c.ts', `export const n: number = 1\n`)
    expect((await load(file)).n).toBe(1)
    write('c.ts', `export const n: number = 2\n`)
    expect((await load(file)).n).toBe(2)
  })

  it('names the file and the way out on a syntax error', async () => {
    const file = write('bad.ts', `export const x = {\n`)
    await expect(load(file)).rejects.toThrow(/bad\.ts failed to load: .*Fix the file and run again/s)
  })
})
