/** A StarRocks version as the emulator understands it: numbers only, compared piecewise. */
export interface ServerVersion {
  readonly major: number
  readonly minor: number
  readonly patch: number
  readonly text: string
}

/** Parse `3.5`, `3.5.17`, `4.1.1-ee`, `26.2.0-ee`. */
export const parseServerVersion = (text: string): ServerVersion => {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+._ ].*)?$/.exec(text.trim())
  if (m === null) throw new TypeError(`Invalid StarRocks version "${text}": expected a version such as 3.5, 4.1.1 or 26.2.`)
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), text: text.trim() }
}

/** True when `v` is `min` (`'4.0.6'`) or newer. */
export const versionAtLeast = (v: ServerVersion, min: string): boolean => {
  const x = parseServerVersion(min)
  return (v.major - x.major || v.minor - x.minor || v.patch - x.patch) >= 0
}

/**
 * What changes with the version, in one place. The cutoffs and where they come from:
 * - `legacyPrint` (< 3.0): no column list, `COMMENT "MATERIALIZED_VIEW"` when none was given, no
 *   `replicated_storage` property: the `.old-…` fixtures, which predate column lists (3.0).
 * - `keepsQueryText` (>= 4.0.6): the query is printed as written (STARROCKS.md §4, fixtures 011 and 013).
 * - `schedule` (>= 4.1): `SCHEDULE` accepted; the periodic form printed as `SCHEDULE`.
 * - `onChange` (>= 26.2): `ON_CHANGE` accepted and printed; an untimed `ASYNC` rejected.
 * - `multiPartition` (>= 3.5): `PARTITION BY (a, b)`.
 * - `swapActive` (>= 3.1): `SWAP WITH`, `ACTIVE`, `INACTIVE`, `RANDOM` distribution.
 * - `orderByAlter` (>= 4.2): `ALTER MATERIALIZED VIEW x ORDER BY (...)`.
 * - `mvColumnAlter` (>= 4.2): `ALTER MATERIALIZED VIEW x ADD COLUMN c AS <expr>` / `DROP COLUMN c`
 *   (StarRocks RFC #67914, labelled 4.2; PR #67915).
 * - `refreshJobs` (>= 4.1): `information_schema.materialized_view_refresh_jobs` (added on main and
 *   backported to branch-4.1, StarRocks PRs #74769 and #75795).
 * - `partitionUpdateTime` (>= 4.2): `partitions_meta.LAST_UPDATE_TIME`, the last user write
 *   (StarRocks issue #76680, labelled 4.2); `VISIBLE_VERSION_TIME` is there in every version.
 * - `sortedTableProperties` (>= 3.3): SHOW CREATE TABLE lists properties sorted by name, with
 *   `compression` and `fast_schema_evolution` (printed DDL of 3.3+ servers).
 * - `secureView` (>= 3.4.1): `CREATE VIEW ... SECURITY {NONE | INVOKER}` (CREATE VIEW docs).
 * - `tableAlterSortKey` (>= 3.2): `ALTER TABLE ... ORDER BY (...)` and `ALTER TABLE ... DISTRIBUTED BY ...`.
 */
export const features = (v: ServerVersion) => ({
  legacyPrint: !versionAtLeast(v, '3.0'),
  keepsQueryText: versionAtLeast(v, '4.0.6'),
  schedule: versionAtLeast(v, '4.1'),
  onChange: versionAtLeast(v, '26.2'),
  multiPartition: versionAtLeast(v, '3.5'),
  swapActive: versionAtLeast(v, '3.1'),
  random: versionAtLeast(v, '3.1'),
  orderBy: versionAtLeast(v, '3.0'),
  orderByAlter: versionAtLeast(v, '4.2'),
  mvColumnAlter: versionAtLeast(v, '4.2'),
  newMvColumns: versionAtLeast(v, '4.1'),
  refreshJobs: versionAtLeast(v, '4.1'),
  partitionUpdateTime: versionAtLeast(v, '4.2'),
  sortedTableProperties: versionAtLeast(v, '3.3'),
  tableAlterSortKey: versionAtLeast(v, '3.2'),
  secureView: versionAtLeast(v, '3.4.1'),
})

/** The feature set of one version. */
export type Features = ReturnType<typeof features>

/** What `current_version()` answers: the version with a patch number, marked as the emulator's. */
export const currentVersionText = (v: ServerVersion): string =>
  /^\d+\.\d+\.\d+/.test(v.text) ? v.text : `${v.major}.${v.minor}.${v.patch}-emulator`
