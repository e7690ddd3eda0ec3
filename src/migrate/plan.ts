import { basename } from 'node:path'
import { StarRocksMvError } from '../errors.js'
import type { Version } from '../model/index.js'
import { isDataOnly, reverse, toStatements, withReactivations, type Op } from '../ops/index.js'
import { statementHash } from './checksum.js'
import type { Direction, MigrationRecord } from './history.js'
import type { Migration, MigrationFile } from './migration-files.js'

/** The statements of a list of ops, with the op each came from. */
export interface PlannedStatement {
  readonly sql: string
  readonly hash: string
  /** Index of the op in its list. */
  readonly op: number
}

/** Render ops one by one, keeping which op each statement came from. */
export const renderOps = (ops: readonly Op[], version: string | Version): PlannedStatement[] =>
  ops.flatMap((o, op) => toStatements(o, { version }).map((sql) => ({ sql, hash: statementHash(sql), op })))

/** The statements of one direction of a migration: exactly what the runner sends, in order. */
export const migrationStatements = (m: Migration, direction: Direction, version: string | Version): PlannedStatement[] => {
  if (direction === 'up') return renderOps(m.upOps, version)
  if (m.downOps === undefined) throw m.downError ?? new StarRocksMvError('IRREVERSIBLE', `${m.name}: down() could not be recorded.`, { id: m.id })
  return renderOps(m.downOps, version)
}

/**
 * The ops that undo the part of `upOps` whose statements completed (`completed`: indices into the
 * up statements): whole ops reversed, a partly run ALTER cut to the clauses that ran, data-only ops
 * (refresh) skipped, latest first. When the up rebuilds an MV, the readers it re-activates (or
 * would have, had it finished) are re-activated after the undone rebuild (`withReactivations`).
 */
export const undoOps = (m: Migration, completed: ReadonlySet<number>, version: string | Version): Op[] => {
  const statements = renderOps(m.upOps, version)
  const undo: Op[] = []
  m.upOps.forEach((o, i) => {
    const indices = statements.flatMap((s, index) => (s.op === i ? [index] : []))
    const ran = indices.filter((index) => completed.has(index))
    if (ran.length === 0 || isDataOnly(o)) return
    let part: Op = o
    if (ran.length < indices.length) {
      if (o.kind !== 'alterMaterializedView') {
        throw new StarRocksMvError('IRREVERSIBLE', `${m.name}: op ${i + 1} ran only in part; undo it by hand, then \`srmv resolve ${m.id} --rolled-back\`.`)
      }
      const ranPrefix = indices.findIndex((index) => !completed.has(index))
      part = { ...o, changes: o.changes.slice(0, ranPrefix) }
    }
    try {
      undo.push(reverse(part, { version }))
    } catch (e) {
      throw new StarRocksMvError(
        'IRREVERSIBLE',
        `${m.name}: cannot undo op ${i + 1} (${o.kind}) automatically: ${(e as Error).message} Undo it by hand, then run \`srmv resolve ${m.id} --rolled-back\`.`,
        { id: m.id },
        { cause: e },
      )
    }
  })
  return withReactivations(m.upOps, undo.reverse())
}

/** How one migration (file or history entry) stands. */
export type MigrationState = 'applied' | 'pending' | 'partial' | 'missing'

/** One line of `status`. */
export interface MigrationStatus {
  readonly id: string
  readonly name: string
  readonly file?: string
  readonly state: MigrationState
  /** The history's record, when there is one. */
  readonly record?: MigrationRecord
  /** Applied, but the file's up ops changed since (its checksum differs). */
  readonly checksumChanged: boolean
}

