import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireBuiltCli, srmv } from '../cli/run-cli.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const TSC = join(root, 'node_modules/typescript/bin/tsc')

const WAYS_OUT = "Add .rebuild('swap') or .rebuild('drop-create'), or give it a new name without .renamedFrom() (a new MV; the old is dropped)."
const BUCKETS_MESSAGE = `analytics.daily_sales_mv: BUCKETS changed, and StarRocks cannot ALTER it. ${WAYS_OUT} Deployed: 8; new: 16.`

const tsc = (project: string): Promise<{ code: number; output: string }> =>
  new Promise((done) => {
    execFile(process.execPath, [TSC, '-p', project, '--pretty', 'false'], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: `${stdout}${stderr}` })
    })
  })

const edit = (file: string, from: string, to: string): void => {
  const text = readFileSync(file, 'utf8')
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`)
  writeFileSync(file, text.replace(from, to))
}

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
}

/**
 * A folder laid out like this repository around a copy of examples/shop: `src` links to the
 * package source (the example imports '../../src/index.js'), and node_modules holds the
 * repository's packages plus `starrocks-mv` itself (the config and migrations import it by name).
 */
const layOut = (base: string, shopImport?: string): string => {
  mkdirSync(join(base, 'examples'), { recursive: true })
  const shop = join(base, 'examples/shop')
  cpSync(join(root, 'examples/shop'), shop, { recursive: true })
  symlinkSync(join(root, 'src'), join(base, 'src'), 'dir')
  mkdirSync(join(base, 'node_modules'))
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    symlinkSync(join(root, 'node_modules', entry), join(base, 'node_modules', entry), 'dir')
  }
  symlinkSync(root, join(base, 'node_modules/starrocks-mv'), 'dir')
  writeFileSync(join(base, 'package.json'), '{ "type": "module", "private": true }\n')
  writeFileSync(join(shop, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  if (shopImport !== undefined) edit(join(shop, 'schema.ts'), "'../../src/index.js'", `'${shopImport}'`)
  return shop
}

const BUCKETS_8 = ".distributedBy.hash('order_date', { buckets: 8 })"
const BUCKETS_16 = ".distributedBy.hash('order_date', { buckets: 16 })"

describe('examples/shop: a deployed MV changed in the schema module', () => {
  let base: string
  beforeAll(() => {
    requireBuiltCli()
    base = mkdtempSync(join(tmpdir(), 'srmv-shop-types-'))
  })
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it('more buckets turn tsc red with what to do; .rebuild(\'swap\') turns it green and generates a swap migration', async () => {
    const shop = layOut(join(base, 'relative'))
    const schema = join(shop, 'schema.ts')

    const before = await tsc(shop)
    expect(before.output).toBe('')
    expect(before.code).toBe(0)

    edit(schema, BUCKETS_8, BUCKETS_16)
    const red = await tsc(shop)
    expect(red.code).not.toBe(0)
    expect(red.output).toContain(`schema.ts(`)
    expect(red.output).toContain(`is not assignable to type '"${BUCKETS_MESSAGE}"'`)
    // without the acknowledgement srmv generate refuses as well
    const refused = await srmv(['generate', '-m', 'more buckets'], { cwd: shop })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('BUCKETS')

    edit(schema, BUCKETS_16, `${BUCKETS_16}\n  .rebuild('swap')`)
    const green = await tsc(shop)
    expect(green.output).toBe('')
    expect(green.code).toBe(0)

    const generated = await srmv(['generate', '-m', 'more buckets'], { cwd: shop })
    expect(generated.code, generated.stderr).toBe(0)
    expect(generated.stdout).toContain('deployed.d.ts')
    const file = readdirSync(join(shop, 'migrations')).find((f) => f.endsWith('_more_buckets.ts'))
    expect(file).toBeDefined()
    const migration = readFileSync(join(shop, 'migrations', file as string), 'utf8')
    expect(migration).toContain('daily_sales_mv__srmv_new')
    expect(migration).toMatch(/swapWith/)
    const sql = await srmv(['up', '--sql'], { cwd: shop })
    expect(sql.code, sql.stderr).toBe(0)
    expect(sql.stdout).toMatch(/SWAP WITH `daily_sales_mv__srmv_new`|SWAP WITH `analytics`\.`daily_sales_mv__srmv_new`/)

    // the declaration now records 16 buckets: the schema compiles with or without the acknowledgement
    expect(readFileSync(join(shop, 'migrations/deployed.d.ts'), 'utf8')).toContain('readonly buckets: 16')
    edit(schema, `${BUCKETS_16}\n  .rebuild('swap')`, BUCKETS_16)
    expect((await tsc(shop)).code).toBe(0)
  }, 240_000)

  it('works the same where the schema module imports the installed package by name', async () => {
    const shop = layOut(join(base, 'installed'), 'starrocks-mv')
    expect((await tsc(shop)).code).toBe(0)
    edit(join(shop, 'schema.ts'), BUCKETS_8, BUCKETS_16)
    const red = await tsc(shop)
    expect(red.code).not.toBe(0)
    expect(red.output).toContain(`is not assignable to type '"${BUCKETS_MESSAGE}"'`)
  }, 120_000)
})
