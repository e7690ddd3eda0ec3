/** Freeze a plain-data value and everything in it; already-frozen parts are left as they are. */
export const freezeDeep = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) freezeDeep(v)
    Object.freeze(value)
  }
  return value
}

/** An object type with its `undefined`-able properties made optional and `undefined`-free. */
export type StripUndefined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>
}

/** A copy of `o` without its `undefined` properties (for `exactOptionalPropertyTypes` data). */
export const stripUndefined = <T extends object>(o: T): StripUndefined<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as StripUndefined<T>
