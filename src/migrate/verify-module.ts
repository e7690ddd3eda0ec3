import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeChange, desiredState, diff } from '../diff/index.js'
import type { SchemaState } from '../model/index.js'
import { collectTablesAndViews } from './load-objects.js'
import { collectSchema } from './load-schema.js'
import type { ModuleLoader } from './module-loader.js'

/**
 * Load the source of a schema module (from a temporary file, with `load`) and compare the state it
 * declares with `expected` (`diff`, compared as a server's state when `expected` came from one).
 * Returns one sentence per difference: none when the module gives back `expected`; a single one
 * when the module does not load.
 *
 * @example
 * ```ts
 * const differences = await verifySchemaModule(schemaModuleFromState(state).source, state, createModuleLoader())
 * // [] : the module equals the server
 * ```
 */
export const verifySchemaModule = async (source: string, expected: SchemaState, load: ModuleLoader): Promise<string[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'srmv-verify-'))
  const file = join(dir, 'schema.ts')
  try {
    writeFileSync(file, source, { flag: 'wx' })
    let desired: SchemaState
    try {
      const ns = await load(file)
      desired = desiredState([...collectSchema(ns, file).map((e) => e.definition), ...collectTablesAndViews(ns)])
    } catch (e) {
      return [`the written module does not load: ${e instanceof Error ? e.message.replaceAll(`${file}: `, '') : String(e)}`]
    }
    const plan = diff(expected, desired)
    return [...plan.changes.map((c) => describeChange(c).summary), ...plan.problems.map((p) => p.message)]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
