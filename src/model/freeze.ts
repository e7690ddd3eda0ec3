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

/**
 * A deep copy of plain data (objects, arrays, primitives) that shares frozen parts instead of copying
 * them: a frozen value can never change, so a definition built from another reuses its frozen pieces.
 */
export const cloneData = <T>(value: T): T => {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value
  if (Array.isArray(value)) return value.map(cloneData) as T
  // fromEntries defines own properties, so a key such as `__proto__` stays data
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneData(v)])) as T
}
