import { setNextAlterJob } from './alter-table.js'
import type { Socket } from 'node:net'
import mysql from 'mysql2'
import { createCatalog, type Catalog, type RefreshBehaviour } from './catalog.js'
import { EmulatorError } from './emulator-error.js'
import type { Value } from './evaluate.js'
import { executeStatement } from './executor.js'
import { features, parseServerVersion } from './server-version.js'
import { defaultVariables, type Session, type StatementResult } from './session.js'

/** One statement as the emulator received it. */
export interface ReceivedStatement {
  /** 1-based position among every statement received, across all connections. */
  readonly index: number
  readonly connectionId: number
  readonly sql: string
}

/** Which statement a fault hits: its 1-based index, or a predicate. */
export type FaultTarget = number | ((sql: string, statement: ReceivedStatement) => boolean)

/**
 * A fault to inject.
 * - `error`: fail the statement (not executed) with errno (default 1064), message and SQLSTATE.
 * - `drop`: execute the statement, then destroy the connection before replying.
 * - `drop-before`: destroy the connection without executing the statement.
 * - `delay`: execute, then reply after `ms` milliseconds.
 * - `refresh-failure`: the refresh this statement starts (REFRESH, or CREATE of an immediate MV) ends FAILED.
 * - `refresh-delay`: the refresh this statement starts stays RUNNING for `ms` milliseconds.
 * - `alter-delay`: the schema-change job this ALTER TABLE starts stays RUNNING for `ms` milliseconds.
 * - `alter-cancel`: the schema-change job this ALTER TABLE starts is CANCELLED after `ms` milliseconds.
 * A fault fires once unless `once: false`.
 */
export type Fault =
  | { readonly at: FaultTarget; readonly kind: 'error'; readonly errno?: number; readonly message?: string; readonly sqlState?: string; readonly once?: boolean }
  | { readonly at: FaultTarget; readonly kind: 'drop' | 'drop-before'; readonly once?: boolean }
  | { readonly at: FaultTarget; readonly kind: 'delay'; readonly ms: number; readonly once?: boolean }
  | { readonly at: FaultTarget; readonly kind: 'refresh-failure'; readonly message?: string; readonly once?: boolean }
  | { readonly at: FaultTarget; readonly kind: 'refresh-delay'; readonly ms: number; readonly once?: boolean }
  | { readonly at: FaultTarget; readonly kind: 'alter-delay'; readonly ms: number; readonly once?: boolean }
  | { readonly at: FaultTarget; readonly kind: 'alter-cancel'; readonly ms: number; readonly message?: string; readonly once?: boolean }

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string
  /** The StarRocks version to behave like; default `3.5`. */
  readonly version?: string
  /** The cluster's default `replication_num`; default 3. */
  readonly defaultReplicationNum?: number
  /** Faults armed from the start. */
  readonly faults?: readonly Fault[]
}

/** A running emulator. */
export interface Emulator {
  /** `starrocks://root@127.0.0.1:<port>/` */
  readonly url: string
  readonly host: string
  readonly port: number
  /** The StarRocks version it behaves like. */
  readonly version: string
  /** The text of every statement received, in order. */
  readonly statements: readonly string[]
  /** Every statement received, with its index and connection id. */
  readonly log: readonly ReceivedStatement[]
  /** Arm a fault. */
  inject(fault: Fault): void
  /** Disarm every fault. */
  clearFaults(): void
  /** Forget every database, MV, task run, logged statement and fault (connections stay open). */
  reset(): void
  /** Close every connection and stop listening. */
  close(): Promise<void>
}

const CAPABILITIES = [1, 2, 4, 8, 512, 8192, 32768, 65536, 131072, 524288].reduce((a, b) => a | b, 0)
const COM_STMT_PREPARE = 0x16
const UTF8_GENERAL_CI = 33
const BINARY = 63

const MYSQL_TYPES: readonly (readonly [RegExp, number])[] = [
  [/^TINYINT|^BOOLEAN/, 1], [/^SMALLINT/, 2], [/^INT|^INTEGER/, 3], [/^BIGINT/, 8], [/^FLOAT/, 4], [/^DOUBLE/, 5],
  [/^DECIMAL/, 246], [/^DATETIME/, 12], [/^DATE/, 10],
]

const columnDefinition = (col: { name: string; type: string }): Record<string, unknown> => {
  const type = MYSQL_TYPES.find(([re]) => re.test(col.type.toUpperCase()))?.[1] ?? 253
  const numeric = type !== 253 && type !== 12 && type !== 10
  return {
    catalog: 'def', schema: '', table: '', orgTable: '', name: col.name, orgName: col.name,
    characterSet: numeric ? BINARY : UTF8_GENERAL_CI, columnLength: numeric ? 20 : 1048576, columnType: type,
    flags: 0, decimals: type === 5 || type === 4 ? 31 : 0,
  }
}

