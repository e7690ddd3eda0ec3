import type { MvDefinition, MvStatus } from './mv-definition.js'
import { QualifiedName } from './qualified-name.js'
import type { TableDefinition } from './table-definition.js'
import type { ViewDefinition } from './view-definition.js'

/** The current snapshot format; bumped on incompatible changes. */
export const SCHEMA_STATE_FORMAT = 1

/**
 * Where a {@link SchemaState} came from. `'server'`: read from a live server (`reflect`), so its
 * queries and properties are as the server prints them; `diff` then compares canonically (see
 * `DiffOptions.compare`). Absent: a snapshot or a desired state.
 */
export type SchemaStateOrigin = 'server'

/**
 * A set of MVs at one moment: the desired state (from a schema module), the state recorded after a
 * migration (snapshots), or the state read from a live server (`reflect`). Plain JSON, MVs sorted by
 * qualified name.
 */
export interface SchemaState {
  readonly kind: 'SchemaState'
  readonly format: typeof SCHEMA_STATE_FORMAT
  readonly mvs: readonly MvDefinition[]
  /**
   * Managed tables (and views), sorted by qualified name. Absent in states without any, so snapshots
   * written before tables were managed read back unchanged.
   */
  readonly tables?: readonly TableDefinition[]
  /** Managed views, sorted by qualified name; absent in states without any. */
  readonly views?: readonly ViewDefinition[]
  /** Live status per MV, keyed by `QualifiedName.key`; only in reflected states. */
  readonly status?: Readonly<Record<string, MvStatus>>
  /** The server version a reflected state was read from. */
  readonly serverVersion?: string
  /** `'server'` for a state read from a live server; absent for snapshots and desired states. */
  readonly origin?: SchemaStateOrigin
}

/**
 * A copy of `items` sorted by qualified key (stable: equal keys keep their order). Each key is made
 * once, and a list already in order (a parsed snapshot) is not sorted again.
 */
const byKey = <T extends QualifiedName>(items: readonly T[]): T[] => {
  const keys = items.map((x) => QualifiedName.key(x))
  let inOrder = true
  for (let i = 1; i < keys.length && inOrder; i++) if (cmp(keys[i - 1] as string, keys[i] as string) > 0) inOrder = false
  if (inOrder) return [...items]
  const order = keys.map((_, i) => i).sort((a, b) => cmp(keys[a] as string, keys[b] as string) || a - b)
  return order.map((i) => items[i] as T)
}

/** Helpers for {@link SchemaState}. */
export const SchemaState = {
  create(
    mvs: readonly MvDefinition[],
    extra: { status?: Record<string, MvStatus>; serverVersion?: string; tables?: readonly TableDefinition[]; views?: readonly ViewDefinition[]; origin?: SchemaStateOrigin } = {},
  ): SchemaState {
    const sorted = byKey(mvs)
    const tables = byKey(extra.tables ?? [])
    const views = byKey(extra.views ?? [])
    return Object.freeze({
      kind: 'SchemaState' as const,
      format: SCHEMA_STATE_FORMAT,
      mvs: Object.freeze(sorted),
      ...(tables.length === 0 ? {} : { tables: Object.freeze(tables) }),
      ...(views.length === 0 ? {} : { views: Object.freeze(views) }),
      ...(extra.status === undefined ? {} : { status: Object.freeze({ ...extra.status }) }),
      ...(extra.serverVersion === undefined ? {} : { serverVersion: extra.serverVersion }),
      ...(extra.origin === undefined ? {} : { origin: extra.origin }),
    })
  },
  empty(): SchemaState {
    return SchemaState.create([])
  },
  /** The managed tables of a state ([] for states without any). */
  tables(state: SchemaState): readonly TableDefinition[] {
    return state.tables ?? []
  },
  find(state: SchemaState, q: QualifiedName): MvDefinition | undefined {
    return state.mvs.find((m) => QualifiedName.equals(m, q))
  },
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
