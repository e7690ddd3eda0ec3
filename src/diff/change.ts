import type { Distribution, MvColumn, MvDefinition, MvIndex, RefreshSpec } from '../model/index.js'

/**
 * One difference between two states, found by `diff`. `mv` is the qualified key
 * (`db.name` or `name`) of the MV in the desired state (for `removed`: in the old state).
 *
 * Property changes say whether `ALTER ... SET` can apply them (`alterable`); every other attribute
 * change except refresh and rename needs a rebuild.
 */
export type Change =
  | { readonly kind: 'added'; readonly mv: string; readonly definition: MvDefinition }
  | { readonly kind: 'removed'; readonly mv: string; readonly definition: MvDefinition }
  | { readonly kind: 'renamed'; readonly mv: string; readonly from: string; readonly definition: MvDefinition; readonly previous: MvDefinition }
  | { readonly kind: 'refreshChanged'; readonly mv: string; readonly from: RefreshSpec; readonly to: RefreshSpec }
  | { readonly kind: 'propertyAdded'; readonly mv: string; readonly key: string; readonly to: string; readonly alterable: boolean }
  | {
      readonly kind: 'propertyChanged'
      readonly mv: string
      readonly key: string
      readonly from: string
      readonly to: string
      readonly alterable: boolean
    }
  | {
      readonly kind: 'propertyRemoved'
      readonly mv: string
      readonly key: string
      readonly from: string
      readonly alterable: boolean
      /** The catalog default it goes back to, when known. */
      readonly resetTo?: string
    }
  | {
      readonly kind: 'queryChanged'
      readonly mv: string
      readonly from: string
      readonly to: string
      /** A unified diff of the two queries, one clause per line. */
      readonly textDiff: string
      /** True when the difference may only be the server's rewrite of the query (live comparisons). */
      readonly mayBeRewrite: boolean
    }
  | { readonly kind: 'columnsChanged'; readonly mv: string; readonly from?: readonly MvColumn[]; readonly to?: readonly MvColumn[] }
  | { readonly kind: 'indexesChanged'; readonly mv: string; readonly from?: readonly MvIndex[]; readonly to?: readonly MvIndex[] }
  | { readonly kind: 'commentChanged'; readonly mv: string; readonly from?: string; readonly to?: string }
  | { readonly kind: 'partitionByChanged'; readonly mv: string; readonly from?: readonly string[]; readonly to?: readonly string[] }
  | { readonly kind: 'distributionChanged'; readonly mv: string; readonly from?: Distribution; readonly to?: Distribution }
  | { readonly kind: 'bucketsChanged'; readonly mv: string; readonly from?: number; readonly to?: number }
  | { readonly kind: 'orderByChanged'; readonly mv: string; readonly from?: readonly string[]; readonly to?: readonly string[] }
  | { readonly kind: 'syncChanged'; readonly mv: string; readonly from: boolean; readonly to: boolean }
  /** Live comparisons only: the server reports the MV inactive (`ALTER ... ACTIVE` brings it back). */
  | { readonly kind: 'inactive'; readonly mv: string; readonly reason?: string }

/** The `kind`s of {@link Change}. */
export type ChangeKind = Change['kind']

/** The attribute a change concerns, as named in problems and messages. */
export type ChangeAttribute =
  | 'mv'
  | 'name'
  | 'refresh'
  | `property ${string}`
  | 'query'
  | 'columns'
  | 'indexes'
  | 'comment'
  | 'partitionBy'
  | 'distribution'
  | 'buckets'
  | 'orderBy'
  | 'sync'
  | 'active'
  | 'dependencies'