/** Join the files and the history into one list, sorted by id. */
export const joinStatus = (files: readonly MigrationFile[], checksums: ReadonlyMap<string, string>, records: ReadonlyMap<string, MigrationRecord>): MigrationStatus[] => {
  const out: MigrationStatus[] = []
  const byId = new Map(files.map((f) => [f.id, f]))
  for (const f of files) {
    const record = records.get(f.id)
    const state: MigrationState = record === undefined || record.state === 'reverted' ? 'pending' : record.state
    const sum = checksums.get(f.id)
    out.push({
      id: f.id,
      name: f.name,
      file: f.file,
      state,
      ...(record === undefined ? {} : { record }),
      checksumChanged: record?.state === 'applied' && record.checksum !== undefined && sum !== undefined && record.checksum !== sum,
    })
  }
  for (const [id, record] of records) {
    if (byId.has(id) || id === '' || record.state === 'reverted') continue
    out.push({ id, name: id, state: 'missing', record, checksumChanged: false })
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Find a migration by id, `<id>_<slug>`, file name, or a unique id prefix; throws `UNKNOWN_TARGET`. */
export const findTarget = (files: readonly MigrationFile[], target: string, command: string): MigrationFile => {
  const t = target.trim()
  const exact = files.find((f) => f.id === t || f.name === t || basename(f.file) === t)
  if (exact !== undefined) return exact
  const prefixed = files.filter((f) => f.id.startsWith(t) || f.name.startsWith(t))
  if (prefixed.length === 1 && t.length >= 4) return prefixed[0] as MigrationFile
  const known = files.length === 0 ? 'there are no migrations yet' : `known: ${files.map((f) => f.name).join(', ')}`
  throw new StarRocksMvError(
    'UNKNOWN_TARGET',
    prefixed.length > 1
      ? `${command}: "${target}" matches several migrations (${prefixed.map((f) => f.name).join(', ')}); give more of the id.`
      : `${command}: no migration "${target}" (${known}). Use an id from \`srmv status\`, or head / base.`,
    { target },
  )
}

/**
 * The statement of a partial migration whose outcome nobody knows (0-based), or `undefined` when
 * every statement is settled: the one recorded `unknown` (timeout, lost connection), or, when the
 * run stopped without recording a failure (process killed, history row lost), the first statement
 * not recorded as completed — it may have run.
 */
export const unsettledStatement = (record: Extract<MigrationRecord, { state: 'partial' }>, total?: number): number | undefined => {
  if (record.failure !== undefined) return record.failure.outcomeUnknown ? record.failure.index : undefined
  if (record.halted === true) return undefined
  const done = new Set(record.completed.map((c) => c.index))
  let next = 0
  while (done.has(next)) next++
  return total !== undefined && next >= total ? undefined : next
}

/** Human words for a partial record: which statement, what happened, what to do. */
export const describePartial = (id: string, record: Extract<MigrationRecord, { state: 'partial' }>, total?: number, migrationId: string = id): string => {
  const of = total === undefined ? '' : ` of ${total}`
  const done = record.completed.length
  const last = record.completed.at(-1)
  const completed = done === 0 ? 'no statement completed' : `${done} statement${done === 1 ? '' : 's'} completed (last: statement ${(last?.index ?? 0) + 1}${of})`
  const dir = record.direction
  const settle = `or settle the whole migration with \`srmv resolve ${migrationId} --applied\` / \`--rolled-back\``
  const head = `${id}: ${dir} started ${record.startedAt} by ${record.owner} and did not finish; ${completed}; `
  const unknown = unsettledStatement(record, total)
  if (record.failure !== undefined && !record.failure.outcomeUnknown) {
    return (
      `${head}statement ${record.failure.index + 1}${of} failed: ${record.failure.message} (outcome known: it did not run). ` +
      `Fix the cause, then run \`srmv ${dir} --resume\` (sends statement ${record.failure.index + 1} again)${dir === 'up' ? ', or `srmv down` (undoes only what ran)' : ''}, ${settle}.`
    )
  }
  if (unknown === undefined && total !== undefined && done < total) {
    return `${head}the statements after it did not run (settled by an operator). Run \`srmv ${dir} --resume\` (continues from statement ${done + 1})${dir === 'up' ? ', or `srmv down` (undoes only what ran)' : ''}, ${settle}.`
  }
  if (unknown === undefined) {
    return `${head}every statement ran, but success was not recorded (the run stopped before its last history row). Run \`srmv ${dir} --resume\` to record it (nothing is sent again), ${settle}.`
  }
  const why =
    record.failure === undefined
      ? `the run stopped (process killed, or a history row lost) before recording statement ${unknown + 1}${of}: whether it ran is unknown`
      : `statement ${unknown + 1}${of}: outcome unknown (${record.failure.message}) — it may or may not have run`
  return (
    `${head}${why}. Check the server: if statement ${unknown + 1} ran, run \`srmv resolve ${migrationId} --ran --statement ${unknown + 1}\`; if it did not, \`srmv resolve ${migrationId} --not-run --statement ${unknown + 1}\`; ` +
    `then \`srmv ${dir} --resume\`${dir === 'up' ? ' (or `srmv down` to undo only what ran)' : ''}, ${settle}.`
  )
}
