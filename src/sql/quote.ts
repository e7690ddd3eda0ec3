/**
 * The only place in the project that quotes identifiers and escapes literals.
 *
 * Identifiers: back-quoted, an inner backtick doubled (the one quoting rule StarRocks and MySQL share).
 * Literals: single-quoted, escaped by the MySQL/StarRocks backslash rules (never by doubling quotes:
 * StarRocks versions disagree on `''`, and a doubled quote after a backslash is an injection).
 */

/** The largest identifier length accepted (StarRocks allows 64 characters for most objects; newer parsers more). */
export const MAX_IDENTIFIER_LENGTH = 1024

/** Names quoted before: schemas repeat the same few names thousands of times. Bounded, then started afresh. */
const quotedNames = new Map<string, string>()
const QUOTED_NAMES_LIMIT = 50_000

/**
 * Quote one identifier part: `` a`b `` → `` `a``b` ``. Rejects empty names and NUL, which no
 * StarRocks version accepts.
 */
export const quoteIdentifier = (name: string): string => {
  if (typeof name !== 'string') {
    throw new TypeError(`Identifier must be a string, got ${describe(name)}.`)
  }
  const known = quotedNames.get(name)
  if (known !== undefined) return known
  if (name.length === 0) {
    throw new TypeError('Identifier must not be empty: give the table, column or view a name.')
  }
  if (name.includes('\0')) {
    throw new TypeError(`Identifier ${JSON.stringify(name)} contains a NUL character, which StarRocks does not accept in names.`)
  }
  if (name.length > MAX_IDENTIFIER_LENGTH) {
    throw new TypeError(`Identifier "${name.slice(0, 40)}..." is ${name.length} characters long; the limit is ${MAX_IDENTIFIER_LENGTH}.`)
  }
  const quoted = '`' + name.replaceAll('`', '``') + '`'
  if (quotedNames.size >= QUOTED_NAMES_LIMIT) quotedNames.clear()
  quotedNames.set(name, quoted)
  return quoted
}

/**
 * The name inside one back-quoted identifier, as {@link quoteIdentifier} writes it: `` `a``b` `` →
 * `` a`b ``. Undefined for anything else (a bare word, a dotted path, an expression).
 */
export const unquoteIdentifier = (text: string): string | undefined => {
  const m = /^`((?:[^`]|``)+)`$/.exec(text)
  return m === null ? undefined : (m[1] as string).replaceAll('``', '`')
}

/** Quote a dotted path of identifier parts: `['db', 'mv']` → `` `db`.`mv` ``. */
export const quoteQualified = (...parts: readonly string[]): string => {
  if (parts.length === 0) throw new TypeError('sql.id() needs at least one name part.')
  let out = quoteIdentifier(parts[0] as string)
  for (let i = 1; i < parts.length; i++) out += '.' + quoteIdentifier(parts[i] as string)
  return out
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\x1a': '\\Z',
}

/**
 * Escape a string's content for a quoted literal: backslash first (one pass does it in the right
 * order, since each character is replaced once), then quotes, NUL, newline, CR, tab and ^Z.
 */
export const escapeString = (value: string): string => value.replace(/[\\'"\0\n\r\t\x1a]/g, (c) => ESCAPES[c] ?? c)

/** Render a string as a single-quoted literal. */
export const quoteString = (value: string): string => "'" + escapeString(value) + "'"

/** Render a string as a double-quoted literal, as StarRocks prints property values and comments. */
export const quoteDoubleString = (value: string): string => '"' + escapeString(value) + '"'

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/**
 * Format a `Date` as `yyyy-MM-dd HH:mm:ss[.SSS]` in UTC. The time-zone rule: a `Date` is an instant,
 * and it is rendered as its UTC wall-clock time so that the same code renders the same SQL on every
 * machine. To mean a wall-clock time in the server's zone, pass the string instead.
 */
export const formatDate = (d: Date): string => {
  if (Number.isNaN(d.getTime())) throw new TypeError('Invalid Date cannot be rendered as a SQL literal.')
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  const ms = d.getUTCMilliseconds()
  return ms === 0 ? base : `${base}.${pad(ms, 3)}`
}

/** A value the literal renderer accepts. */
export type LiteralValue = string | number | bigint | boolean | null | Date

/**
 * The one literal renderer: strings escaped, finite numbers, bigints, booleans, `NULL`, and dates
 * (UTC, see {@link formatDate}). Throws `TypeError` for anything else, including NaN and Infinity.
 */
export const renderLiteral = (value: LiteralValue): string => {
  if (value === null) return 'NULL'
  switch (typeof value) {
    case 'string':
      return quoteString(value)
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Cannot render ${value} as a SQL literal: only finite numbers are allowed.`)
      return Object.is(value, -0) ? '0' : String(value)
    case 'bigint':
      return value.toString()
    case 'boolean':
      return value ? 'TRUE' : 'FALSE'
    default:
      if (value instanceof Date) return quoteString(formatDate(value))
      throw new TypeError(`Cannot render ${describe(value)} as a SQL literal.`)
  }
}

/** A short, safe description of a value for error messages. */
export const describe = (value: unknown): string => {
  if (value === undefined) return 'undefined'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'symbol') return 'a symbol'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'object') return 'an object'
  return typeof value
}
