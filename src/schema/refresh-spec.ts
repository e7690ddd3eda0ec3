import { StarRocksMvError } from '../errors.js'
import { INTERVAL_UNITS, type Interval, type IntervalUnit, type RefreshSpec } from '../model/index.js'
import { checkRefresh, checkStart, MAX_COUNT } from '../render/index.js'
import { formatDate } from '../sql/index.js'
import type { IntervalInput } from './types/interval.js'
import type { StartTime } from './types/start-time.js'

const invalid = (subject: string, message: string, value: unknown): StarRocksMvError =>
  new StarRocksMvError('INVALID_MV', `${subject}: ${message}`, { mv: subject, value })

/**
 * Parse `every`: `'1 DAY'`, `'30 minute'`, `'2 hours'`, or `{ value, unit }`. Throws `INVALID_MV`
 * for an unknown unit or a value that is not a whole number greater than 0.
 */
export const parseInterval = (input: IntervalInput, subject: string): Interval => {
  let value: unknown
  let unitText: unknown
  if (typeof input === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(input)
    if (m === null) throw invalid(subject, `the refresh interval must look like '1 DAY' or '30 MINUTE', got ${JSON.stringify(input)}.`, input)
    value = Number(m[1])
    unitText = m[2]
  } else if (input !== null && typeof input === 'object') {
    value = input.value
    unitText = input.unit
  } else {
    throw invalid(subject, `the refresh interval must be a string such as '1 DAY' or { value, unit }, got ${String(input)}.`, input)
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalid(subject, `the refresh interval must be a whole number greater than 0, got ${String(value)} in ${JSON.stringify(input)}.`, input)
  }
  if (value > MAX_COUNT) {
    throw invalid(subject, `the refresh interval ${JSON.stringify(input)} is too large: StarRocks takes at most ${MAX_COUNT}. Use a larger unit.`, input)
  }
  const upper = typeof unitText === 'string' ? unitText.toUpperCase() : ''
  const unit = (INTERVAL_UNITS as readonly string[]).includes(upper) ? upper : upper.endsWith('S') ? upper.slice(0, -1) : upper
  if (!(INTERVAL_UNITS as readonly string[]).includes(unit)) {
    throw invalid(subject, `unknown refresh interval unit ${JSON.stringify(unitText)}: use one of ${INTERVAL_UNITS.join(', ')}.`, input)
  }
  return Object.freeze({ value, unit: unit as IntervalUnit })
}

/** Normalise `start` to `yyyy-MM-dd HH:mm:ss`: a `Date` as its UTC time (whole seconds), a string checked. */
export const normalizeStart = (start: StartTime, subject: string): string => {
  if (start instanceof Date) {
    if (Number.isNaN(start.getTime())) throw invalid(subject, 'refresh START is an invalid Date.', String(start))
    if (start.getUTCMilliseconds() !== 0) {
      throw invalid(subject, `refresh START must be whole seconds; ${start.toISOString()} has milliseconds.`, start.toISOString())
    }
    return formatDate(start)
  }
  checkStart(start, subject)
  return start
}

/** Build an async refresh spec from builder options (checked). */
export const asyncRefresh = (
  options: { readonly start?: StartTime; readonly every?: IntervalInput; readonly deferred?: unknown },
  subject: string,
  allowMoment: boolean,
): RefreshSpec => {
  checkOptions(options, subject, 'refresh.async', allowMoment)
  const deferred = readMoment(options.deferred, subject, allowMoment)
  const spec: RefreshSpec = {
    kind: 'async',
    deferred,
    ...(options.start === undefined ? {} : { start: normalizeStart(options.start, subject) }),
    ...(options.every === undefined ? {} : { every: parseInterval(options.every, subject) }),
  }
  checkRefresh(spec, subject)
  return Object.freeze(spec)
}

/** Build a manual refresh spec from builder options (checked). */
export const manualRefresh = (options: { readonly deferred?: unknown }, subject: string, allowMoment: boolean): RefreshSpec => {
  checkOptions(options, subject, 'refresh.manual', allowMoment)
  return Object.freeze({ kind: 'manual', deferred: readMoment(options.deferred, subject, allowMoment) })
}

/** Options must be an object (or left out): `null` would otherwise fail as "Cannot read properties of null". */
const checkOptions = (options: unknown, subject: string, method: string, builder: boolean): void => {
  if (options !== null && typeof options === 'object' && !Array.isArray(options)) return
  const what = options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options
  throw new StarRocksMvError(builder ? 'INVALID_MV' : 'INVALID_ALTER', `${subject}: .${method}() takes an options object or nothing, got ${what}.`, { mv: subject })
}

const readMoment = (deferred: unknown, subject: string, allowMoment: boolean): boolean => {
  if (deferred === undefined) return false
  if (!allowMoment) {
    throw new StarRocksMvError(
      'INVALID_ALTER',
      `${subject}: ALTER ... REFRESH takes no moment: DEFERRED and IMMEDIATE apply only when a materialized view is created. Remove "deferred".`,
      { mv: subject },
    )
  }
  if (typeof deferred !== 'boolean') throw invalid(subject, `refresh "deferred" must be a boolean, got ${String(deferred)}.`, deferred)
  return deferred
}
