import type { TableDefinition, ViewDefinition } from '../model/index.js'
import { isManagedTable, isView, tableDefinition } from '../schema/index.js'
import { isSchemaDefinition } from './define-schema.js'
import type { ModuleLoader } from './module-loader.js'

/**
 * The managed tables and views a schema module exports (named exports, and the entries of
 * `export default defineSchema({...})`; unmanaged table references are skipped): they join the MVs
 * in the desired state. One object exported and listed in `defineSchema` counts once.
 */
export const collectTablesAndViews = (ns: Readonly<Record<string, unknown>>): (TableDefinition | ViewDefinition)[] => {
  const out: (TableDefinition | ViewDefinition)[] = []
  const seen = new Set<TableDefinition | ViewDefinition>()
  const add = (value: unknown): void => {
    const def = isManagedTable(value) ? value[tableDefinition] : isView(value) ? value.definition : undefined
    if (def === undefined || seen.has(def)) return
    seen.add(def)
    out.push(def)
  }
  for (const [name, value] of Object.entries(ns)) {
    if (isSchemaDefinition(value)) for (const entry of Object.values((value.members as Readonly<Record<string, unknown>> | undefined) ?? value.mvs)) add(entry)
    else if (name !== 'default') add(value)
  }
  return out
}

/** Load a schema module and collect its managed tables and views. */
export const loadTablesAndViews = async (file: string, load: ModuleLoader): Promise<(TableDefinition | ViewDefinition)[]> =>
  collectTablesAndViews(await load(file))
