/** The shared way out of an immutable change. */
type WayOut = 'rebuild it (drop + create, or build a new MV and SWAP WITH it).'

/** `alter(...).as`: the query is immutable. */
export type AlterQueryMessage = `The query of a materialized view cannot be altered: ${WayOut}`
/** `alter(...).columns`: the column list is immutable. */
export type AlterColumnsMessage = `The column list of a materialized view cannot be altered: ${WayOut}`
/** `alter(...).comment`: the comment is immutable. */
export type AlterCommentMessage = `The COMMENT of a materialized view cannot be altered: ${WayOut}`
/** `alter(...).partitionBy`: the partitioning is immutable. */
export type AlterPartitionByMessage = `PARTITION BY of a materialized view cannot be altered: ${WayOut}`
/** `alter(...).distributedBy`: distribution and buckets are immutable. */
export type AlterDistributedByMessage = `DISTRIBUTED BY (and BUCKETS) of a materialized view cannot be altered: ${WayOut}`
/** `alter(...).orderBy`: the sort key is immutable (except range-distributed shared-data MVs on 4.2). */
export type AlterOrderByMessage = `ORDER BY of a materialized view cannot be altered: ${WayOut}`
/** `alter(...).properties`: ALTER uses `.set()`. */
export type AlterPropertiesMessage =
  'ALTER takes properties through .set({...}) (alterable properties only); create-only properties need a rebuild (drop + create, or a new MV and SWAP WITH).'
/** `alter(...).sync`: an MV's kind is immutable. */
export type AlterSyncMessage = `Whether a materialized view is synchronous cannot be altered: ${WayOut}`
/** `deferred` in `alter(...).refresh.*`: the moment exists only at creation. */
export type AlterMomentMessage =
  'ALTER ... REFRESH takes no moment: DEFERRED and IMMEDIATE apply only when a materialized view is created.'
/** `alter(...).addColumn` without a 4.2+ version: ADD COLUMN came in StarRocks 4.2. */
export type AlterAddColumnMessage =
  `ADD COLUMN on a materialized view needs StarRocks 4.2 or newer: build the alter with alter(mv, { version: '4.2' }) (or the newer version you target), or ${WayOut}`
/** `alter(...).dropColumn` without a 4.2+ version: DROP COLUMN came in StarRocks 4.2. */
export type AlterDropColumnMessage =
  `DROP COLUMN on a materialized view needs StarRocks 4.2 or newer: build the alter with alter(mv, { version: '4.2' }) (or the newer version you target), or ${WayOut}`
