import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseState, serializeState, snapshot } from '../../src/diff/index.js'
import { isStarRocksMvError } from '../../src/errors.js'
import { SchemaState } from '../../src/model/index.js'
import { daily, edit, monthly } from './defs.js'

const code = (f: () => unknown): string | undefined => {
  try {
    f()
  } catch (e) {
    return isStarRocksMvError(e) ? `${e.code}: ${e.message}` : `not a StarRocksMvError: ${String(e)}`
  }
  return undefined
}

describe('snapshot', () => {
  it('sorts MVs, accepts definitions and builders, strips intents', () => {
    const s = snapshot([monthly, { definition: edit(daily, { renamedFrom: 'old', rebuild: 'swap' }) }])
    expect(s.mvs.map((m) => m.name)).toEqual(['daily', 'monthly'])
    expect(s.mvs[0]).toEqual(daily)
    expect('renamedFrom' in (s.mvs[0] as object)).toBe(false)
  })

  it('rejects duplicates by qualified name', () => {
    expect(code(() => snapshot([daily, daily]))).toMatch(/^DUPLICATE_MV: .*shop\.daily/)
    expect(snapshot([daily, edit(daily, { schema: 'other' })]).mvs).toHaveLength(2)
  })

  it('rejects things that are not MVs', () => {
    expect(code(() => snapshot([{ name: 'x' } as never]))).toMatch(/^INVALID_MV/)
  })
})

describe('serializeState / parseState', () => {
  const state = snapshot([monthly, daily])

  it('points a corrupt snapshot to version control, not to srmv stamp (which writes no snapshot)', () => {
    let message = ''
    try {
      parseState('{"mvs": [', 'x.snapshot.json')
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/^Snapshot x\.snapshot\.json is not a valid state: it is not JSON .*Restore it from version control: snapshots are written by srmv generate/)
    expect(message).not.toMatch(/stamp/)
  })
  it('round-trips', () => {
    expect(parseState(serializeState(state))).toEqual(state)
  })

  it('is stable: sorted keys at every level, trailing newline, independent of insertion order', () => {
    const text = serializeState(state)
    expect(text.endsWith('}\n')).toBe(true)
    expect(serializeState(snapshot([daily, monthly]))).toBe(text)
    const reordered = edit(daily, { properties: { task_priority: '5', partition_ttl: '2 MONTH', replication_num: '1' } })
    expect(serializeState(snapshot([monthly, reordered]))).toBe(text)
    const keys = [...text.matchAll(/^ {6}"([a-z_]+)":/gm)].map((m) => m[1])
    expect(keys.slice(0, 5)).toEqual([...keys.slice(0, 5)].sort())
  })

  it.each([
    ['not JSON', '{', /not JSON/],
    ['another kind', '{"kind":"Other","format":1,"mvs":[]}', /"kind" is "Other"/],
    ['a newer format', '{"kind":"SchemaState","format":99,"mvs":[]}', /format 99.*Upgrade starrocks-mv/],
    ['mvs missing', '{"kind":"SchemaState","format":1}', /"mvs" is undefined/],
    ['a malformed MV', '{"kind":"SchemaState","format":1,"mvs":[{"kind":"MvDefinition","name":"m"}]}', /mvs\[0\] \(m\).*"query"/],
    ['bad properties', '{"kind":"SchemaState","format":1,"mvs":[{"kind":"MvDefinition","name":"m","query":"q","properties":{"a":1}}]}', /properties/],
    ['a duplicate MV', '{"kind":"SchemaState","format":1,"mvs":[{"kind":"MvDefinition","name":"m","query":"q"},{"kind":"MvDefinition","name":"m","query":"q"}]}', /m appears twice/],
  ])('CORRUPT_SNAPSHOT for %s', (_, text, message) => {
    const got = code(() => parseState(text, 'migrations/snapshot.json'))
    expect(got).toMatch(/^CORRUPT_SNAPSHOT: Snapshot migrations\/snapshot.json/)
    expect(got).toMatch(message)
  })

  it('keeps status and server version of reflected states', () => {
    const reflected = SchemaState.create([daily], { status: { 'shop.daily': { active: false, inactiveReason: 'base table dropped' } }, serverVersion: '3.5.1' })
    expect(parseState(serializeState(reflected))).toEqual(reflected)
  })
})

describe('origin', () => {
  it('round-trips through JSON; stored snapshots without it still load; anything else is refused', () => {
    const reflected = SchemaState.create([], { serverVersion: '3.5.2', origin: 'server' })
    expect(parseState(serializeState(reflected)).origin).toBe('server')
    const old = '{\n  "format": 1,\n  "kind": "SchemaState",\n  "mvs": []\n}\n'
    expect(parseState(old).origin).toBeUndefined()
    expect(serializeState(parseState(old))).toBe(old)
    expect(() => parseState('{"format":1,"kind":"SchemaState","mvs":[],"origin":"moon"}', 'x.json')).toThrow(/"origin" is "moon"/)
  })
})

describe('serializeState writes what sorting every object and JSON.stringify write', () => {
  // snapshot text as it has always been written: every object copied with its keys sorted, then stringified
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys)
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
      )
    }
    return value
  }
  const reference = (value: unknown): string => `${JSON.stringify(sortKeys(value), null, 2)}\n`
  const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '2', '9', '10', '01', '-1', '1.5', '4294967294', '4294967295', 'a', 'B', '_', 'kind', '__proto__', 'constructor', 'toJSON'))
  const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined))
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('node'), { maxLength: 4 }),
    // own fields, __proto__ included, as JSON.parse makes them
    object: fc.array(fc.tuple(key, tie('node')), { maxLength: 6 }).map((entries) => Object.fromEntries(entries)),
  })).object

  it('on any JSON-like data: undefined fields, array-index keys, __proto__ and toJSON keys', () => {
    fc.assert(fc.property(value, (v) => serializeState(v as unknown as SchemaState) === reference(v)), { numRuns: 1000 })
  })

  it('on a state, and on the same state read back from its text', () => {
    const state = snapshot([daily, monthly])
    expect(serializeState(state)).toBe(reference(state))
    expect(serializeState(parseState(serializeState(state)))).toBe(reference(state))
  })
})
