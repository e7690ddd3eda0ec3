import type { RefreshSpec } from './mv-definition.js'

/**
 * The first StarRocks version with `ALTER MATERIALIZED VIEW ... ADD COLUMN c AS <expr>` and
 * `... DROP COLUMN c` (fast schema evolution of MVs). StarRocks issue #67914 (the RFC, labelled
 * `version:4.2`) and PR #67915 (merged; its cherry-pick list ticks branch 4.1, but no 4.1 release
 * note or doc page confirms it, and the ALTER MATERIALIZED VIEW docs do not list the clauses yet),
 * so the conservative cutoff is 4.2.
 */
export const MV_COLUMN_ALTER_SINCE = '4.2'

/**
 * The first StarRocks version with `ALTER MATERIALIZED VIEW ... ORDER BY (cols)`: the ALTER
 * MATERIALIZED VIEW docs ("from v4.2 onwards"; range-distributed MVs in shared-data clusters only).
 */
export const MV_ORDER_BY_ALTER_SINCE = '4.2'

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
  /**
   * `ADD COLUMN name AS <expression> [COMMENT '...']` (4.2+): StarRocks appends `expression AS name`
   * to the select list of the MV's query (and, for a non-aggregate expression in an aggregate MV,
   * to its GROUP BY), and the column to the end of the MV's columns. `expression` is SQL text.
   */
  | { readonly kind: 'addColumn'; readonly name: string; readonly expression: string; readonly comment?: string }
  /**
   * `DROP COLUMN name` (4.2+): StarRocks removes the column and its select-list item. `previous`
   * records the dropped item so the change can be reversed (only when it was the last column:
   * ADD COLUMN appends).
   */
  | {
      readonly kind: 'dropColumn'
      readonly name: string
      readonly previous?: { readonly expression: string; readonly comment?: string; readonly last: boolean }
    }
  /** `ORDER BY (cols)` (4.2+, range-distributed MVs in shared-data clusters only): the new sort key. */
  | { readonly kind: 'orderBy'; readonly columns: readonly string[]; readonly previous?: readonly string[] }
