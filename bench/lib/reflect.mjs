/**
 * Workload: reflect 1,000 MVs from the emulator with `reflect(client)`, counting the statements it
 * sends (from the emulator's own log) and timing it, against the cost model of the Python dialect
 * (starrocks-sqlalchemy reads each MV with 3 information_schema queries): 3 queries per MV, run
 * against the same emulator over the same connection, once as the per-MV information_schema reads
 * such a dialect issues, and once as bare `SELECT 1` round trips (the floor of any 3-per-MV design).
 *
 * Also returns every MV's SHOW CREATE text, for the parsing workload.
 */
import net from 'node:net'
import { timeAsync } from './measure.mjs'
import { baseTables, mvStatement } from './mv-forms.mjs'

const DB = 'bench_reflect'

const perMvQueries = (name) => [
  `SELECT MATERIALIZED_VIEW_DEFINITION, IS_ACTIVE, REFRESH_TYPE FROM information_schema.materialized_views WHERE TABLE_SCHEMA = '${DB}' AND TABLE_NAME = '${name}'`,
  `SELECT DISTRIBUTE_TYPE, DISTRIBUTE_KEY, DISTRIBUTE_BUCKET, SORT_KEY, PROPERTIES FROM information_schema.tables_config WHERE TABLE_SCHEMA = '${DB}' AND TABLE_NAME = '${name}'`,
  `SELECT TABLE_COMMENT FROM information_schema.tables WHERE TABLE_SCHEMA = '${DB}' AND TABLE_NAME = '${name}'`,
]

/**
 * Turn TCP_NODELAY on for every socket a server in this process accepts. The emulator writes a
 * result set as several packets and leaves Nagle's algorithm on, so each multi-packet reply waits
 * for the client's delayed ACK (~40 ms on Linux): 3,000 round trips would measure that stall, not
 * the work. Real StarRocks frontends (Netty) set TCP_NODELAY.
 */
export const noDelayOnAcceptedSockets = () => {
  const emit = net.Server.prototype.emit
  if (emit.noDelayPatched === true) return
  const patched = function (event, socket, ...rest) {
    if (event === 'connection' && socket instanceof net.Socket) socket.setNoDelay(true)
    return emit.call(this, event, socket, ...rest)
  }
  patched.noDelayPatched = true
  net.Server.prototype.emit = patched
}

/** Reflect `count` MVs created on a `version` emulator; `runs` timed repetitions of each side. */
export const benchReflect = async ({ lib, testing, count, version, runs, log }) => {
  noDelayOnAcceptedSockets()
  const sr = await testing.startEmulator({ version, defaultReplicationNum: 1 })
  const client = await lib.connect(sr.url)
  try {
    await client.query(`CREATE DATABASE \`${DB}\``)
    for (const s of baseTables(DB)) await client.query(s)
    for (let i = 0; i < count; i++) await client.query(mvStatement(DB, i, version))
    log(`  reflect: ${count} MVs created on a ${version} emulator`)

    const before = sr.statements.length
    const state = await lib.reflect(client, { schemas: [DB] })
    const queries = sr.statements.length - before
    if (state.mvs.length !== count) throw new Error(`reflect() returned ${state.mvs.length} MVs, expected ${count}`)
    const ours = await timeAsync(() => lib.reflect(client, { schemas: [DB] }), runs)

    const names = state.mvs.map((d) => d.name)
    const modelBefore = sr.statements.length
    const perMv = await timeAsync(async () => {
      for (const name of names) for (const q of perMvQueries(name)) await client.query(q)
    }, 1)
    const modelQueries = sr.statements.length - modelBefore
    const floor = await timeAsync(async () => {
      for (let i = 0; i < 3 * count; i++) await client.query('SELECT 1')
    }, Math.max(1, Math.min(runs, 3)))

    const rows = (await client.query(`SELECT TABLE_NAME, MATERIALIZED_VIEW_DEFINITION FROM information_schema.materialized_views WHERE TABLE_SCHEMA = '${DB}'`)).rows
    return {
      count,
      version,
      ours: { queries, ms: ours },
      model: { queries: modelQueries, ms: perMv },
      floor: { queries: 3 * count, ms: floor },
      definitions: rows.map((r) => String(r.MATERIALIZED_VIEW_DEFINITION)),
    }
  } finally {
    await client.close()
    await sr.close()
  }
}

