import type { Client } from '../db/client.js'
import { StarRocksMvError } from '../errors.js'
import { QualifiedName } from '../model/index.js'
import { isKeyword, significant, tokenize, type Token } from '../reflect/tokenizer.js'
import { quoteIdentifier, renderLiteral } from '../sql/quote.js'

const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.value === p
const isName = (t: Token | undefined): t is Token => t !== undefined && (t.kind === 'word' || t.kind === 'quoted')

/** A `[db.]name` at `toks[i]`: the name and the index after it. */
const qualifiedAt = (toks: readonly Token[], i: number): { q: QualifiedName; next: number } | undefined => {
  const first = toks[i]
  if (!isName(first)) return undefined
  const second = toks[i + 2]
  if (isPunct(toks[i + 1], '.') && isName(second)) return { q: QualifiedName.create(second.value, first.value), next: i + 3 }
  return { q: QualifiedName.create(first.value), next: i + 1 }
}

/**
 * The table of a statement that StarRocks runs as an asynchronous schema-change job: an `ALTER TABLE`
 * with ADD / DROP / MODIFY COLUMN clauses or ADD / DROP INDEX, `CREATE INDEX ... ON t`,
 * `DROP INDEX ... ON t`; `undefined` for any other statement.
 *
 * @example
 * ```ts
 * schemaChangeTarget('ALTER TABLE `shop`.`orders` ADD COLUMN `x` INT NULL AFTER `id`') // { schema: 'shop', name: 'orders' }
 * schemaChangeTarget('CREATE INDEX i ON shop.orders (x) USING BITMAP') // { schema: 'shop', name: 'orders' }
 * ```
 */
export const schemaChangeTarget = (sql: string): QualifiedName | undefined => {
  let toks: Token[]
  try {
    toks = significant(tokenize(sql))
  } catch {
    return undefined
  }
  if ((isKeyword(toks[0], 'CREATE') || isKeyword(toks[0], 'DROP')) && isKeyword(toks[1], 'INDEX') && isName(toks[2]) && isKeyword(toks[3], 'ON')) {
    return qualifiedAt(toks, 4)?.q
  }
  if (!isKeyword(toks[0], 'ALTER') || !isKeyword(toks[1], 'TABLE')) return undefined
  const at = qualifiedAt(toks, 2)
  if (at === undefined) return undefined
  const clause = toks[at.next]
  const what = toks[at.next + 1]
  const isColumnClause = (isKeyword(clause, 'ADD') || isKeyword(clause, 'DROP') || isKeyword(clause, 'MODIFY')) && isKeyword(what, 'COLUMN')
  const isIndexClause = (isKeyword(clause, 'ADD') || isKeyword(clause, 'DROP')) && isKeyword(what, 'INDEX')
  return isColumnClause || isIndexClause ? at.q : undefined
}

/**
 * The table of any `ALTER TABLE` statement (StarRocks refuses every ALTER of a table while a
 * schema-change job of it runs), or `undefined`.
 *
 * @example
 * ```ts
 * alterTableTarget('ALTER TABLE shop.orders ADD PARTITION p2 VALUES LESS THAN ("2024-03-01")') // { schema: 'shop', name: 'orders' }
 * ```
 */
export const alterTableTarget = (sql: string): QualifiedName | undefined => {
  const direct = schemaChangeTarget(sql)
  if (direct !== undefined) return direct
  let toks: Token[]
  try {
    toks = significant(tokenize(sql))
  } catch {
    return undefined
  }
  return isKeyword(toks[0], 'ALTER') && isKeyword(toks[1], 'TABLE') ? qualifiedAt(toks, 2)?.q : undefined
}

/** One poll of a schema-change job. */
export interface AlterJobProgress {
  readonly jobId: string
  /** PENDING, WAITING_TXN, RUNNING, FINISHED, CANCELLED (as the server reports it). */
  readonly state: string
  readonly progress?: string
  readonly message?: string
}

const cell = (row: Readonly<Record<string, unknown>> | undefined, column: string): string | undefined => {
  const v = row?.[column]
  return v === null || v === undefined || v === '' || v === 'N/A' ? undefined : String(v)
}

