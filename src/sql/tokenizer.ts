import { StarRocksMvError } from '../errors.js'

/**
 * Token kinds of StarRocks SQL text.
 * - `word`: an unquoted identifier or keyword (`value` as written; compare keywords case-insensitively)
 * - `quoted`: a back-quoted identifier (`value` unescaped: doubled backticks collapsed)
 * - `string`: a single- or double-quoted literal (`value` unescaped by MySQL backslash rules; `quote` tells which)
 * - `number`: a numeric literal
 * - `punct`: one of `( ) , . ; =` or another operator (multi-character operators kept together)
 * - `comment`: `-- ...`, `# ...` or `/* ... *\/` (kept so callers can slice text; skip them when parsing)
 * - `whitespace`: kept for exact slicing
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'comment' | 'whitespace'

/** One token with its exact source span (`text` is `source.slice(start, end)`), 1-based line and column. */
export interface Token {
  readonly kind: TokenKind
  readonly value: string
  readonly text: string
  readonly start: number
  readonly end: number
  readonly line: number
  readonly column: number
  /** For `string` tokens: the quote character. */
  readonly quote?: "'" | '"'
}

const UNESCAPE: Readonly<Record<string, string>> = {
  '0': '\0', n: '\n', r: '\r', t: '\t', Z: '\x1a', b: '\b', '\\': '\\', "'": "'", '"': '"',
  // MySQL keeps the backslash before % and _ (LIKE patterns).
  '%': '\\%', _: '\\_',
}

const OPERATORS = ['<=>', '<>', '!=', '<=', '>=', '||', '&&', '::', '->>', '->']

// Character classes by code unit: ASCII is decided by a table lookup, the rest by the patterns
// (any non-ASCII code unit that is not whitespace may be part of a word).
const WORD_PART_CODE = new Uint8Array(128)
for (let c = 0; c < 128; c++) WORD_PART_CODE[c] = /[A-Za-z0-9_$]/.test(String.fromCharCode(c)) ? 1 : 0
const isAsciiSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13)
const isSpace = (c: number): boolean => (c < 128 ? isAsciiSpace(c) : /\s/.test(String.fromCharCode(c)))
const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isWordStart = (c: number): boolean => (c < 128 ? WORD_PART_CODE[c] === 1 && !isDigit(c) : true)
const isWordPart = (c: number): boolean => (c < 128 ? WORD_PART_CODE[c] === 1 : true)

/** Where the run of code units that `inRun` accepts, starting at `from`, ends. */
const runEnd = (source: string, from: number, inRun: (c: number) => boolean): number => {
  let i = from
  while (i < source.length && inRun(source.charCodeAt(i))) i++
  return i
}
const isNumberPart = (c: number): boolean => isDigit(c) || c === 46

/**
 * Split SQL text into tokens, quote- and comment-aware. Unterminated quotes and comments throw
 * `PARSE_ERROR` with the line and column where they start.
 */
export const tokenize = (source: string): Token[] => scan(source, true)

/**
 * The tokens of `source` without whitespace and comments: `significant(tokenize(source))`, without
 * making the tokens it would drop.
 */
export const significantTokens = (source: string): Token[] => scan(source, false)

