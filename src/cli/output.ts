import { createColors } from 'picocolors'
import { maskSecretsInText } from '../db/mask-url.js'
import { isStarRocksMvError } from '../errors.js'

/** Where the CLI writes and what it reads from its environment (the process, or a test). */
export interface Io {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean }
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean }
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
}

/** Colours: off under NO_COLOR, with --no-color, or when the stream is not a terminal. */
export const colorsFor = (io: Io, stream: 'stdout' | 'stderr', flag: boolean | undefined): ReturnType<typeof createColors> => {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== ''
  const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '' && io.env.FORCE_COLOR !== '0'
  return createColors(flag !== false && !noColor && (forced || io[stream].isTTY === true))
}

/** A colour sequence (SGR), or one control character that could rewrite the terminal or reorder text. */
const CONTROL = /\x1b\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * Show control characters as `\uXXXX` escapes (valid in JSON too): a name holding ESC, CR or a
 * bidirectional override cannot move the cursor, erase a line or reorder what is printed. Newline
 * and tab stay; colour sequences stay only when `keepColors` (the printer's own colours).
 */
export const escapeControl = (text: string, keepColors: boolean): string =>
  text.replace(CONTROL, (m) =>
    m.length > 1 ? (keepColors ? m : `\\u001b${m.slice(1)}`) : `\\u${(m.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  )

/** A printer over an Io: lines to stdout (results) or stderr (progress, errors), secrets masked. */
export class Printer {
  readonly io: Io
  readonly c: ReturnType<typeof createColors>
  readonly e: ReturnType<typeof createColors>
  readonly #secrets: string[]
  constructor(io: Io, color: boolean | undefined, secrets: readonly string[] = []) {
    this.io = io
    this.c = colorsFor(io, 'stdout', color)
    this.e = colorsFor(io, 'stderr', color)
    this.#secrets = secrets.filter((s) => s.length > 0)
  }
  /** Mask URLs' passwords and any known secret. */
  mask(text: string): string {
    let out = maskSecretsInText(text)
    for (const s of this.#secrets) out = out.split(s).join('***')
    return out
  }
  out(text = ''): void {
    this.io.stdout.write(`${escapeControl(this.mask(text), this.c.isColorSupported)}\n`)
  }
  err(text = ''): void {
    this.io.stderr.write(`${escapeControl(this.mask(text), this.e.isColorSupported)}\n`)
  }
  json(value: unknown): void {
    this.io.stdout.write(`${escapeControl(this.mask(JSON.stringify(value, null, 2)), false)}\n`)
  }
  /** Rewrite the current stderr line (progress on a terminal). */
  status(text: string): void {
    this.io.stderr.write(`\r\x1b[2K${escapeControl(this.mask(text), this.e.isColorSupported)}`)
  }
}

/** An error as `srmv` reports it: on stderr as `error [CODE]: message`, and with `--json` on stdout as `{ "error": ErrorReport }`. */
export interface ErrorReport {
  /** The code the troubleshooting pages are indexed by (`docs/troubleshooting/<CODE>.md`). */
  readonly code: string
  readonly message: string
  /** Where to read more, or what to do next. */
  readonly hint: string
}

/** The code of an error that is not a `StarRocksMvError`: a bug in srmv. */
export const INTERNAL_ERROR_CODE = 'INTERNAL_ERROR'

/** Turn anything thrown into the report the CLI prints. */
export const errorReport = (e: unknown): ErrorReport => {
  if (isStarRocksMvError(e)) {
    const hint = e.details.hint
    return {
      code: e.code,
      message: e.message,
      hint: typeof hint === 'string' && hint !== '' ? hint : `The page for ${e.code} in the troubleshooting guide (docs/troubleshooting/${e.code}.md) says what it means and the way out.`,
    }
  }
  return {
    code: INTERNAL_ERROR_CODE,
    message: e instanceof Error ? e.message : String(e),
    hint: 'This is a bug in srmv: run again with SRMV_DEBUG=1 to see where it happened, and report it with that output.',
  }
}
