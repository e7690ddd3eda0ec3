/** Deeper than this, two values are taken as different (a cycle, or data no definition holds). */
const MAX_DATA_DEPTH = 64

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

const isPlainObject = (o: object): boolean => {
  const proto = Object.getPrototypeOf(o) as unknown
  return proto === Object.prototype || proto === null
}

/**
 * True when two plain-data values (objects, arrays, primitives, as JSON holds them) are equal part
 * by part: the keys of an object in any order, an `undefined` property as one that is absent.
 * Keys in `ignore` are skipped at the top level only. An object that is not plain data (a class
 * instance, a `Date`) is equal only to itself.
 *
 * @example
 * ```ts
 * sameData({ a: 1, b: [2], c: undefined }, { b: [2], a: 1 }) // true
 * ```
 */
export const sameData = (a: unknown, b: unknown, ignore?: ReadonlySet<string>, depth = 0): boolean => {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || depth > MAX_DATA_DEPTH) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i], undefined, depth + 1)) return false
    return true
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  let defined = 0
  for (const k in x) {
    if (!hasOwn(x, k) || ignore?.has(k) === true) continue
    const v = x[k]
    if (v === undefined) continue
    defined++
    if (!hasOwn(y, k) || !sameData(v, y[k], undefined, depth + 1)) return false
  }
  for (const k in y) if (hasOwn(y, k) && ignore?.has(k) !== true && y[k] !== undefined) defined--
  return defined === 0
}
