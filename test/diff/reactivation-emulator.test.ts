import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Client } from '../../src/db/index.js'
import { diff, snapshot } from '../../src/diff/index.js'
import type { SchemaState } from '../../src/model/index.js'
import type { Migration } from '../../src/migrate/migration-files.js'
import { renderOps, undoOps } from '../../src/migrate/plan.js'
import type { Op } from '../../src/ops/op.js'
import { reverseAll } from '../../src/ops/reverse.js'
import { toStatements } from '../../src/ops/to-statements.js'
import { reflect } from '../../src/reflect/reflect.js'
import { mv } from '../../src/schema/index.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'

/**
 * MVs whose queries are plain strings, on the emulator: created in dependency order, and their
 * readers active again after every rebuild path (up, the down of the rebuild, and the undo of an up
 * that ran only partly, at every statement it can stop after).
 */
const DB = 'srmv_reactivate'
const baseV1 = mv('z_base').schema(DB).refresh.manual().properties({ replication_num: 1 }).as(`SELECT dt, sum(amount) AS total FROM ${DB}.orders GROUP BY dt`)
const baseV2 = mv('z_base').schema(DB).refresh.manual().properties({ replication_num: 1 }).comment('per day').as(`SELECT dt, sum(amount) AS total FROM ${DB}.orders GROUP BY dt`)
// unqualified and aliased: resolved against the MV's database
const top = mv('a_top').schema(DB).refresh.manual().properties({ replication_num: 1 }).as('SELECT b.dt, b.total FROM z_base AS b WHERE b.total > 0')
const topmost = mv('a_topmost').schema(DB).refresh.manual().properties({ replication_num: 1 }).as(`SELECT sum(t.total) AS total FROM (SELECT total FROM ${DB}.a_top) AS t`)
const v1 = snapshot([topmost, top, baseV1].map((m) => m.definition))
const v2 = snapshot([topmost, top, baseV2].map((m) => m.definition))

describe('plain-string readers on the emulator', () => {
  let sr: Emulator
  let client: Client
  const run = async (ops: readonly Op[]): Promise<void> => {
    for (const statement of toStatements([...ops], { version: '3.5' })) await client.query(statement)
  }
  const expectAt = async (state: SchemaState): Promise<void> => {
    const live = await reflect(client, { objects: ['mvs'] })
    expect(live.origin).toBe('server')
    expect(Object.entries(live.status ?? {}).filter(([, s]) => !s.active).map(([k]) => k)).toEqual([])
    // a reflected state is compared canonically without being told
    expect(diff(live, state).changes).toEqual([])
  }

  beforeAll(async () => {
    sr = await startEmulator({ version: '3.5' })
    const admin = await connect(sr.url)
    await admin.query(`CREATE DATABASE ${DB}`)
    await admin.query(`CREATE TABLE ${DB}.orders (dt date, amount int) DUPLICATE KEY(dt) DISTRIBUTED BY HASH(dt) PROPERTIES ("replication_num" = "1")`)
    await admin.close()
    client = await connect(`${sr.url}${DB}`)
  })
  afterAll(async () => {
    await client?.close()
    await sr?.close()
  })

  it('creates a_top after the z_base it reads', async () => {
    const plan = diff(await reflect(client, { objects: ['mvs'] }), v1)
    expect(plan.problems).toEqual([])
    await run(plan.ops)
    await expectAt(v1)
  })

  for (const rebuild of ['swap', 'drop-create'] as const) {
    it(`${rebuild}: up, then the down of the rebuild, leave every reader active`, async () => {
      const up = diff(v1, v2, { rebuild })
      expect(up.reactivated).toEqual([`${DB}.a_top`, `${DB}.a_topmost`])
      await run(up.ops)
      await expectAt(v2)
      await run(diff(v2, v1, { rebuild }).ops)
      await expectAt(v1)
      await run(up.ops)
      await run(reverseAll(up.ops))
      await expectAt(v1)
    })

    it(`${rebuild}: an up stopped after any statement, undone as far as it ran, leaves every reader active`, async () => {
      const upOps = diff(v1, v2, { rebuild }).ops
      const m = { id: '20260101000000', name: '20260101000000_rebuild', upOps } as unknown as Migration
      const statements = renderOps(upOps, '3.5')
      for (let ran = 1; ran <= statements.length; ran++) {
        for (const s of statements.slice(0, ran)) await client.query(s.sql)
        await run(undoOps(m, new Set(statements.slice(0, ran).map((_, i) => i)), '3.5'))
        await expectAt(v1)
      }
    })
  }
})
