import type { TableDefinition, ViewDefinition } from '../model/index.js'
import { isManagedTable, isView, tableDefinition } from '../schema/index.js'
import type { ModuleLoader } from './module-loader.js'

/**
 * The managed tables and views a schema module exports (named exports; unmanaged table references
 * are skipped): they join the MVs in the desired state.
 */
export const collectTablesAndViews = (ns: Readonly<Record<string, unknown>>): (TableDefinition | ViewDefinition)[] => {
  const out: (TableDefinition | ViewDefinition)[] = []
  for (const [name, value] of Object.entries(ns)) {
    if (name === 'default') continue
    if (isManagedTable(value)) out.push(value[tableDefinition])
    else if (isView(value)) out.push(value.definition)
  }
  return out
}

/** Load a schema module and collect its managed tables and views. */
export const loadTablesAndViews = async (file: string, load: ModuleLoader): Promise<(TableDefinition | ViewDefinition)[]> =>
  collectTablesAndViews(await load(file))
