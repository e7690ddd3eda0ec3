/**
 * The one error type of the library. Every failure the library can foresee is thrown as a
 * `StarRocksMvError` (or a subclass) with a stable `code`; the CLI maps codes to exit codes.
 *
 * This module imports nothing of the project, so every layer may use it.
 *
 * @example
 * ```ts
 * try { parseMaterializedView('CREATE TABLE t (a INT)') }
 * catch (e) { if (e instanceof StarRocksMvError) console.log(e.code) } // 'PARSE_ERROR'
 * ```
 */
export class StarRocksMvError extends Error {
  /** A stable machine-readable code, e.g. `IMMUTABLE_CHANGE`, `PARSE_ERROR`, `INVALID_IDENTIFIER`. */
  readonly code: string
  /** Extra structured facts (names, values, positions); never holds secrets. */
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: string, message: string, details: Readonly<Record<string, unknown>> = {}, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'StarRocksMvError'
    this.code = code
    this.details = details
  }
}

/** True when `e` is a {@link StarRocksMvError}, optionally with the given code. */
export const isStarRocksMvError = (e: unknown, code?: string): e is StarRocksMvError =>
  e instanceof StarRocksMvError && (code === undefined || e.code === code)