/** An ERR packet with a real SQLSTATE (mysql2's writeError always sends `#_____`). */
const errorPacket = (errno: number, sqlState: string, message: string) => {
  const body = Buffer.concat([
    Buffer.from([0xff, errno & 0xff, (errno >> 8) & 0xff]),
    Buffer.from(`#${sqlState.padEnd(5, '0').slice(0, 5)}`, 'ascii'),
    Buffer.from(message, 'utf8'),
  ])
  const buffer = Buffer.concat([Buffer.alloc(4), body])
  return {
    buffer,
    _name: 'Error',
    length: () => buffer.length,
    writeHeader: (sequenceId: number) => {
      buffer.writeUIntLE(buffer.length - 4, 0, 3)
      buffer[3] = sequenceId
    },
  }
}

interface ServerConnection {
  readonly stream: Socket
  sequenceId: number
  serverHandshake(args: Record<string, unknown>): void
  writeOk(args?: Record<string, unknown>): void
  writeColumns(columns: unknown[]): void
  writeTextRow(values: unknown[]): void
  writeEof(): void
  writePacket(packet: unknown): void
  on(event: string, listener: (...args: unknown[]) => void): void
}

/**
 * Start a StarRocks emulator: an in-process MySQL-protocol server with its own catalog of
 * databases, tables, views and materialized views, printing DDL the way the chosen StarRocks
 * version does.
 *
 * @example
 * ```ts
 * import { startEmulator } from 'starrocks-mv/testing'
 * const sr = await startEmulator({ version: '3.5', defaultReplicationNum: 1 })
 * // connect any MySQL client to sr.url (starrocks://root@127.0.0.1:<port>/)
 * await sr.close()
 * ```
 */
