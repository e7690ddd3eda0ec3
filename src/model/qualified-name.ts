/** A possibly database-qualified object name. `schema` is the StarRocks database. */
export interface QualifiedName {
  readonly schema?: string
  readonly name: string
}

/** Helpers for {@link QualifiedName}. */
export const QualifiedName = {
  create(name: string, schema?: string): QualifiedName {
    return Object.freeze(schema === undefined ? { name } : { schema, name })
  },
  /** A stable key for maps and messages: `db.name` or `name` (not SQL: never send it to a server). */
  key(q: QualifiedName): string {
    return q.schema === undefined ? q.name : `${q.schema}.${q.name}`
  },
  equals(a: QualifiedName, b: QualifiedName): boolean {
    return a.name === b.name && a.schema === b.schema
  },
}
