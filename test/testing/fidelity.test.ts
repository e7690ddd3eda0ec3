import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { splitStatements } from '../../src/reflect/tokenizer.js'
import { startEmulator, type Emulator } from '../../src/testing/index.js'
import { SKIP_SHARED_MESSAGE, fixtureFiles, hasShared, readFixture } from '../support/shared.js'
import { canonical, connectTo, run, showCreate } from './helpers.js'

const mvName = (serverDdl: string): string => {
  const m = /CREATE MATERIALIZED VIEW `([^`]+)`/.exec(serverDdl)
  if (m === null) throw new Error(`No MV name in ${serverDdl.slice(0, 80)}`)
  return m[1] as string
}

const emulators = new Map<string, Emulator>()
const emulator = async (version: string, replication: number): Promise<Emulator> => {
  const key = `${version}/${replication}`
  let sr = emulators.get(key)
  if (sr === undefined) {
    sr = await startEmulator({ version, defaultReplicationNum: replication })
    emulators.set(key, sr)
  }
  sr.reset()
  return sr
}

afterAll(async () => {
  for (const sr of emulators.values()) await sr.close()
})

/** Feed statements to a fresh emulator and return SHOW CREATE of `name`. */
const printed = async (version: string, replication: number, statements: readonly string[], name: string): Promise<string> => {
  const sr = await emulator(version, replication)
  const conn = await connectTo(sr)
  try {
    await run(conn, ...statements)
    return await showCreate(conn, name)
  } finally {
    await conn.end()
  }
}

describe.skipIf(!hasShared)('fidelity: pairs/NN.user.sql fed to a 3.5 emulator prints NN.server.sql', () => {
  if (!hasShared) it.skip(SKIP_SHARED_MESSAGE, () => undefined)
  const users = fixtureFiles('pairs').filter((f) => f.endsWith('.user.sql'))
  it('has pairs to check', () => {
    expect(users.length).toBeGreaterThan(0)
  })
  for (const user of users) {
    const server = user.replace('.user.sql', '.server.sql')
    it(user, async () => {
      const expected = readFixture('pairs', server)
      const text = await printed('3.5', 1, splitStatements(readFixture('pairs', user)), mvName(expected))
      expect(canonical(text)).toBe(canonical(expected))
    })
  }
})

const T1_PROPS = ['create database test_create_mv_with_properties', 'use test_create_mv_with_properties',
  'CREATE TABLE t1 (num int, dt datetime) DUPLICATE KEY(`num`) PARTITION BY date_trunc(\'day\', dt) DISTRIBUTED BY HASH(`num`)']
const USER_TAGS = ['create database test_show_materialized_view', 'use test_show_materialized_view',
  'CREATE TABLE user_tags (user_id int, tag_id int, tag_name varchar(64)) DUPLICATE KEY(user_id) DISTRIBUTED BY HASH(user_id)']
const MV_WITH_INDEX = ['create database test_mv_with_index', 'use test_mv_with_index',
  'CREATE TABLE t1 (c0 int, c1 int, c2 varchar(32), c3 date) DUPLICATE KEY(c0) DISTRIBUTED BY HASH(c0)']
const TEST_DB = ['create database test', 'use test',
  'CREATE TABLE tbl1 (k1 date, k2 int, v1 int) DUPLICATE KEY(k1) PARTITION BY RANGE(k1) () DISTRIBUTED BY HASH(k2) BUCKETS 3',
  'CREATE TABLE tbl2 (k1 date, k2 int) DUPLICATE KEY(k1) DISTRIBUTED BY HASH(k2) BUCKETS 3']

/** Each rewrites/ case: the context it needs, the user file, statements applied after, and the version that printed each server file. */
const REWRITES: readonly { id: string; context: readonly string[]; user: string; alters?: string; prints: readonly { file: string; version: string; replication: number }[] }[] = [
  { id: '007', context: T1_PROPS, user: '007.user.sql', prints: [{ file: '007.server.sql', version: '3.5', replication: 1 }] },
  { id: '007 (54c6e575)', context: T1_PROPS, user: '007.user.54c6e575.sql', prints: [{ file: '007.server.54c6e575.sql', version: '3.5', replication: 3 }] },
  { id: '008', context: T1_PROPS, user: '008.user.sql', prints: [{ file: '008.server.sql', version: '3.5', replication: 1 }] },
  { id: '008 (54c6e575)', context: T1_PROPS, user: '008.user.54c6e575.sql', prints: [{ file: '008.server.54c6e575.sql', version: '3.5', replication: 3 }] },
  { id: '009', context: USER_TAGS, user: '009.user.sql', prints: [{ file: '009.server.sql', version: '3.5', replication: 1 }, { file: '009.server.161fd09e.sql', version: '3.3', replication: 1 }] },
  { id: '011', context: USER_TAGS, user: '011.user.sql', prints: [{ file: '011.server.sql', version: '4.0.6', replication: 3 }] },
  { id: '013', context: MV_WITH_INDEX, user: '013.user.sql', alters: '013.alters.sql', prints: [{ file: '013.server.sql', version: '3.5', replication: 1 }, { file: '013.server.08e7229e.sql', version: '4.1', replication: 1 }] },
  { id: '018', context: TEST_DB, user: '018.user.sql', prints: [{ file: '018.server.sql', version: '3.5', replication: 1 }, { file: '018.server.old-36160738.sql', version: '2.5', replication: 1 }] },
  { id: '019', context: TEST_DB, user: '019.user.sql', prints: [{ file: '019.server.sql', version: '3.5', replication: 1 }, { file: '019.server.old-36160738.sql', version: '2.5', replication: 1 }] },
  { id: '020', context: TEST_DB, user: '020.user.sql', prints: [{ file: '020.server.sql', version: '3.5', replication: 1 }] },
  { id: '020 (old)', context: TEST_DB, user: '020.user.old-36160738.sql', prints: [{ file: '020.server.old-36160738.sql', version: '2.5', replication: 1 }] },
  { id: '022', context: TEST_DB, user: '022.user.sql', prints: [{ file: '022.server.sql', version: '3.5', replication: 1 }] },
  { id: '023', context: TEST_DB, user: '023.user.sql', prints: [{ file: '023.server.sql', version: '3.5', replication: 1 }, { file: '023.server.mid-127759351.sql', version: '3.3', replication: 1 }] },
]

describe.skipIf(!hasShared)('fidelity: rewrites/ cases with their context rebuilt', () => {
  if (!hasShared) it.skip(SKIP_SHARED_MESSAGE, () => undefined)
  let present = new Set<string>()
  beforeAll(() => {
    present = new Set(fixtureFiles('rewrites'))
  })
  it('covers every rewrites/ user file', () => {
    const users = fixtureFiles('rewrites').filter((f) => /\.user\./.test(f))
    expect(users.filter((u) => !REWRITES.some((r) => r.user === u))).toEqual([])
  })
  for (const r of REWRITES) {
    for (const p of r.prints) {
      it(`${r.id} → ${p.file} (version ${p.version})`, async () => {
        expect(present.has(p.file)).toBe(true)
        const expected = readFixture('rewrites', p.file)
        const statements = [...r.context, ...splitStatements(readFixture('rewrites', r.user)),
          ...(r.alters === undefined ? [] : splitStatements(readFixture('rewrites', r.alters)))]
        const text = await printed(p.version, p.replication, statements, mvName(expected))
        expect(canonical(text)).toBe(canonical(expected))
      })
    }
  }
})
