import { describe, expect, it } from 'vitest'
import { cloneData, isDeepFrozen } from '../../src/model/freeze.js'
import { renderCreate } from '../../src/render/index.js'
import { definitionToCode } from '../../src/ops/to-code.js'
import { MvDefinition } from '../../src/model/index.js'

describe('MvDefinition.create copies what the caller can still change, and shares what is frozen', () => {
  it('a mutable input changed afterwards does not change the definition', () => {
    const columns = [{ name: 'a' }, { name: 'b', comment: 'x' }]
    const properties: Record<string, string> = { replication_num: '1' }
    const def = MvDefinition.create({ name: 'mv', columns, properties, query: 'SELECT 1' })
    columns.push({ name: 'c' })
    ;(columns[1] as { comment: string }).comment = 'changed'
    properties.replication_num = '3'
    expect(def.columns).toEqual([{ name: 'a' }, { name: 'b', comment: 'x' }])
    expect(def.properties).toEqual({ replication_num: '1' })
    expect(Object.isFrozen(def.columns)).toBe(true)
    expect(Object.isFrozen(def.columns?.[1])).toBe(true)
  })

  it('a definition made from another reuses its frozen parts', () => {
    const def = MvDefinition.create({ name: 'mv', columns: [{ name: 'a' }], query: 'SELECT 1' })
    const renamed = MvDefinition.with(def, { name: 'mv2' })
    expect(renamed.name).toBe('mv2')
    expect(renamed.columns).toBe(def.columns)
  })

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 1}') as Record<string, unknown>
    const copy = cloneData(input)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(Object.keys(copy)).toEqual(['__proto__', 'a'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('sets its fields in one order whatever order the caller wrote them in, and drops undefined ones', () => {
    const a = MvDefinition.create({ query: 'SELECT 1', comment: undefined, schema: 'db', name: 'mv', properties: { x: '1' } } as never)
    const b = MvDefinition.create({ name: 'mv', properties: { x: '1' }, schema: 'db', query: 'SELECT 1' })
    expect(Object.keys(a)).toEqual(['kind', 'sync', 'properties', 'dependencies', 'name', 'schema', 'query'])
    expect(Object.keys(b)).toEqual(Object.keys(a))
    expect('comment' in a).toBe(false)
    expect(a.sync).toBe(false)
    expect(a.dependencies).toEqual([])
  })

  it('keeps a field it does not know (plain JavaScript callers), copied and frozen, but never replaces its kind', () => {
    const extra = { nested: [1, 2] }
    const def = MvDefinition.create({ name: 'mv', query: 'SELECT 1', kind: 'Other', note: extra } as never) as unknown as Record<string, unknown>
    extra.nested.push(3)
    expect(def.kind).toBe('MvDefinition')
    expect(def.note).toEqual({ nested: [1, 2] })
    expect(Object.isFrozen(def.note)).toBe(true)
  })
})

describe('isDeepFrozen', () => {
  it('answers for frozen data that holds itself instead of overflowing the stack, and such a definition still renders', () => {
    const loop: { self?: unknown } = {}
    loop.self = loop
    Object.freeze(loop)
    expect(isDeepFrozen(loop)).toBe(false)
    const def = MvDefinition.create({ name: 'mv', query: 'SELECT 1', meta: loop } as Parameters<typeof MvDefinition.create>[0])
    expect(renderCreate(def)).toContain('CREATE MATERIALIZED VIEW `mv`')
    expect(definitionToCode(def)).toContain("mv('mv')")
    expect(isDeepFrozen(Object.freeze({ a: Object.freeze([1, Object.freeze({ b: 2 })]) }))).toBe(true)
    expect(isDeepFrozen(Object.freeze({ a: [1] }))).toBe(false)
  })
})
