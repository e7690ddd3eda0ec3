import { isStarRocksMvError } from '../errors.js'

/** The documented exit codes of `srmv`. */
export const EXIT = Object.freeze({
  /** Done. */
  OK: 0,
  /** Problems or drift: a plan that cannot be carried out, a lock held, a partial or changed migration, `check` findings, bad project files. */
  PROBLEMS: 1,
  /** Usage: unknown command or option, missing argument, unknown target, no config. */
  USAGE: 2,
  /** The server could not be reached (or the connection was lost). */
  CONNECTION: 3,
  /** The server rejected a statement. */
  SQL: 4,
})

const USAGE_CODES = new Set(['UNKNOWN_TARGET', 'CONFIG_NOT_FOUND', 'INVALID_STEPS', 'NOTHING_TO_RESUME', 'NOTHING_TO_RESOLVE', 'NO_CONNECTION', 'INVALID_URL', 'USAGE'])
const CONNECTION_CODES = new Set(['CONNECTION_ERROR', 'AUTH_ERROR', 'UNKNOWN_DATABASE', 'TIMEOUT', 'CONNECTION_LOST', 'OUTCOME_UNKNOWN'])
const SQL_CODES = new Set(['SQL_ERROR', 'MIGRATION_FAILED', 'HISTORY_WRITE_FAILED'])

/** The exit code for an error. */
export const exitCodeOf = (e: unknown): number => {
  if (!isStarRocksMvError(e)) return EXIT.PROBLEMS
  if (USAGE_CODES.has(e.code)) return EXIT.USAGE
  if (CONNECTION_CODES.has(e.code)) return EXIT.CONNECTION
  if (SQL_CODES.has(e.code)) return EXIT.SQL
  return EXIT.PROBLEMS
}
