import { StarRocksMvError } from '../errors.js'
import type { Token } from './tokenizer.js'

/** Where a parse failed: 1-based line and column in the text given to the parser. */
export interface ParsePosition {
  readonly line: number
  readonly column: number
}

const describeToken = (t: Token | undefined): string => {
  if (t === undefined) return 'the end of the statement'
  const text = t.text.length > 40 ? `${t.text.slice(0, 40)}...` : t.text
  return JSON.stringify(text)
}

/** The position just after the last character of `source` (for errors at the end of input). */
export const endPosition = (source: string): ParsePosition => {
  const lines = source.split('\n')
  const last = lines[lines.length - 1] ?? ''
  return { line: lines.length, column: last.length + 1 }
}

/**
 * A `PARSE_ERROR` naming where (line and column), what was expected and what was found.
 * `found` undefined means the end of the statement.
 */
export const parseError = (
  source: string,
  expected: string,
  found: Token | undefined,
  context = 'CREATE MATERIALIZED VIEW',
): StarRocksMvError => {
  const at = found === undefined ? endPosition(source) : { line: found.line, column: found.column }
  return new StarRocksMvError(
    'PARSE_ERROR',
    `Cannot parse ${context} at line ${at.line}, column ${at.column}: expected ${expected}, found ${describeToken(found)}. ` +
      `Check the statement against the StarRocks ${context} syntax.`,
    { line: at.line, column: at.column, expected, found: found?.text ?? null },
  )
}