/** The newest schema-change job of `table` (SHOW ALTER TABLE COLUMN), or `undefined` when the server lists none. */
export const readAlterJob = async (client: Client, table: QualifiedName): Promise<AlterJobProgress | undefined> => {
  const db = table.schema ?? (await client.database())
  const from = db === undefined ? '' : ` FROM ${quoteIdentifier(db)}`
  const { rows } = await client.query(`SHOW ALTER TABLE COLUMN${from} WHERE TableName = ${renderLiteral(table.name)} ORDER BY CreateTime DESC LIMIT 1`)
  const row = rows[0]
  const state = cell(row, 'State')
  if (row === undefined || state === undefined) return undefined
  const progress = cell(row, 'Progress')
  const message = cell(row, 'Msg')
  return { jobId: cell(row, 'JobId') ?? '', state: state.toUpperCase(), ...(progress === undefined ? {} : { progress }), ...(message === undefined ? {} : { message }) }
}

/** Options of {@link waitForAlterJob}. */
export interface WaitForAlterJobOptions {
  /** Milliseconds between polls (default 1000). */
  readonly pollMs?: number
  /** Give up after this many milliseconds (default 6 hours). */
  readonly timeoutMs?: number
  /** Called after every poll. */
  readonly onProgress?: (job: AlterJobProgress) => void
}

/**
 * Wait until the newest schema-change job of `table` has finished: StarRocks answers an ALTER TABLE
 * ADD / DROP / MODIFY COLUMN or ADD / DROP INDEX (and CREATE / DROP INDEX) at once, runs the change as a job, and refuses another schema change of
 * the table until the job ends. A CANCELLED job throws `ALTER_JOB_CANCELLED` (the statement did not
 * take effect); a job still running after `timeoutMs` throws `ALTER_JOB_TIMEOUT`.
 */
export const waitForAlterJob = async (client: Client, table: QualifiedName, options: WaitForAlterJobOptions = {}): Promise<AlterJobProgress | undefined> => {
  const pollMs = options.pollMs ?? 1000
  const deadline = Date.now() + (options.timeoutMs ?? 6 * 3600 * 1000)
  for (;;) {
    const job = await readAlterJob(client, table)
    if (job !== undefined) options.onProgress?.(job)
    if (job === undefined || job.state === 'FINISHED') return job
    if (job.state === 'CANCELLED') {
      throw new StarRocksMvError(
        'ALTER_JOB_CANCELLED',
        `The schema change of ${QualifiedName.key(table)} (job ${job.jobId}) was cancelled${job.message === undefined ? '' : `: ${job.message}`}. The table is unchanged; fix the cause and run the migration again (--resume).`,
        { table: QualifiedName.key(table), jobId: job.jobId },
      )
    }
    if (Date.now() >= deadline) {
      const err = new StarRocksMvError(
        'ALTER_JOB_TIMEOUT',
        `The schema change of ${QualifiedName.key(table)} (job ${job.jobId}) is still ${job.state} after ${Math.round((options.timeoutMs ?? 0) / 1000)} s. It keeps running on the server: check SHOW ALTER TABLE COLUMN, then settle the migration with srmv resolve.`,
        { table: QualifiedName.key(table), jobId: job.jobId },
      )
      // The statement ran and its job may still finish: the runner records the outcome as unknown.
      throw Object.assign(err, { outcomeUnknown: true })
    }
    await new Promise((r) => setTimeout(r, pollMs))
  }
}

/**
 * Wait while a schema-change job of `table` is still running (PENDING, WAITING_TXN, RUNNING), e.g. one
 * an interrupted run left behind; a finished or cancelled job, or none, returns at once. Used before
 * the first ALTER TABLE of a run, which StarRocks would otherwise refuse ("is not NORMAL").
 */
export const waitUntilNoAlterJob = async (client: Client, table: QualifiedName, options: Omit<WaitForAlterJobOptions, 'onProgress'> = {}): Promise<void> => {
  const pollMs = options.pollMs ?? 1000
  const deadline = Date.now() + (options.timeoutMs ?? 6 * 3600 * 1000)
  for (;;) {
    const job = await readAlterJob(client, table)
    if (job === undefined || job.state === 'FINISHED' || job.state === 'CANCELLED') return
    if (Date.now() >= deadline) {
      throw new StarRocksMvError(
        'ALTER_JOB_TIMEOUT',
        `A schema change of ${QualifiedName.key(table)} (job ${job.jobId}) from an earlier run is still ${job.state}. Wait for it (SHOW ALTER TABLE COLUMN) or cancel it (CANCEL ALTER TABLE COLUMN FROM ...), then run again.`,
        { table: QualifiedName.key(table), jobId: job.jobId },
      )
    }
    await new Promise((r) => setTimeout(r, pollMs))
  }
}
