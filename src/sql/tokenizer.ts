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

const isWordStart = (c: string): boolean => /[A-Za-z_$\u0080-\uffff]/.test(c)
const isWordPart = (c: string): boolean => /[A-Za-z0-9_$\u0080-\uffff]/.test(c)

// Sticky patterns consume a whole run at once (one regex call per token, not per character).
const WHITESPACE_RUN = /\s+/y
const WORD_REST = /[A-Za-z0-9_$\u0080-\uffff]*/y
const NUMBER_RUN = /[0-9.]*/y
const DIGIT_RUN = /[0-9]*/y

/** Where the run of `pattern` that starts at `from` ends. */
const runEnd = (pattern: RegExp, source: string, from: number): number => {
  pattern.lastIndex = from
  return pattern.exec(source) === null ? from : pattern.lastIndex
}

/**
 * Split SQL text into tokens, quote- and comment-aware. Unterminated quotes and comments throw
 * `PARSE_ERROR` with the line and column where they start.
 */
export const tokenize = (source: string): Token[] => {
  const tokens: Token[] = []
  let i = 0
  let line = 1
  let lineStart = 0
  const n = source.length
  let tokLine = 1
  let tokLineStart = 0

  const push = (kind: TokenKind, start: number, value: string, quote?: "'" | '"'): void => {
    const token: Token =
      quote === undefined
        ? { kind, value, text: source.slice(start, i), start, end: i, line: tokLine, column: start - tokLineStart + 1 }
        : { kind, value, text: source.slice(start, i), start, end: i, line: tokLine, column: start - tokLineStart + 1, quote }
    tokens.push(token)
    for (let k = start; k < i; k++) {
      if (source.charCodeAt(k) === 10) {
        line++
        lineStart = k + 1
      }
    }
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
    const c = source[i] as string
    const next = source[i + 1] ?? ''
    if (/\s/.test(c)) {
      i = runEnd(WHITESPACE_RUN, source, i)
      push('whitespace', start, source.slice(start, i))
    } else if ((c === '-' && next === '-' && /[\s]|^$/.test(source[i + 2] ?? '')) || c === '#') {
      const eol = source.indexOf('\n', i)
      i = eol < 0 ? n : eol
      push('comment', start, source.slice(start, i))
    } else if (c === '/' && next === '*') {
      const close = source.indexOf('*/', i + 2)
      if (close < 0) fail('Unterminated /* comment', start)
      i = close + 2
      push('comment', start, source.slice(start, i))
    } else if (c === '`') {
      let value = ''
      i++
      for (;;) {
        const close = source.indexOf('`', i)
        if (close < 0) fail('Unterminated back-quoted identifier', start)
        value += source.slice(i, close)
        if (source[close + 1] === '`') {
          value += '`'
          i = close + 2
          continue
        }
        i = close + 1
        break
      }
      push('quoted', start, value)
    } else if (c === "'" || c === '"') {
      let value = ''
      i++
      for (;;) {
        if (i >= n) fail(`Unterminated ${c === "'" ? 'single' : 'double'}-quoted string`, start)
        const ch = source[i] as string
        if (ch === '\\') {
          const e = source[i + 1]
          if (e === undefined) fail('Unterminated string (a trailing backslash)', start)
          value += UNESCAPE[e as string] ?? (e as string)
          i += 2
          continue
        }
        if (ch === c) {
          if (source[i + 1] === c) {
            value += c
            i += 2
            continue
          }
          i++
          break
        }
        value += ch
        i++
      }
      push('string', start, value, c)
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next))) {
      i = runEnd(NUMBER_RUN, source, i)
      if (/[eE]/.test(source[i] ?? '') && /[-+0-9]/.test(source[i + 1] ?? '')) {
        i = runEnd(DIGIT_RUN, source, i + 2)
      }
      // 1a is an identifier in MySQL, not a number followed by a word
      if (i < n && isWordPart(source[i] as string) && !source.slice(start, i).includes('.')) {
        i = runEnd(WORD_REST, source, i)
        push('word', start, source.slice(start, i))
      } else {
        push('number', start, source.slice(start, i))
      }
    } else if (isWordStart(c)) {
      i = runEnd(WORD_REST, source, i + 1)
      push('word', start, source.slice(start, i))
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i))
      i += op === undefined ? 1 : op.length
      push('punct', start, source.slice(start, i))
    }
  }
  return tokens
}

/** Tokens without whitespace and comments. */
export const significant = (tokens: readonly Token[]): Token[] =>
  tokens.filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment')

/** True when `t` is the keyword `kw` (case-insensitive, unquoted words only). */
export const isKeyword = (t: Token | undefined, kw: string): boolean =>
  t !== undefined && t.kind === 'word' && t.value.toUpperCase() === kw.toUpperCase()

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
