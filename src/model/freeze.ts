import { deepFrozen } from './deep-frozen.js'

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/** Freeze a plain-data value and everything in it; already-frozen parts are left as they are. */
export const freezeDeep = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    if (Array.isArray(value)) for (const v of value) freezeDeep(v)
    else for (const k in value) if (hasOwn(value, k)) freezeDeep((value as Record<string, unknown>)[k])
    Object.freeze(value)
  }
  return value
}

/**
 * True when `value` and everything in it are frozen, so that it can never change (a frozen object
 * may still hold a part that is not: `MvDefinition.create` shares the frozen parts it is given as
 * they are). The objects asked about and found so are remembered (a frozen object stays frozen);
 * their parts are not, which keeps the first question cheap.
 */
export const isDeepFrozen = (value: unknown): boolean => {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return true
  if (deepFrozen.has(value)) return true
  if (!allFrozen(value)) return false
  deepFrozen.add(value)
  return true
}

/** Deeper than this, a value is taken as one that may change (a cycle, or data no definition holds). */
const MAX_FROZEN_DEPTH = 64

const allFrozen = (value: unknown, depth = 0): boolean => {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return true
  if (!Object.isFrozen(value) || depth > MAX_FROZEN_DEPTH) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!allFrozen(value[i], depth + 1)) return false
    return true
  }
  const o = value as Record<string, unknown>
  for (const k in o) if (!allFrozen(o[k], depth + 1)) return false
  return true
}

/** An object type with its `undefined`-able properties made optional and `undefined`-free. */
export type StripUndefined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>
}

/** A copy of `o` without its `undefined` properties (for `exactOptionalPropertyTypes` data). */
export const stripUndefined = <T extends object>(o: T): StripUndefined<T> => {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k]
    if (v !== undefined) setData(out, k, v)
  }
  return out as StripUndefined<T>
}

/** Set `out[k]` as an own data property (a key such as `__proto__` stays data, as with `Object.fromEntries`). */
const setData = (out: Record<string, unknown>, k: string, v: unknown): void => {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
  else out[k] = v
}

/**
 * A deep copy of plain data (objects, arrays, primitives) that shares frozen parts instead of copying
 * them: a frozen value can never change, so a definition built from another reuses its frozen pieces.
 */
export const cloneData = <T>(value: T): T => {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value
  if (Array.isArray(value)) return value.map(cloneData) as T
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(value)) setData(out, k, cloneData((value as Record<string, unknown>)[k]))
  return out as T
}

/**
 * `{ ...defaults, ...cloneData(stripUndefined(fields)) }` in one pass: the defaults, then each
 * defined field of `fields` copied as {@link cloneData} copies it (frozen parts shared). Keys keep
 * the order the spread would give them.
 */
export const withDefinedFields = <D extends object, F extends object>(defaults: D, fields: F): D & StripUndefined<F> => {
  const out = { ...defaults } as Record<string, unknown>
  for (const k of Object.keys(fields)) {
    const v = (fields as Record<string, unknown>)[k]
    if (v !== undefined) setData(out, k, cloneData(v))
  }
  return out as D & StripUndefined<F>
}
