import type { Distribution } from './mv-definition.js'
import type { PartitionEntry, TableColumn, TableIndex } from './table-definition.js'

/**
 * One change of an `ALTER TABLE`. Column changes (`addColumn`, `dropColumn`, `modifyColumn`) of one
 * table run as one statement and one schema-change job; every other change is a statement of its own.
 * `previous*` fields record what was there before, so the change can be reversed.
 */
export type TableAlterChange =
  | {
      readonly kind: 'addColumn'
      readonly column: TableColumn
      /** The column it follows; absent means FIRST. */
      readonly after?: string
    }
  | {
      readonly kind: 'dropColumn'
      readonly name: string
      /** The dropped column and the one it followed (absent: FIRST), when known: makes the drop reversible. */
      readonly previous?: { readonly column: TableColumn; readonly after?: string }
    }
  | { readonly kind: 'modifyColumn'; readonly column: TableColumn; readonly previous?: TableColumn }
  | {
      readonly kind: 'setProperty'
      readonly key: string
      readonly value: string
      /** The previous value; `null` means it was not set. */
      readonly previous?: string | null
    }
  | { readonly kind: 'comment'; readonly comment: string; readonly previous?: string }
  | { readonly kind: 'rename'; readonly newName: string }
  | { readonly kind: 'orderBy'; readonly columns: readonly string[]; readonly previous?: readonly string[] }
  | { readonly kind: 'distribution'; readonly distribution: Distribution; readonly previous?: Distribution }
  /** `ADD PARTITION` of a RANGE or LIST table (synchronous). */
  | { readonly kind: 'addPartition'; readonly entry: PartitionEntry }
  /** `DROP PARTITION`: the partition's data goes with it. `previous` makes it reversible (the data is not). */
  | { readonly kind: 'dropPartition'; readonly name: string; readonly previous?: PartitionEntry }
  /** `ADD INDEX` (a schema-change job). */
  | { readonly kind: 'addIndex'; readonly index: TableIndex }
  /** `DROP INDEX` (a schema-change job); `previous` makes it reversible. */
  | { readonly kind: 'dropIndex'; readonly name: string; readonly previous?: TableIndex }
  /** `SWAP WITH other`: the two tables exchange names (MVs reading either are deactivated). */
  | { readonly kind: 'swap'; readonly other: string }

/** True for the changes StarRocks runs as an asynchronous schema-change job (SHOW ALTER TABLE COLUMN). */
export const isColumnChange = (c: TableAlterChange): boolean =>
  c.kind === 'addColumn' || c.kind === 'dropColumn' || c.kind === 'modifyColumn'

/** True for the index changes, each a schema-change job of its own (SHOW ALTER TABLE COLUMN). */
export const isIndexChange = (c: TableAlterChange): boolean => c.kind === 'addIndex' || c.kind === 'dropIndex'