export const startEmulator = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const versionText = options.version ?? '3.5'
  const version = parseServerVersion(versionText)
  const replication = options.defaultReplicationNum ?? 3
  if (!Number.isInteger(replication) || replication < 1) {
    throw new TypeError(`defaultReplicationNum must be a positive integer, got ${String(options.defaultReplicationNum)}.`)
  }
  let catalog: Catalog = createCatalog(version, features(version), replication)
  const statements: string[] = []
  const log: ReceivedStatement[] = []
  let faults: Fault[] = [...(options.faults ?? [])]
  const sockets = new Set<Socket>()
  let nextConnectionId = 1

  const takeFault = (entry: ReceivedStatement, kinds: readonly Fault['kind'][]): Fault | undefined => {
    const i = faults.findIndex((f) => kinds.includes(f.kind) && (typeof f.at === 'number' ? f.at === entry.index : f.at(entry.sql, entry)))
    const f = faults[i]
    if (f === undefined) return undefined
    if (f.once !== false) faults.splice(i, 1)
    return f
  }

  const reply = (conn: ServerConnection, result: StatementResult): void => {
    if (result.kind === 'ok') {
      conn.writeOk({ affectedRows: result.affectedRows, ...(result.info === undefined ? {} : { message: result.info }) })
    } else {
      conn.writeColumns(result.columns.map(columnDefinition))
      for (const row of result.rows) conn.writeTextRow(row.map((v: Value) => (v === null ? null : String(v))))
      conn.writeEof()
    }
    conn.sequenceId = 0
  }

  const replyError = (conn: ServerConnection, errno: number, sqlState: string, message: string): void => {
    conn.writePacket(errorPacket(errno, sqlState, message))
    conn.sequenceId = 0
  }

  const server = mysql.createServer((raw) => {
    const conn = raw as unknown as ServerConnection
    const connectionId = nextConnectionId++
    const session: Session = { connectionId, currentDb: undefined, user: 'root', vars: defaultVariables(catalog), userVars: new Map() }
    const stream = conn.stream
    // Replies go out as several packets: without TCP_NODELAY each waits for the client's delayed ACK.
    stream.setNoDelay(true)
    sockets.add(stream)
    stream.on('close', () => sockets.delete(stream))
    conn.on('error', () => undefined)
    let queue: Promise<void> = Promise.resolve()
    let lastCommand = -1

    const handle = async (sql: string): Promise<void> => {
      const entry: ReceivedStatement = { index: log.length + 1, connectionId, sql }
      log.push(entry)
      statements.push(sql)
      const fault = takeFault(entry, ['error', 'drop', 'drop-before', 'delay'])
      const refreshFault = takeFault(entry, ['refresh-failure', 'refresh-delay'])
      const alterFault = takeFault(entry, ['alter-delay', 'alter-cancel'])
      setNextAlterJob(catalog, alterFault?.kind === 'alter-delay' ? { ms: alterFault.ms, cancel: false }
        : alterFault?.kind === 'alter-cancel' ? { ms: alterFault.ms, cancel: true, ...(alterFault.message === undefined ? {} : { message: alterFault.message }) } : undefined)
      if (fault?.kind === 'drop-before') {
        stream.destroy()
        return
      }
      if (fault?.kind === 'error') {
        replyError(conn, fault.errno ?? 1064, fault.sqlState ?? '42000', fault.message ?? `Injected failure of statement ${entry.index}`)
        return
      }
      const behaviour = (): RefreshBehaviour | undefined =>
        refreshFault?.kind === 'refresh-failure'
          ? { kind: 'refresh-failure', ...(refreshFault.message === undefined ? {} : { message: refreshFault.message }) }
          : refreshFault?.kind === 'refresh-delay' ? { kind: 'refresh-delay', ms: refreshFault.ms } : undefined
      let send: () => void
      try {
        const result = await executeStatement(catalog, session, sql, behaviour)
        send = () => reply(conn, result)
      } catch (e) {
        if (!(e instanceof EmulatorError)) {
          const message = e instanceof Error ? e.message : String(e)
          send = () => replyError(conn, 1064, 'HY000', `Unexpected exception: ${message}`)
        } else {
          send = () => replyError(conn, e.errno, e.sqlState, e.message)
        }
      }
      if (fault?.kind === 'drop') {
        stream.destroy()
        return
      }
      if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms))
      if (!stream.destroyed) send()
    }

    const enqueue = (sql: string): void => {
      queue = queue.then(() => handle(sql)).catch(() => undefined)
    }

    conn.serverHandshake({
      protocolVersion: 10,
      serverVersion: '5.1.0',
      connectionId,
      statusFlags: 2,
      characterSet: UTF8_GENERAL_CI,
      capabilityFlags: CAPABILITIES,
      authCallback: (params: { database?: string }, cb: (err: null, mysqlError?: { message: string; code: number }) => void) => {
        const db = params.database
        if (db !== undefined && db !== '' && db.toLowerCase() !== 'information_schema' && !catalog.databases.has(db)) {
          cb(null, { message: `Unknown database '${db}'`, code: 1049 })
          return
        }
        if (db !== undefined && db !== '') session.currentDb = db
        cb(null)
        conn.sequenceId = 0
      },
    })
    conn.on('packet', (_packet, _known, commandCode) => {
      lastCommand = commandCode as number
    })
    conn.on('query', (sql) => enqueue(sql as string))
    conn.on('stmt_prepare', (sql) => {
      setImmediate(() => {
        if (lastCommand === COM_STMT_PREPARE) {
          replyError(conn, 1047, '08S01', 'The emulator speaks the text protocol only: use query(), not execute() or prepare().')
        } else {
          enqueue(sql as string)
        }
      })
    })
    conn.on('stmt_execute', (...args) => {
      const sql = args[4]
      if (typeof sql === 'string') enqueue(sql)
      else replyError(conn, 1047, '08S01', 'The emulator speaks the text protocol only: use query(), not execute() or prepare().')
    })
    conn.on('init_db', (db) => {
      queue = queue.then(() => {
        const name = db as string
        if (name.toLowerCase() !== 'information_schema' && !catalog.databases.has(name)) {
          replyError(conn, 1049, '42000', `Unknown database '${name}'`)
        } else {
          session.currentDb = name
          conn.writeOk()
          conn.sequenceId = 0
        }
      })
    })
  })

  const host = options.host ?? '127.0.0.1'
  const net = (server as unknown as { _server: import('node:net').Server })._server
  await new Promise<void>((resolve, reject) => {
    net.once('error', reject)
    net.listen(options.port ?? 0, host, () => {
      net.off('error', reject)
      resolve()
    })
  })
  const address = net.address()
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0)

  const clearTimers = (): void => {
    for (const t of catalog.timers) clearTimeout(t)
    catalog.timers.clear()
  }

  return {
    url: `starrocks://root@${host.includes(':') ? `[${host}]` : host}:${port}/`,
    host,
    port,
    version: versionText,
    statements,
    log,
    inject: (fault) => {
      faults.push(fault)
    },
    clearFaults: () => {
      faults = []
    },
    reset: () => {
      clearTimers()
      catalog = createCatalog(version, features(version), replication)
      statements.length = 0
      log.length = 0
      faults = []
    },
    close: async () => {
      clearTimers()
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => net.close(() => resolve()))
    },
  }
}
