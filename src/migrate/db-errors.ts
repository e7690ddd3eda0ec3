/** What the runner needs to know about an error from a client: read by shape, so any client works. */
export interface ErrorFacts {
  readonly code?: string
  readonly errno?: number
  readonly message: string
  /** The statement may or may not have run (client timeout, lost connection). */
  readonly outcomeUnknown: boolean
}

/** Read the facts of a thrown value. */
export const errorFacts = (e: unknown): ErrorFacts => {
  const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>
  return {
    ...(typeof o.code === 'string' ? { code: o.code } : {}),
    ...(typeof o.errno === 'number' ? { errno: o.errno } : {}),
    message: e instanceof Error ? e.message : String(e),
    outcomeUnknown: o.outcomeUnknown === true,
  }
}

/** Codes of errors about reaching the server (not about a statement). */
export const CONNECTION_CODES: ReadonlySet<string> = new Set(['CONNECTION_ERROR', 'AUTH_ERROR', 'UNKNOWN_DATABASE', 'TIMEOUT', 'CONNECTION_LOST'])

/** "already exists" (MySQL/MariaDB errno 1050; StarRocks reports 1050 or 1064 with this text). */
export const isAlreadyExists = (e: unknown): boolean => {
  const f = errorFacts(e)
  return f.errno === 1050 || /already exists/i.test(f.message)
}

/** "does not exist" for a table or view (errno 1146 / 1051, or StarRocks's texts). */
export const isNotFound = (e: unknown): boolean => {
  const f = errorFacts(e)
  return f.errno === 1146 || f.errno === 1051 || /(does ?n[o']t exist|not exist|not found|unknown table)/i.test(f.message)
}
