import type { Token } from '../reflect/tokenizer.js'

/**
 * An error the emulator sends back over the MySQL protocol: errno, SQLSTATE and message, as a
 * StarRocks frontend would. Thrown inside statement handlers; the server turns it into an ERR packet.
 */
export class EmulatorError extends Error {
  readonly errno: number
  readonly sqlState: string

  constructor(errno: number, message: string, sqlState = '42000') {
    super(message)
    this.name = 'EmulatorError'
    this.errno = errno
    this.sqlState = sqlState
  }
}

/** StarRocks's analysis failure: errno 1064 and the "Getting analyzing error" wording. */
export const analysisError = (detail: string, at?: Token): EmulatorError =>
  new EmulatorError(
    1064,
    at === undefined
      ? `Getting analyzing error. Detail message: ${detail}.`
      : `Getting analyzing error at line ${at.line}, column ${at.column - 1}. Detail message: ${detail}.`,
  )

/** StarRocks's parser failure: errno 1064 and the "Getting syntax error" wording. */
export const syntaxError = (at: Token | undefined, expected?: string): EmulatorError => {
  if (at === undefined) {
    return new EmulatorError(
      1064,
      `Getting syntax error at the end of the statement. Detail message: Unexpected end of input${expected === undefined ? '' : `, the most similar input is {${expected}}`}.`,
    )
  }
  return new EmulatorError(
    1064,
    `Getting syntax error at line ${at.line}, column ${at.column - 1}. Detail message: Unexpected input '${at.text}'${expected === undefined ? '' : `, the most similar input is {${expected}}`}.`,
  )
}

/** A DDL failure reported by the catalog (errno 1064, message as StarRocks words it). */
export const ddlError = (message: string): EmulatorError => new EmulatorError(1064, message)

/** `Unknown database 'x'` (1049, 42000). */
export const unknownDatabase = (db: string): EmulatorError => new EmulatorError(1049, `Unknown database '${db}'`, '42000')

/** `Table 'x' already exists` (1050, 42S01). */
export const tableExists = (name: string): EmulatorError => new EmulatorError(1050, `Table '${name}' already exists`, '42S01')

/** `No database selected` (1046, 3D000). */
export const noDatabase = (): EmulatorError => new EmulatorError(1046, 'No database selected', '3D000')
