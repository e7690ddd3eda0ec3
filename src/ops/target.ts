import { StarRocksMvError } from '../errors.js'
import { QualifiedName, type MvDefinition } from '../model/index.js'

/** Anything that names an MV: a builder or definition (its name and schema), `{ schema?, name }`, or `'db.name'` / `'name'`. */
export type MvTarget = string | QualifiedName | { readonly definition: MvDefinition }

const hasDefinition = (x: unknown): x is { readonly definition: MvDefinition } =>
  typeof x === 'object' && x !== null && 'definition' in x && (x as { definition?: { kind?: unknown } }).definition?.kind === 'MvDefinition'

/** The definition behind a target, when the target carries one. */
export const definitionOf = (target: MvTarget | MvDefinition): MvDefinition | undefined => {
  if (typeof target === 'object' && target !== null && (target as MvDefinition).kind === 'MvDefinition') return target as MvDefinition
  return hasDefinition(target) ? target.definition : undefined
}

/**
 * Resolve a target to a {@link QualifiedName}. A string is split at its first dot (`'analytics.daily_sales'`);
 * for names that contain dots, pass `{ schema, name }`.
 */
export const toQualifiedName = (target: MvTarget | MvDefinition, what = 'materialized view'): QualifiedName => {
  const def = definitionOf(target)
  if (def !== undefined) return QualifiedName.create(def.name, def.schema)
  if (typeof target === 'string') {
    const dot = target.indexOf('.')
    const [schema, name] = dot < 0 ? [undefined, target] : [target.slice(0, dot), target.slice(dot + 1)]
    if (name === '' || schema === '') {
      throw new StarRocksMvError('INVALID_NAME', `Invalid ${what} name "${target}": expected "name" or "database.name".`, { target })
    }
    return QualifiedName.create(name, schema)
  }
  if (typeof target === 'object' && target !== null && typeof (target as QualifiedName).name === 'string' && (target as QualifiedName).name !== '') {
    const q = target as QualifiedName
    return QualifiedName.create(q.name, q.schema)
  }
  throw new StarRocksMvError(
    'INVALID_NAME',
    `Invalid ${what}: expected an MV, its definition, { schema?, name } or a "database.name" string.`,
    { target: String(target) },
  )
}
