import { StarRocksMvError } from '../errors.js'
import { isSessionProperty, propertySpec } from '../render/index.js'
import { describe } from '../sql/index.js'

const invalid = (code: string, subject: string, message: string, details: Record<string, unknown>): StarRocksMvError =>
  new StarRocksMvError(code, `${subject}: ${message}`, { mv: subject, ...details })

/** Keys that change an object's prototype when assigned (`__proto__`): never a property name. */
export const isForbiddenKey = (key: string): boolean => key === '__proto__'

/**
 * Convert one property value to the string StarRocks stores, checking it against the catalog:
 * numbers (whole) for counts and seconds, booleans for flags, one of the listed strings for
 * enumerations; `session.*` and escape-hatch values may be strings, numbers or booleans.
 */
export const propertyText = (key: string, value: unknown, subject: string, code = 'INVALID_MV'): string => {
  const spec = propertySpec(key)
  const shown = typeof value === 'string' ? JSON.stringify(value) : describe(value)
  const fail = (expected: string): never => {
    throw invalid(code, subject, `property "${key}" must be ${expected}, got ${shown}.`, { property: key, value })
  }
  if (spec === undefined) {
    if (typeof value === 'string') return value
    if (typeof value === 'boolean') return String(value)
    if (typeof value === 'number' && Number.isFinite(value)) {
      // 1e300 would be stored as "1e+300": no server reads that as the number meant.
      if (/e/i.test(String(value))) return fail('a string, a finite number written without an exponent (pass a very large or small number as a string) or a boolean')
      return String(value)
    }
    return fail('a string, a finite number or a boolean')
  }
  switch (spec.type) {
    case 'number':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
      if (typeof value === 'number' && Number.isInteger(value)) return fail(`a whole number between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER} (a larger one loses digits; pass it as a string of digits)`)
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return value
      return fail('a whole number')
    case 'boolean':
      if (typeof value === 'boolean') return String(value)
      if (value === 'true' || value === 'false') return value
      return fail('true or false')
    case 'enum': {
      const found = typeof value === 'string' ? (spec.values ?? []).find((v) => v.toLowerCase() === value.toLowerCase()) : undefined
      return found ?? fail(`one of ${(spec.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`)
    }
    case 'string':
      if (typeof value === 'string') return value
      return fail('a string')
  }
}

/**
 * Convert `.properties({...})` / `.set({...})` input to stored strings. Keys must be catalog
 * properties or `session.*`; others only through the escape hatch (`unknown`). `undefined` values
 * are skipped.
 */
export const propertiesText = (
  properties: unknown,
  unknown: unknown,
  subject: string,
  escapeExample: string,
  code = 'INVALID_MV',
): Record<string, string> => {
  const out: Record<string, string> = {}
  const read = (bag: unknown, what: string, known: boolean): void => {
    if (bag === undefined) return
    if (bag === null || typeof bag !== 'object' || Array.isArray(bag)) {
      throw invalid(code, subject, `${what} must be an object of property names and values, got ${describe(bag)}.`, {})
    }
    for (const [key, value] of Object.entries(bag)) {
      if (isForbiddenKey(key)) {
        throw invalid(code, subject, `the property name "${key}" is refused: it would change the prototype of JavaScript objects that hold the properties. No StarRocks property has this name.`, { property: key })
      }
      if (value === undefined) continue
      if (key.length === 0) throw invalid(code, subject, 'a property name must not be empty.', {})
      if (known && propertySpec(key) === undefined && !isSessionProperty(key)) {
        throw invalid(
          code,
          subject,
          `unknown property "${key}". Known properties are typed from PROPERTY_CATALOG; for a property the catalog does not know, use the escape hatch: ${escapeExample.replaceAll('KEY', key)}.`,
          { property: key },
        )
      }
      out[key] = propertyText(key, value, subject, code)
    }
  }
  read(properties, 'properties', true)
  read(unknown, 'the escape hatch "unknown"', false)
  return out
}
