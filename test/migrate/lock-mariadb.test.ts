import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import type { Client } from '../../src/db/client.js'
import { isStarRocksMvError } from '../../src/errors.js'
import { acquireLock, breakLock, describeOwner, isStale, newLockOwner, readLock, releaseLock } from '../../src/migrate/lock.js'
import { mariadbAvailable } from '../support/mariadb.js'
import { MysqlTestClient } from './mysql-test-client.js'
import { uniq } from './helpers.js'

const up = await mariadbAvailable()
const table = { name: `lk_${uniq()}_hist` }
const clients: MysqlTestClient[] = []
const client = (): MysqlTestClient => {
  const c = new MysqlTestClient()
  clients.push(c)
  return c
}

describe.skipIf(!up)('the view lock on MariaDB', () => {
  afterAll(async () => {
    await clients[0]?.query(`DROP VIEW IF EXISTS \`${table.name}_lock\``)
    for (const c of clients) await c.close()
  })

  it('lets one owner in, names the owner to the second, and checks ownership on release', async () => {
    const a = client()
    const b = client()
    const ownerA = newLockOwner('up')
    const ownerB = newLockOwner('up')
    await acquireLock(a, table, ownerA)
    expect(await readLock(b, table)).toEqual(ownerA)
    let err: unknown
    try {
      await acquireLock(b, table, ownerB)
    } catch (e) {
      err = e
    }
    expect(isStarRocksMvError(err, 'LOCKED')).toBe(true)
    expect((err as Error).message).toContain(`pid ${process.pid}`)
    expect((err as Error).message).toContain(ownerA.since)
    expect((err as Error).message).toContain('srmv unlock --force')
    // B cannot release A's lock
    expect(await releaseLock(b, table, ownerB)).toEqual({ released: false, holder: ownerA })
    expect((await readLock(a, table))?.runId).toBe(ownerA.runId)
    expect(await releaseLock(a, table, ownerA)).toEqual({ released: true })
    expect(await readLock(a, table)).toBeUndefined()
  })

  it('waits for the lock with waitSeconds, reporting the holder once', async () => {
    const a = client()
    const b = client()
    const ownerA = newLockOwner('up')
    await acquireLock(a, table, ownerA)
    const waits: string[] = []
    setTimeout(() => void releaseLock(a, table, ownerA), 600)
    await acquireLock(b, table, newLockOwner('up'), { waitSeconds: 10, onWait: (h) => waits.push(h.runId) })
    expect(waits).toEqual([ownerA.runId])
    const holder = await readLock(a, table)
    expect(holder?.runId).not.toBe(ownerA.runId)
    expect(await breakLock(a, table)).toEqual(holder)
  })

  it('recognises its own lock after a lost reply on acquire', async () => {
    const real = client()
    const lossy: Client = {
      url: real.url,
      version: () => real.version(),
      database: () => real.database(),
      close: () => real.close(),
      async query(statement, options) {
        const result = await real.query(statement, options)
        if (statement.startsWith('CREATE VIEW')) throw Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'CONNECTION_LOST', outcomeUnknown: true })
        return result
      },
    }
    const owner = newLockOwner('up')
    await acquireLock(lossy, table, owner)
    expect((await readLock(real, table))?.runId).toBe(owner.runId)
    expect(await releaseLock(real, table, owner)).toEqual({ released: true })
  })

  it('reports a lock whose process is gone from this host as stale, and never breaks it by itself', async () => {
    const a = client()
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    const ghost = { ...newLockOwner('up'), pid: Number(dead.stdout) }
    expect(ghost.host).toBe(hostname())
    await acquireLock(a, table, ghost)
    expect(isStale(ghost)).toBe(true)
    expect(describeOwner(ghost)).toContain('stale')
    await expect(acquireLock(client(), table, newLockOwner('up'))).rejects.toThrow(/stale/)
    expect((await readLock(a, table))?.runId).toBe(ghost.runId)
    expect((await breakLock(a, table))?.pid).toBe(ghost.pid)
    expect(isStale(newLockOwner('up'))).toBe(false)
  })
})
