import { randomUUID } from 'node:crypto'
import { hostname, userInfo } from 'node:os'
import type { Client } from '../db/client.js'
import { StarRocksMvError } from '../errors.js'
import { quoteIdentifier, renderLiteral } from '../sql/quote.js'
import { errorFacts, isAlreadyExists, isNotFound } from './db-errors.js'
import { historyTableSql, type HistoryTable } from './history.js'

/** Who holds the lock: recorded in the lock view's text and read back. */
export interface LockOwner {
  /** `user@host`. */
  readonly owner: string
  readonly host: string
  readonly pid: number
  /** Unique per run: how a runner recognises its own lock after a lost reply. */
  readonly runId: string
  /** ISO time the lock was taken. */
  readonly since: string
  /** What the holder was doing (e.g. `up`). */
  readonly command?: string
}

/** A fresh owner for this process. */
export const newLockOwner = (command?: string, now: Date = new Date()): LockOwner => {
  let user = 'unknown'
  try {
    user = userInfo().username
  } catch {
    // no user name on this system
  }
  const host = hostname()
  return Object.freeze({
    owner: `${user}@${host}`,
    host,
    pid: process.pid,
    runId: randomUUID(),
    since: now.toISOString(),
    ...(command === undefined ? {} : { command }),
  })
}

/** The lock view: `<history table>_lock` beside the history table. */
export const lockView = (t: HistoryTable): HistoryTable => ({ ...t, name: `${t.name}_lock` })

/** `CREATE VIEW` without IF NOT EXISTS: the second creator fails. The owner is a literal in the view's text. */
export const createLockStatement = (t: HistoryTable, owner: LockOwner): string =>
  `CREATE VIEW ${historyTableSql(lockView(t))} AS SELECT ${renderLiteral(JSON.stringify(owner))} AS ${quoteIdentifier('owner')}`

/** Read the owner back. */
export const readLockStatement = (t: HistoryTable): string => `SELECT ${quoteIdentifier('owner')} FROM ${historyTableSql(lockView(t))}`

/** Drop the lock view. */
export const dropLockStatement = (t: HistoryTable): string => `DROP VIEW ${historyTableSql(lockView(t))}`

/** Parse the text of a lock view's owner column. */
export const parseLockOwner = (text: string): LockOwner => {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>
    if (typeof o.runId === 'string' && typeof o.owner === 'string') {
      return Object.freeze({
        owner: o.owner,
        host: typeof o.host === 'string' ? o.host : '?',
        pid: typeof o.pid === 'number' ? o.pid : 0,
        runId: o.runId,
        since: typeof o.since === 'string' ? o.since : '?',
        ...(typeof o.command === 'string' ? { command: o.command } : {}),
      })
    }
  } catch {
    // fall through: not ours
  }
  return Object.freeze({ owner: `unknown (${text.slice(0, 80)})`, host: '?', pid: 0, runId: '', since: '?' })
}

/** True when the holder ran on this host and its process is gone: the lock is stale (still never broken automatically). */
export const isStale = (owner: LockOwner): boolean => {
  if (owner.host !== hostname() || !(owner.pid > 0)) return false
  if (owner.pid === process.pid) return false
  try {
    process.kill(owner.pid, 0)
    return false
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/** A sentence describing the holder: `alice@ci-7 (pid 4242, up) since 2025-01-01T00:00:00.000Z`. */
export const describeOwner = (o: LockOwner): string =>
  `${o.owner} (pid ${o.pid}${o.command === undefined ? '' : `, ${o.command}`}) since ${o.since}${isStale(o) ? ` — stale: process ${o.pid} is not running on ${o.host}` : ''}`

/** Read who holds the lock; `undefined` when nobody does. */
export const readLock = async (client: Client, table: HistoryTable): Promise<LockOwner | undefined> => {
  try {
    const { rows } = await client.query(readLockStatement(table))
    const row = rows[0]
    if (row === undefined) return undefined
    const value = row.owner ?? row.OWNER ?? Object.values(row)[0]
    return parseLockOwner(Buffer.isBuffer(value) ? value.toString('utf8') : String(value))
  } catch (e) {
    if (isNotFound(e) && !errorFacts(e).outcomeUnknown) return undefined
    throw e
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Take the lock: create the lock view. When it exists, read its owner: ours (an earlier reply was
 * lost) means taken; another's means wait (up to `waitSeconds`) or throw `LOCKED` naming the holder.
 * An outcome-unknown create is settled by reading the owner back. Never breaks another's lock.
 */
export const acquireLock = async (
  client: Client,
  table: HistoryTable,
  owner: LockOwner,
  options: { readonly waitSeconds?: number; readonly onWait?: (holder: LockOwner) => void; readonly pollMs?: number } = {},
): Promise<void> => {
  const waitSeconds = Math.max(0, options.waitSeconds ?? 0)
  const deadline = Date.now() + waitSeconds * 1000
  let reported: string | undefined
  for (;;) {
    let holder: LockOwner | undefined
    try {
      await client.query(createLockStatement(table, owner))
      holder = await readLock(client, table)
      if (holder?.runId === owner.runId) return
    } catch (e) {
      const facts = errorFacts(e)
      if (!facts.outcomeUnknown && !isAlreadyExists(e)) throw e
      holder = await readLock(client, table)
      if (holder?.runId === owner.runId) return
    }
    if (holder !== undefined && Date.now() >= deadline) {
      throw new StarRocksMvError(
        'LOCKED',
        waitSeconds > 0
          ? `Migrations are still locked by ${describeOwner(holder)} after waiting ${waitSeconds} s. If that run is still going, try again when it ends; if no srmv is running, break the lock with \`srmv unlock --force\`.`
          : `Migrations are locked by ${describeOwner(holder)}. Wait for it (--wait-lock <seconds>), or, if no srmv is running, break the lock with \`srmv unlock --force\`.`,
        { holder },
      )
    }
    // Reported once per holder: a new holder (the previous run ended, another won) is news.
    if (holder !== undefined && reported !== holder.runId) {
      options.onWait?.(holder)
      reported = holder.runId
    }
    await sleep(options.pollMs ?? 250 + Math.floor(Math.random() * 250))
  }
}

/** The result of releasing: `released`, or `lost` when the lock was gone or held by another (broken by `unlock --force`). */
export type ReleaseResult = { readonly released: true } | { readonly released: false; readonly holder?: LockOwner }

/** Release the lock if this owner holds it (ownership is checked first). */
export const releaseLock = async (client: Client, table: HistoryTable, owner: LockOwner): Promise<ReleaseResult> => {
  const holder = await readLock(client, table)
  if (holder === undefined) return { released: false }
  if (holder.runId !== owner.runId) return { released: false, holder }
  try {
    await client.query(dropLockStatement(table))
  } catch (e) {
    if (!isNotFound(e)) throw e
  }
  return { released: true }
}

/** Break the lock whoever holds it (`srmv unlock --force`); returns whose it was, or `undefined` when there was none. */
export const breakLock = async (client: Client, table: HistoryTable): Promise<LockOwner | undefined> => {
  const holder = await readLock(client, table)
  if (holder === undefined) return undefined
  try {
    await client.query(dropLockStatement(table))
  } catch (e) {
    if (!isNotFound(e)) throw e
  }
  return holder
}
