import { describe, expect, it } from 'vitest'
import { definitionChanges, diff, equivalent } from '../../src/diff/index.js'
import { MvDefinition, SchemaState } from '../../src/model/index.js'
import { parseMaterializedView } from '../../src/reflect/parse-materialized-view.js'
import { isKeyword, significant, splitStatements, tokenize } from '../../src/reflect/tokenizer.js'
import { fixtureFiles, hasShared, readFixture, SKIP_SHARED_MESSAGE } from '../support/shared.js'

/** The last CREATE MATERIALIZED VIEW of a script (the user's statement after the context statements). */
const lastCreate = (script: string): string => {
  const statements = splitStatements(script).filter((s) => /^create\s+materialized\s+view/i.test(s))
  const last = statements[statements.length - 1]
  if (last === undefined) throw new Error('no CREATE MATERIALIZED VIEW in the script')
  return last
}

/** Apply `ALTER MATERIALIZED VIEW x SET ("k" = "v", ...)` statements to a definition. */
const applyAlters = (def: MvDefinition, script: string): MvDefinition => {
  let out = def
  for (const statement of splitStatements(script)) {
    const t = significant(tokenize(statement))
    const set = t.findIndex((x) => isKeyword(x, 'SET'))
    if (!isKeyword(t[0], 'ALTER') || set < 0) throw new Error(`unsupported alter in fixture: ${statement}`)
    const props = { ...out.properties }
    for (let i = set + 2; i + 2 < t.length; i += 4) props[(t[i] as { value: string }).value] = (t[i + 2] as { value: string }).value
    out = MvDefinition.with(out, { properties: props })
  }
  return out
}

const explain = (server: MvDefinition, user: MvDefinition): string =>
  JSON.stringify(definitionChanges(server, user, { mode: 'live' }), null, 2)

describe.skipIf(!hasShared)('real (user statement, server output) pairs compare equal', () => {
  if (!hasShared) it.skip(SKIP_SHARED_MESSAGE, () => {})

  const pairs = fixtureFiles('pairs').filter((f) => f.endsWith('.user.sql')).map((f) => f.slice(0, -'.user.sql'.length))
  it('finds the pairs', () => expect(pairs.length).toBeGreaterThanOrEqual(5))
  for (const n of pairs) {
    it(`pairs/${n}`, () => {
      const user = parseMaterializedView(lastCreate(readFixture('pairs', `${n}.user.sql`)))
      const server = parseMaterializedView(readFixture('pairs', `${n}.server.sql`))
      expect(equivalent(server, user), explain(server, user)).toBe(true)
      const plan = diff(SchemaState.create([server]), SchemaState.create([user]), { compare: 'live' })
      expect(plan.changes).toEqual([])
      expect(plan.ops).toEqual([])
    })
  }

  const rewrites = fixtureFiles('rewrites')
  const cases = [...new Set(rewrites.map((f) => f.slice(0, 3)))]
  it('finds the rewrites', () => expect(cases.length).toBeGreaterThanOrEqual(10))
  for (const n of cases) {
    const users = rewrites.filter((f) => f.startsWith(`${n}.user`))
    const servers = rewrites.filter((f) => f.startsWith(`${n}.server`))
    const alters = rewrites.find((f) => f === `${n}.alters.sql`)
    for (const u of users) {
      for (const s of servers) {
        it(`rewrites/${u} ≡ ${s}`, () => {
          let user = parseMaterializedView(readFixture('rewrites', u))
          if (alters !== undefined) user = applyAlters(user, readFixture('rewrites', alters))
          const server = parseMaterializedView(readFixture('rewrites', s))
          expect(equivalent(server, user), explain(server, user)).toBe(true)
          const plan = diff(SchemaState.create([server]), SchemaState.create([user]), { compare: 'live', version: '3.3' })
          expect(plan.ops).toEqual([])
        })
      }
    }
  }
})

describe.skipIf(!hasShared)('a real change still shows against a server text', () => {
  it('a changed GROUP BY is reported, with a readable diff and the rewrite caveat', () => {
    const server = parseMaterializedView(readFixture('pairs', '01.server.sql'))
    const user = parseMaterializedView(
      lastCreate(readFixture('pairs', '01.user.sql')).replace('SELECT dt,sum(num) FROM t1 GROUP BY dt', 'SELECT dt, sum(num) FROM t1 WHERE num > 0 GROUP BY dt'),
    )
    expect(equivalent(server, user)).toBe(false)
    const plan = diff(SchemaState.create([server]), SchemaState.create([user]), { compare: 'live', version: '3.5' })
    expect(plan.changes.map((c) => c.kind)).toEqual(['queryChanged'])
    const problem = plan.problems[0]
    expect(problem?.code).toBe('IMMUTABLE_CHANGE')
    expect(problem?.message).toContain('may only be that rewrite')
    expect(problem?.message).toContain('+WHERE num > 0')
  })
})
