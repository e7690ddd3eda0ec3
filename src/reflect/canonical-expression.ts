import { quoteIdentifier, quoteString } from '../sql/index.js'
import type { Token } from './tokenizer.js'

/**
 * Words that are SQL keywords or type names inside a partition expression: printed upper-case and
 * never back-quoted. Anything else that is a bare word is an identifier (a column).
 */
const KEYWORDS: ReadonlySet<string> = new Set([
  'AS', 'AND', 'OR', 'NOT', 'NULL', 'TRUE', 'FALSE', 'IS', 'IN', 'LIKE', 'BETWEEN', 'CASE', 'WHEN', 'THEN',
  'ELSE', 'END', 'CAST', 'INTERVAL', 'DISTINCT', 'DIV', 'MOD',
  'MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR',
  'DATE', 'DATETIME', 'TIMESTAMP', 'TIME', 'BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'INTEGER', 'BIGINT',
  'LARGEINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'DECIMALV2', 'DECIMAL32', 'DECIMAL64', 'DECIMAL128', 'CHAR',
  'VARCHAR', 'STRING', 'JSON', 'BINARY', 'VARBINARY', 'SIGNED', 'UNSIGNED',
])

/** Keywords that are values, never names. */
const LITERAL_WORDS: ReadonlySet<string> = new Set(['NULL', 'TRUE', 'FALSE'])

/**
 * A word alone as a whole expression or a whole function argument (`day` in `date_trunc('day', day)`)
 * can only be a column, even when it is spelled like a keyword.
 */
const standsAlone = (prev: Token | undefined, next: Token | undefined): boolean =>
  (prev === undefined || (prev.kind === 'punct' && (prev.value === '(' || prev.value === ','))) &&
  (next === undefined || (next.kind === 'punct' && (next.value === ')' || next.value === ',')))

const isIdentifierToken = (t: Token | undefined): boolean =>
  t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !KEYWORDS.has(t.value.toUpperCase())))

/**
 * Re-emit an expression from its significant tokens in one canonical spelling, so that
 * `date_trunc('month',k1)`, `DATE_TRUNC('month', \`k1\`)` and the server's ``date_trunc('month', `k1`)``
 * all read the same. The normalisation:
 * - identifiers (bare words that are not keywords, and back-quoted names) are back-quoted with
 *   `quoteIdentifier`; dotted names keep their dots without spaces (`` `t`.`k1` ``); a word that
 *   stands alone as the whole expression or a whole argument is a column even when it is spelled
 *   like a keyword (`day`), except NULL, TRUE and FALSE;
 * - function names (a word directly followed by `(`) are lower-cased, except keyword functions such
 *   as `CAST`, which are upper-cased like every other keyword and type name;
 * - string literals are re-quoted with single quotes and backslash escapes (`quoteString`);
 *   numbers are kept as written;
 * - spacing: one space between tokens, none after `(` or before `)` and `,`, one after `,`, none
 *   around `.`, none between a function name and its `(`, none after a unary sign.
 */
export const canonicalExpression = (tokens: readonly Token[]): string => {
  let out = ''
  let prev: Token | undefined
  let prevWasFunction = false
  let prevWasUnary = false
  tokens.forEach((t, i) => {
    const next = tokens[i + 1]
    let text: string
    let isFunction = false
    let isUnary = false
    if (t.kind === 'word') {
      const upper = t.value.toUpperCase()
      if (next?.kind === 'punct' && next.value === '(') {
        isFunction = true
        text = KEYWORDS.has(upper) ? upper : t.value.toLowerCase()
      } else if (KEYWORDS.has(upper) && !(standsAlone(prev, next) && !LITERAL_WORDS.has(upper))) {
        text = upper
      } else {
        text = quoteIdentifier(t.value)
      }
    } else if (t.kind === 'quoted') {
      text = quoteIdentifier(t.value)
    } else if (t.kind === 'string') {
      text = quoteString(t.value)
    } else if (t.kind === 'punct' && (t.value === '-' || t.value === '+')) {
      isUnary =
        prev === undefined ||
        (prev.kind === 'punct' && prev.value !== ')') ||
        (prev.kind === 'word' && KEYWORDS.has(prev.value.toUpperCase()) && !prevWasFunction)
      text = t.value
    } else {
      text = t.value
    }
    const glue =
      prev === undefined ||
      (prev.kind === 'punct' && (prev.value === '(' || prev.value === '.')) ||
      (t.kind === 'punct' && (t.value === ')' || t.value === ',' || t.value === '.')) ||
      (t.kind === 'punct' && t.value === '(' && prevWasFunction) ||
      prevWasUnary
    out += (glue ? '' : ' ') + text
    prev = t
    prevWasFunction = isFunction
    prevWasUnary = isUnary
  })
  return out
}

/** True when the tokens are one (possibly dotted) identifier: `k1`, `` `k1` ``, `t.k1`. */
export const isPlainIdentifier = (tokens: readonly Token[]): boolean =>
  tokens.length % 2 === 1 &&
  tokens.every((t, i) => (i % 2 === 0 ? isIdentifierToken(t) : t.kind === 'punct' && t.value === '.'))
