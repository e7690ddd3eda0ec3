import { createHash } from 'node:crypto'

/** Canonical JSON: object keys sorted, so equal data always gives the same text. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )

/** Hex SHA-256 of a text. */
export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/** The hash recorded for one statement in the history. */
export const statementHash = (statement: string): string => sha256(statement)
