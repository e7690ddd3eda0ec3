import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { snapshot } from '../../src/diff/index.js'
import { renderDeployedTypes } from '../../src/migrate/deployed-types.js'
import { mv, sql, table } from '../../src/index.js'
import { typeCheck } from './compile.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

const orders = table('orders', { id: 'BIGINT', dt: 'DATE', amount: 'DECIMAL(10, 2)' }, { schema: 'shop' })
const deployed = mv('daily')
  .schema('shop')
  .columns('dt', 'total', 'n')
  .refresh.manual()
  .as(sql`SELECT ${orders.dt}, sum(${orders.amount}) AS total, count(${orders.id}) AS n FROM ${orders} GROUP BY ${orders.dt}`)

const ALTERABLE = ["'dt', 'total', 'n', 'biggest'", "'dt', 'n'", "'dt', 'total'"]
const NOT_ALTERABLE = ["'dt', 'n', 'total'", "'dt', 'total', 'n', 'a', 'b'", "'dt'", "'x', 'total', 'n'"]

/** One schema module with one `defineSchema` per column list, one per line (line i + 3 holds case i). */
const schemaModule = (lists: readonly string[]): string =>
  [
    `import { defineSchema, mv } from '${join(root, 'src/index.js')}'`,
    '',
    ...lists.map((columns, i) => `export const s${i} = defineSchema({ daily: mv('daily').schema('shop').columns(${columns}).refresh.manual().as('SELECT 1') })`),
    '',
  ].join('\n')

describe('deployed.d.ts on StarRocks 4.2+: a column appended or removed is left to srmv generate', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'srmv-columns-alterable-'))
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('marks async MVs columnsAlterable only for 4.2+', () => {
    expect(renderDeployedTypes(snapshot([deployed]), { version: '4.2' })).toContain('readonly columnsAlterable: true')
    expect(renderDeployedTypes(snapshot([deployed]), { version: '4.1' })).not.toContain('columnsAlterable')
    expect(renderDeployedTypes(snapshot([deployed]))).not.toContain('columnsAlterable')
  })

  const cases = [...ALTERABLE, ...NOT_ALTERABLE]
  /** The error lines (1-based case index) of the module checked against the declaration for `version`. */
  const failing = (version: string): Map<number, string> => {
    const declaration = join(dir, `deployed-${version}.d.ts`)
    writeFileSync(declaration, renderDeployedTypes(snapshot([deployed]), { version }))
    const file = join(dir, `schema-${version}.ts`)
    writeFileSync(file, schemaModule(cases))
    return new Map(typeCheck([file, declaration], [file]).errors.map((e) => [e.line - 2, e.message]))
  }
  const refused = 'shop.daily: the column list changed, and StarRocks cannot ALTER it.'

  it('accepts one column appended or removed on 4.2, and still refuses other column list changes', () => {
    const byCase = failing('4.2')
    cases.forEach((columns, i) => {
      if (i < ALTERABLE.length) expect(byCase.get(i + 1), columns).toBeUndefined()
      else expect(byCase.get(i + 1), columns).toContain(refused)
    })
  }, 120_000)

  it('refuses every column list change on 4.1', () => {
    const byCase = failing('4.1')
    cases.forEach((columns, i) => expect(byCase.get(i + 1), columns).toContain(refused))
  }, 120_000)
})
