import type { Interval, IntervalUnit } from '../../model/index.js'

/** An interval unit as written in `every`: `'DAY'` or `'day'`, and so on. */
export type IntervalUnitName = IntervalUnit | Lowercase<IntervalUnit>

/** A refresh interval written as text: `'1 DAY'`, `'30 minute'`. */
export type IntervalString = `${number} ${IntervalUnitName}`

/** What `every` takes: `'1 DAY'` or `{ value: 1, unit: 'DAY' }`. */
export type IntervalInput = IntervalString | Interval
