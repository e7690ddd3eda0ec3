import type { AlterChange, QualifiedName } from '../../model/index.js'
import type { RenderOptions } from '../../render/index.js'
import type {
  AlterColumnsMessage,
  AlterCommentMessage,
  AlterDistributedByMessage,
  AlterMomentMessage,
  AlterOrderByMessage,
  AlterPartitionByMessage,
  AlterPropertiesMessage,
  AlterQueryMessage,
  AlterSyncMessage,
} from './alter-refusals.js'
import type { IntervalInput } from './interval.js'
import type { MaterializedView } from './mv-builder.js'
import type { AlterableProperties, AlterPropertyEscapeHatch } from './properties.js'
import type { Refusal } from './refusal.js'
import type { StartTime } from './start-time.js'

/** Options of `alter(...).refresh.async(...)`: a new scheme, no moment. */
export interface AlterAsyncRefreshOptions {
  readonly start?: StartTime
  readonly every?: IntervalInput
  /** Refused: the moment exists only at creation. */
  readonly deferred?: AlterMomentMessage
}

/** Options of `alter(...).refresh.manual(...)`. */
export interface AlterManualRefreshOptions {
  /** Refused: the moment exists only at creation. */
  readonly deferred?: AlterMomentMessage
}

/** `alter(...).refresh.async(...)` / `.manual()`: `ALTER ... REFRESH <scheme>`. */
export interface AlterRefreshChain {
  async(options?: AlterAsyncRefreshOptions): MvAlter
  manual(options?: AlterManualRefreshOptions): MvAlter
}

/**
 * The changes StarRocks can make to an existing MV, one statement each. The immutable attributes
 * are present but refused at compile time (and throw at run time).
 */
export interface MvAlter {
  /** The MV the statements address. */
  readonly target: QualifiedName
  /** The accumulated changes, in order (plain frozen data). */
  readonly changes: readonly AlterChange[]
  /** `REFRESH <scheme>`. */
  readonly refresh: AlterRefreshChain
  /** `SET ("k" = "v", ...)`: alterable properties and `session.*`; unknown ones through `escape`. */
  set(properties: AlterableProperties, escape?: AlterPropertyEscapeHatch): MvAlter
  /**
   * `RENAME new_name`; later changes address the new name. The grammar takes an unqualified name: the MV
   * stays in its database, and a name with a dot is one name (`'a.b'` renders `` `a.b` ``), never a database.
   */
  rename(newName: string): MvAlter
  /** `ACTIVE` (3.1+): re-analyses the query. */
  active(): MvAlter
  /** `INACTIVE` (3.1+). */
  inactive(): MvAlter
  /**
   * `SWAP WITH other` (3.1+): another MV of the same database. The grammar takes an unqualified name; an MV
   * of another database is refused, and a string with a dot is one name, never a database.
   */
  swapWith(other: MaterializedView | string): MvAlter
  /** One `ALTER MATERIALIZED VIEW` statement per change. */
  toStatements(options?: RenderOptions): string[]

  /** @deprecated The query of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly as: Refusal<AlterQueryMessage>
  /** @deprecated The column list of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly columns: Refusal<AlterColumnsMessage>
  /** @deprecated The COMMENT of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly comment: Refusal<AlterCommentMessage>
  /** @deprecated PARTITION BY of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly partitionBy: Refusal<AlterPartitionByMessage>
  /** @deprecated DISTRIBUTED BY (and BUCKETS) of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly distributedBy: Refusal<AlterDistributedByMessage>
  /** @deprecated ORDER BY of a materialized view cannot be altered: rebuild it (drop + create, or build a new MV and SWAP WITH it). */
  readonly orderBy: Refusal<AlterOrderByMessage>
  /** @deprecated ALTER takes properties through .set({...}) (alterable properties only); create-only properties need a rebuild. */
  readonly properties: Refusal<AlterPropertiesMessage>
  /** @deprecated Whether a materialized view is synchronous cannot be altered: rebuild it. */
  readonly sync: Refusal<AlterSyncMessage>
}
