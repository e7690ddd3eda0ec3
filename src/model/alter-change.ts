import type { RefreshSpec } from './mv-definition.js'

/**
 * One change of an `ALTER MATERIALIZED VIEW` (StarRocks takes one clause per statement).
 * `previous*` fields record what was there before, when known, so the change can be reversed.
 */
export type AlterChange =
  | { readonly kind: 'refresh'; readonly refresh: RefreshSpec; readonly previous?: RefreshSpec }
  | {
      readonly kind: 'set'
      readonly properties: Readonly<Record<string, string>>
      /** Previous values; `null` means the property was not set before. */
      readonly previous?: Readonly<Record<string, string | null>>
    }
  | { readonly kind: 'rename'; readonly newName: string }
  | { readonly kind: 'active' }
  | { readonly kind: 'inactive' }
  | { readonly kind: 'swap'; readonly other: string }

