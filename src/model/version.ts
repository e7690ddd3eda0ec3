import { StarRocksMvError } from '../errors.js'

/**
 * A StarRocks server version. Parsed from what `SELECT current_version()` returns (`3.5.17`,
 * `4.1.1-ee`, `26.2.0-ee`, `main-d4df1c9`) or what a user configures (`3.5`, `4.1`).
 * A `main-<sha>` build counts as newer than every numbered release.
 */
export interface Version {
  readonly major: number
  readonly minor: number
  readonly patch: number
  /** The text it was parsed from. */
  readonly text: string
}

/** The version rendered for when none is configured and no server is connected. */
export const DEFAULT_VERSION = '3.5'

const MAIN = 1_000_000

/** Parse a version string; throws `INVALID_VERSION` with the input named. */
export const parseVersion = (text: string | Version): Version => {
  if (typeof text !== 'string') return text
  // the renderers compare against a handful of literal versions ('3.0', '3.1', ...) for every clause
  const known = parsed.get(text)
  if (known !== undefined) return known
  const version = parseText(text)
  if (parsed.size >= PARSED_LIMIT) parsed.clear()
  parsed.set(text, version)
  return version
}

/** Versions parsed so far, by their text (frozen, so shared). Bounded: cleared when full. */
const parsed = new Map<string, Version>()
const PARSED_LIMIT = 1024

const parseText = (text: string): Version => {
  const t = text.trim()
  if (/^main(\b|-)/i.test(t)) return Object.freeze({ major: MAIN, minor: 0, patch: 0, text: t })
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+._ ].*)?$/.exec(t)
  if (m === null) {
    throw new StarRocksMvError(
      'INVALID_VERSION',
      `Invalid StarRocks version "${text}": expected a version such as 3.5, 4.1.1 or 26.2.0-ee.`,
      { version: text },
    )
  }
  return Object.freeze({ major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), text: t })
}

/** Compare two versions: negative, zero or positive. */
export const compareVersions = (a: string | Version, b: string | Version): number => {
  const x = parseVersion(a)
  const y = parseVersion(b)
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch
}

/** True when `v` is `min` or newer. */
export const atLeast = (v: string | Version, min: string): boolean => compareVersions(v, min) >= 0