const scan = (source: string, trivia: boolean): Token[] => {
  const tokens: Token[] = []
  let i = 0
  let line = 1
  let lineStart = 0
  const n = source.length
  let tokLine = 1
  let tokLineStart = 0

  /** Push the token that ends at `i`; `multiline` for the kinds that may hold a line break. */
  const push = (kind: TokenKind, start: number, value: string, text: string, multiline: boolean, quote?: "'" | '"'): void => {
    if (trivia || (kind !== 'whitespace' && kind !== 'comment')) pushToken(kind, start, value, text, quote)
    if (!multiline) return
    for (let k = start; k < i; k++) {
      if (source.charCodeAt(k) === 10) {
        line++
        lineStart = k + 1
      }
    }
  }
  const pushToken = (kind: TokenKind, start: number, value: string, text: string, quote: "'" | '"' | undefined): void => {
    const token: Token =
      quote === undefined
        ? { kind, value, text, start, end: i, line: tokLine, column: start - tokLineStart + 1 }
        : { kind, value, text, start, end: i, line: tokLine, column: start - tokLineStart + 1, quote }
    tokens.push(token)
  }
  const fail = (what: string, start: number): never => {
    throw new StarRocksMvError('PARSE_ERROR', `${what} starting at line ${tokLine}, column ${start - tokLineStart + 1}.`, {
      line: tokLine, column: start - tokLineStart + 1,
    })
  }

  while (i < n) {
    const start = i
    tokLine = line
    tokLineStart = lineStart
    const c = source.charCodeAt(i)
    const next = i + 1 < n ? source.charCodeAt(i + 1) : -1
    if (isSpace(c)) {
      i = runEnd(source, i + 1, isSpace)
      const text = trivia ? source.slice(start, i) : ''
      push('whitespace', start, text, text, true)
    } else if ((c === 45 /* - */ && next === 45 && (i + 2 >= n || isSpace(source.charCodeAt(i + 2)))) || c === 35 /* # */) {
      const eol = source.indexOf('\n', i)
      i = eol < 0 ? n : eol
      const text = source.slice(start, i)
      push('comment', start, text, text, false)
    } else if (c === 47 /* / */ && next === 42 /* * */) {
      const close = source.indexOf('*/', i + 2)
      if (close < 0) fail('Unterminated /* comment', start)
      i = close + 2
      const text = source.slice(start, i)
      push('comment', start, text, text, true)
    } else if (c === 96 /* ` */) {
      let value = ''
      i++
      for (;;) {
        const close = source.indexOf('`', i)
        if (close < 0) fail('Unterminated back-quoted identifier', start)
        value += source.slice(i, close)
        if (source.charCodeAt(close + 1) === 96) {
          value += '`'
          i = close + 2
          continue
        }
        i = close + 1
        break
      }
      push('quoted', start, value, source.slice(start, i), true)
    } else if (c === 39 /* ' */ || c === 34 /* " */) {
      const q = c === 39 ? "'" : '"'
      let value = ''
      i++
      // runs without a backslash or the quote are copied in one slice
      let from = i
      for (;;) {
        if (i >= n) fail(`Unterminated ${c === 39 ? 'single' : 'double'}-quoted string`, start)
        const ch = source.charCodeAt(i)
        if (ch === 92 /* \ */) {
          if (i + 1 >= n) fail('Unterminated string (a trailing backslash)', start)
          const e = source[i + 1] as string
          value += source.slice(from, i) + (UNESCAPE[e] ?? e)
          i += 2
          from = i
          continue
        }
        if (ch === c) {
          if (source.charCodeAt(i + 1) === c) {
            value += source.slice(from, i) + q
            i += 2
            from = i
            continue
          }
          value += source.slice(from, i)
          i++
          break
        }
        i++
      }
      push('string', start, value, source.slice(start, i), true, q)
    } else if (isDigit(c) || (c === 46 /* . */ && isDigit(next))) {
      i = runEnd(source, i, isNumberPart)
      const e = i < n ? source.charCodeAt(i) : -1
      const sign = i + 1 < n ? source.charCodeAt(i + 1) : -1
      if ((e === 101 || e === 69) /* e E */ && (isDigit(sign) || sign === 45 || sign === 43)) {
        i = runEnd(source, i + 2, isDigit)
      }
      // 1a is an identifier in MySQL, not a number followed by a word
      if (i < n && isWordPart(source.charCodeAt(i)) && !source.slice(start, i).includes('.')) {
        i = runEnd(source, i, isWordPart)
        const text = source.slice(start, i)
        push('word', start, text, text, false)
      } else {
        const text = source.slice(start, i)
        push('number', start, text, text, false)
      }
    } else if (isWordStart(c)) {
      i = runEnd(source, i + 1, isWordPart)
      const text = source.slice(start, i)
      push('word', start, text, text, false)
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i))
      i += op === undefined ? 1 : op.length
      const text = source.slice(start, i)
      push('punct', start, text, text, false)
    }
  }
  return tokens
}

/** Tokens without whitespace and comments. */
export const significant = (tokens: readonly Token[]): Token[] =>
  tokens.filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment')

/** True when `t` is the keyword `kw` (case-insensitive, unquoted words only). */
export const isKeyword = (t: Token | undefined, kw: string): boolean =>
  t !== undefined && t.kind === 'word' && t.value.length === kw.length && (t.value === kw || t.value.toUpperCase() === kw.toUpperCase())

/**
 * Split a script into statements on `;` outside quotes and comments. Empty statements (and those
 * made only of comments) are dropped; each statement is trimmed and has no trailing `;`.
 */
export const splitStatements = (script: string): string[] => {
  const tokens = tokenize(script)
  const out: string[] = []
  let from = 0
  let hasCode = false
  const flush = (to: number): void => {
    if (hasCode) out.push(script.slice(from, to).trim())
    hasCode = false
  }
  for (const t of tokens) {
    if (t.kind === 'punct' && t.value === ';') {
      flush(t.start)
      from = t.end
    } else if (t.kind !== 'whitespace' && t.kind !== 'comment') {
      hasCode = true
    }
  }
  flush(script.length)
  return out
}
