import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { desiredState, diff, snapshot } from '../../src/diff/index.js'
import { renderDeployedTypes } from '../../src/migrate/deployed-types.js'
import { isSchemaDefinition, type SchemaDefinition } from '../../src/migrate/define-schema.js'
import { MvDefinition, type SchemaState } from '../../src/model/index.js'
import { deployed } from '../../type-tests/deployed/deployed-mvs.js'
import { typeCheck } from './compile.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const fixtures = join(root, 'type-tests/deployed')
const rejectedFile = join(fixtures, 'rejected.ts')
const acceptedFile = join(fixtures, 'accepted.ts')

const WAYS_OUT = "Add .rebuild('swap') or .rebuild('drop-create'), or give it a new name without .renamedFrom() (a new MV; the old is dropped)."

/** `// @refused mv | attribute | deployed | new` pins the error of the next line. */
const pinned = (file: string): Map<number, string> => {
  const out = new Map<number, string>()
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const m = /\/\/ @refused (.+)$/.exec(line)
      if (m === null) return
      const parts = (m[1] as string).split(' | ')
      expect(parts, `marker on line ${i + 1}`).toHaveLength(4)
      const [mv, attribute, from, to] = parts as [string, string, string, string]
      out.set(i + 2, `${mv}: ${attribute} changed, and StarRocks cannot ALTER it. ${WAYS_OUT} Deployed: ${from}; new: ${to}.`)
    })
  return out
}

/** How TypeScript prints a string literal type in a message. */
const literalType = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`

/** The edits of rejected.ts, each acknowledged: `.rebuild('swap')` and `.rebuild('drop-create')` in turn. */
const acknowledged = (text: string): string => {
  let n = 0
  return text
    .replaceAll(/\/\/ @refused .*$/gm, '')
    .replaceAll('.as(', () => `.rebuild('${n++ % 2 === 0 ? 'swap' : 'drop-create'}').as(`)
    .replaceAll("'../../src/index.js'", `'${join(root, 'src/index.js')}'`)
    .replaceAll("'./deployed-mvs.js'", `'${join(fixtures, 'deployed-mvs.js')}'`)
}

const schemas = (ns: Record<string, unknown>): [string, SchemaDefinition][] =>
  Object.entries(ns).filter((e): e is [string, SchemaDefinition] => isSchemaDefinition(e[1]))

const plan = (from: SchemaState, schema: SchemaDefinition, change: (d: MvDefinition) => MvDefinition = (d) => d) =>
  diff(from, desiredState(Object.values(schema.mvs).map((m) => change(m.definition))))

describe('defineSchema against the deployed declaration', () => {
  let dir: string
  let declaration: string
  let state: SchemaState
  let program: ts.Program | undefined

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'srmv-deployed-types-'))
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    state = snapshot(deployed)
    declaration = join(dir, 'deployed.d.ts')
    writeFileSync(declaration, renderDeployedTypes(state))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const check = (rootNames: string[], files: string[]) => {
    const r = typeCheck(rootNames, files, program)
    program = r.program
    return r.errors
  }

  it('refuses at least 15 immutable edits, each with its pinned message at its entry', () => {
    const expected = pinned(rejectedFile)
    expect(expected.size).toBeGreaterThanOrEqual(15)
    const errors = check([rejectedFile, declaration], [rejectedFile])
    const byLine = new Map(errors.map((e) => [e.line, e.message]))
    for (const [line, message] of expected) {
      expect(byLine.get(line), `rejected.ts:${line}`).toContain(`is not assignable to type '${literalType(message)}'`)
    }
    expect(errors.map((e) => e.line).sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b))
  })

  it('accepts the same edits acknowledged with .rebuild()', () => {
    const file = join(dir, 'acknowledged.ts')
    writeFileSync(file, acknowledged(readFileSync(rejectedFile, 'utf8')))
    expect(readFileSync(file, 'utf8').match(/\.rebuild\('(swap|drop-create)'\)/g)?.length).toBeGreaterThanOrEqual(16)
    expect(check([file, declaration], [file])).toEqual([])
  })

  it('accepts alterable edits, equal values written differently, new MVs and what it cannot see', () => {
    expect(check([acceptedFile, declaration], [acceptedFile])).toEqual([])
  })

  it('accepts everything without a deployed declaration', () => {
    expect(check([rejectedFile, acceptedFile], [rejectedFile, acceptedFile])).toEqual([])
  })

  it('the differ refuses every refused edit, and plans it as a rebuild once acknowledged', async () => {
    const ns = (await import(pathToFileURL(rejectedFile).href)) as Record<string, unknown>
    const cases = schemas(ns)
    expect(cases.length).toBeGreaterThanOrEqual(15)
    for (const [name, schema] of cases) {
      const refused = plan(state, schema)
      expect(refused.problems.length, name).toBeGreaterThan(0)
      expect(refused.problems.every((p) => p.code === 'IMMUTABLE_CHANGE'), name).toBe(true)
      const dropCreate = plan(state, schema, (d) => MvDefinition.with(d, { rebuild: 'drop-create' }))
      expect(dropCreate.problems, name).toEqual([])
      expect(dropCreate.rebuilt.length, name).toBeGreaterThan(0)
      // SWAP WITH works on asynchronous MVs only
      if (!/sync/i.test(name)) {
        const swap = plan(state, schema, (d) => MvDefinition.with(d, { rebuild: 'swap' }))
        expect(swap.problems, name).toEqual([])
        expect(swap.rebuilt.length, name).toBeGreaterThan(0)
      }
    }
  })

  it('the differ plans every accepted edit without a rebuild, except what the type checker cannot see', async () => {
    const ns = (await import(pathToFileURL(acceptedFile).href)) as Record<string, unknown>
    const unseen = new Set(['queryChanged', 'notLiterals'])
    for (const [name, schema] of schemas(ns)) {
      const p = plan(state, schema)
      if (unseen.has(name)) expect(p.problems.length, name).toBeGreaterThan(0)
      else {
        expect(p.problems, name).toEqual([])
        expect(p.rebuilt, name).toEqual([])
      }
    }
  })
})
