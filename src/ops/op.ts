import type { AlterChange, MvDefinition, QualifiedName, TableAlterChange, TableDefinition, ViewDefinition } from '../model/index.js'
import type { RefreshPartition } from '../render/render-refresh.js'

export type { AlterChange, TableAlterChange }

/**
 * A migration operation: frozen plain data with a `kind`. JSON round-trips: an op rebuilt from
 * `JSON.parse(JSON.stringify(op))` renders the same SQL.
 */
export type Op =
  | { readonly kind: 'createMaterializedView'; readonly definition: MvDefinition; readonly ifNotExists: boolean }
  | {
      readonly kind: 'dropMaterializedView'
      readonly target: QualifiedName
      readonly ifExists: boolean
      readonly force: boolean
      /** The definition that is dropped, when known: makes the drop reversible. */
      readonly definition?: MvDefinition
    }
  | { readonly kind: 'alterMaterializedView'; readonly target: QualifiedName; readonly changes: readonly AlterChange[] }
  | {
      readonly kind: 'refreshMaterializedView'
      readonly target: QualifiedName
      /** A range `{ start, end }` or list partition `{ values }`. */
      readonly partition?: RefreshPartition
      readonly force: boolean
      /** Wait for the refresh to finish (`WITH SYNC MODE`). */
      readonly wait: boolean
      /** `WITH PRIORITY n` (3.4+). */
      readonly priority?: number
    }
  | { readonly kind: 'cancelRefreshMaterializedView'; readonly target: QualifiedName; readonly force: boolean }
  | { readonly kind: 'execute'; readonly sql: string; readonly down?: string }
  | { readonly kind: 'createTable'; readonly definition: TableDefinition; readonly ifNotExists: boolean }
  | {
      readonly kind: 'dropTable'
      readonly target: QualifiedName
      readonly ifExists: boolean
      readonly force: boolean
      /** The definition that is dropped, when known: makes the drop reversible (the data is not). */
      readonly definition?: TableDefinition
    }
  | { readonly kind: 'alterTable'; readonly target: QualifiedName; readonly changes: readonly TableAlterChange[] }
  /**
   * `INSERT INTO to (columns) SELECT columns FROM from`: the copy step of a table rebuild (the
   * columns both tables have; the others of `to` take their defaults).
   */
  | { readonly kind: 'copyRows'; readonly from: QualifiedName; readonly to: QualifiedName; readonly columns: readonly string[] }
  | { readonly kind: 'createView'; readonly definition: ViewDefinition; readonly ifNotExists: boolean }
  | { readonly kind: 'dropView'; readonly target: QualifiedName; readonly ifExists: boolean; readonly definition?: ViewDefinition }
  /** `ALTER VIEW ... AS`: the view's new query (and column list); `previous` makes it reversible. */
  | { readonly kind: 'alterView'; readonly definition: ViewDefinition; readonly previous?: ViewDefinition }

/** The `kind`s of {@link Op}. */
export type OpKind = Op['kind']
