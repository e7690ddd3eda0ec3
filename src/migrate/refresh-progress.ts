import type { Client } from '../db/client.js'
import type { QualifiedName } from '../model/index.js'
import { quoteIdentifier, renderLiteral } from '../sql/quote.js'

/** The latest refresh run of an MV, from `information_schema.task_runs`. */
export interface RefreshProgress {
  /** PENDING, RUNNING, SUCCESS, FAILED (as the server reports it). */
  readonly state: string
  /** The server's progress text, e.g. `40%`, when it reports one. */
  readonly progress?: string
  readonly error?: string
}

const cell = (row: Readonly<Record<string, unknown>> | undefined, column: string): string | undefined => {
  if (row === undefined) return undefined
  const v = row[column] ?? row[column.toLowerCase()]
  return v === null || v === undefined || v === '' ? undefined : String(v)
}

/**
 * Read how the latest refresh of `mv` stands: its task from `information_schema.materialized_views`,
 * then the newest run of that task. `undefined` when the server knows no run (yet).
 */
export const readRefreshProgress = async (client: Client, mv: QualifiedName): Promise<RefreshProgress | undefined> => {
  const schema = mv.schema ?? (await client.database())
  const where = `${quoteIdentifier('TABLE_NAME')} = ${renderLiteral(mv.name)}${schema === undefined ? '' : ` AND ${quoteIdentifier('TABLE_SCHEMA')} = ${renderLiteral(schema)}`}`
  const { rows } = await client.query(`SELECT ${quoteIdentifier('TASK_NAME')} FROM ${quoteIdentifier('information_schema')}.${quoteIdentifier('materialized_views')} WHERE ${where}`)
  const task = cell(rows[0], 'TASK_NAME')
  if (task === undefined) return undefined
  const runs = await client.query(
    `SELECT ${['STATE', 'PROGRESS', 'ERROR_MESSAGE', 'CREATE_TIME'].map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier('information_schema')}.${quoteIdentifier('task_runs')} ` +
      `WHERE ${quoteIdentifier('TASK_NAME')} = ${renderLiteral(task)} ORDER BY ${quoteIdentifier('CREATE_TIME')} DESC LIMIT 10`,
  )
  // Runs started within one second share CREATE_TIME: among the newest, an unfinished one wins.
  const newest = cell(runs.rows[0], 'CREATE_TIME')
  const latest = runs.rows.filter((r) => cell(r, 'CREATE_TIME') === newest)
  const run = latest.find((r) => ['PENDING', 'RUNNING'].includes((cell(r, 'STATE') ?? '').toUpperCase())) ?? latest[0]
  const state = cell(run, 'STATE')
  if (state === undefined) return undefined
  const progress = cell(run, 'PROGRESS')
  const error = cell(run, 'ERROR_MESSAGE')
  return { state, ...(progress === undefined ? {} : { progress }), ...(error === undefined ? {} : { error }) }
}
