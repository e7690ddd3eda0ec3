import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sameData } from '../../src/diff/same-data.js'

/** The value with undefined properties left out and keys sorted: what sameData should compare. */
const canon = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(canon)
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k]
      if (x !== undefined) Object.defineProperty(out, k, { value: canon(x), enumerable: true })
    }
    return out
  }
  return v
}

/** A copy with the keys of every object in reverse order, and an undefined field added here and there. */
const reordered = (v: unknown, extra: boolean): unknown => {
  if (Array.isArray(v)) return v.map((x) => reordered(x, extra))
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).reverse()) Object.defineProperty(out, k, { value: reordered((v as Record<string, unknown>)[k], extra), enumerable: true })
    if (extra) out.added_but_undefined = undefined
    return out
  }
  return v
}

const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('0', '10', '__proto__', 'constructor', 'kind'))
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null), fc.constant(undefined)),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
})).node

describe('sameData', () => {
  it('agrees with deep equality once undefined fields are left out, whatever the key order', () => {
    fc.assert(
      fc.property(value, value, fc.boolean(), (a, b, extra) => {
        expect(sameData(a, b)).toBe(isDeepStrictEqual(canon(a), canon(b)))
        expect(sameData(a, reordered(a, extra))).toBe(true)
        expect(sameData(reordered(b, extra), b)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('tells apart what differs at any depth', () => {
    const a = { kind: 'MvDefinition', distribution: { kind: 'hash', columns: ['d'], buckets: 8 }, properties: { replication_num: '1' } }
    expect(sameData(a, { ...a, distribution: { ...a.distribution, buckets: 16 } })).toBe(false)
    expect(sameData(a, { ...a, distribution: { ...a.distribution, columns: ['d', 'e'] } })).toBe(false)
    expect(sameData(a, { ...a, properties: {} })).toBe(false)
    expect(sameData(a, { ...a, properties: { replication_num: 1 } })).toBe(false)
    expect(sameData([1, 2], { 0: 1, 1: 2 })).toBe(false)
    expect(sameData({ a: undefined }, {})).toBe(true)
    expect(sameData({ a: null }, {})).toBe(false)
  })

  it('skips the ignored keys at the top level only', () => {
    const ignore = new Set(['rebuild'])
    expect(sameData({ q: 1, rebuild: 'swap' }, { q: 1 }, ignore)).toBe(true)
    expect(sameData({ q: 1, rebuild: 'swap' }, { q: 1, rebuild: 'drop-create' }, ignore)).toBe(true)
    expect(sameData({ q: { rebuild: 'swap' } }, { q: {} }, ignore)).toBe(false)
  })

  it('takes objects that are not plain data as equal only to themselves', () => {
    const when = new Date(0)
    expect(sameData(when, new Date(0))).toBe(false)
    expect(sameData({ when }, { when })).toBe(true)
    class Box {
      constructor(readonly v: number) {}
    }
    expect(sameData(new Box(1), new Box(1))).toBe(false)
    expect(sameData(Object.create(null) as object, {})).toBe(true)
    const deep: Record<string, unknown> = {}
    let at = deep
    for (let i = 0; i < 100; i++) at = at.next = {}
    expect(sameData(deep, deep)).toBe(true)
    expect(sameData(deep, JSON.parse(JSON.stringify(deep)))).toBe(false)
  })
})
