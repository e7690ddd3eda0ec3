import { freezeDeep, stripUndefined } from './freeze.js'
import type { MvColumn } from './mv-definition.js'
import type { QualifiedName } from './qualified-name.js'

/** `SECURITY NONE | INVOKER` of a view (StarRocks 3.4.1+): whose privileges the view's query runs with. */
export type ViewSecurity = 'NONE' | 'INVOKER'

/**
 * A logical view as plain, frozen, JSON-serialisable data: what `view(...)` produces, CREATE / ALTER
 * VIEW render, the SHOW CREATE VIEW parser reads back and the differ compares.
 */
export interface ViewDefinition {
  readonly kind: 'ViewDefinition'
  readonly name: string
  /** The database; absent means the connection's current database. */
  readonly schema?: string
  /** The column list: names (and comments) for the query's columns, in order. */
  readonly columns?: readonly MvColumn[]
  readonly comment?: string
  readonly security?: ViewSecurity
  /** The defining query (SQL text). */
  readonly query: string
  /** Tables, views and MVs the query reads (from typed references in the `sql` tag, or parsed). */
  readonly dependencies: readonly QualifiedName[]
  /** Intent: this view was previously named so. Not part of the deployed state. */
  readonly renamedFrom?: string
}

type Fields = Omit<ViewDefinition, 'kind'>
type Input = Omit<Fields, 'dependencies'> & Partial<Pick<Fields, 'dependencies'>>

/** The only way to make a {@link ViewDefinition}: fills defaults, drops `undefined` fields, freezes deeply. */
export const ViewDefinition = {
  create(fields: Input): ViewDefinition {
    return freezeDeep(stripUndefined({ kind: 'ViewDefinition' as const, dependencies: [], ...structuredClone(stripUndefined(fields)) })) as ViewDefinition
  },
  /** A copy with some fields replaced; a field set to `undefined` is removed. */
  with(def: ViewDefinition, change: { readonly [K in keyof Fields]?: Fields[K] | undefined }): ViewDefinition {
    const { kind: _kind, ...rest } = { ...def, ...change }
    return ViewDefinition.create(rest as Input)
  },
  /** Rebuild a definition from parsed JSON (e.g. a snapshot file), validating its shape loosely. */
  fromJSON(json: unknown): ViewDefinition {
    if (json === null || typeof json !== 'object' || (json as { kind?: unknown }).kind !== 'ViewDefinition') {
      throw new TypeError('Not a ViewDefinition: expected an object with kind "ViewDefinition".')
    }
    const { kind: _kind, ...rest } = json as ViewDefinition
    if (typeof rest.name !== 'string' || typeof rest.query !== 'string') throw new TypeError('Not a ViewDefinition: "name" and "query" must be strings.')
    return ViewDefinition.create(rest)
  },
}
