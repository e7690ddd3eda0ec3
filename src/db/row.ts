/** A result row as the client returns it: column name to value. */
export type Row = Readonly<Record<string, unknown>>

/**
 * A column of a result row by name, whatever the case the server used for it (StarRocks and
 * MySQL differ in how they case `information_schema` column names).
 */
export const rowColumn = (row: Row, name: string): unknown => {
  if (name in row) return row[name]
  const lower = name.toLowerCase()
  for (const [k, v] of Object.entries(row)) if (k.toLowerCase() === lower) return v
  return undefined
}
