/** A START time as text: `'yyyy-MM-dd HH:mm:ss'` (checked at run time too). */
export type StartTimeString = `${number}-${number}-${number} ${number}:${number}:${number}`

/**
 * What `start` takes: `'2025-01-01 00:00:00'` (the server's wall-clock time), or a `Date` (an
 * instant, rendered as its UTC time; whole seconds only).
 */
export type StartTime = StartTimeString | Date
