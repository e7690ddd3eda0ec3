import type { Client, QueryResult } from '../../src/db/client.js'
import { isKeyword, significant, tokenize } from '../../src/reflect/tokenizer.js'

type Row = Record<string, unknown>

/**
 * A Client that serves canned information_schema rows and counts every round trip (queries,
 * version() and database() alike). It reads the schema filter of each statement with the
 * tokenizer, so quoting mistakes in the statements show up as wrong answers.
 */
export class FakeClient implements Client {
  readonly url = 'starrocks://fake:***@fake:9030/shop'
  readonly statements: string[] = []
  roundTrips = 0

  constructor(
    readonly tables: { materialized_views: Row[]; tables_config?: Row[]; tables?: Row[]; columns?: Row[]; views?: Row[] },
    readonly options: { version?: string; database?: string; showCreate?: Readonly<Record<string, string>> } = {},
  ) {}

  async query(statement: string): Promise<QueryResult> {
    this.roundTrips++
    this.statements.push(statement)
    const toks = significant(tokenize(statement))
    if (isKeyword(toks[0], 'SHOW') && isKeyword(toks[1], 'CREATE')) {
      // SHOW CREATE TABLE|VIEW `db`.`name`
      const key = `${toks[3]?.value ?? ''}.${toks[5]?.value ?? ''}`
      const ddl = this.options.showCreate?.[key]
      if (ddl === undefined) throw new Error(`FakeClient has no SHOW CREATE text for ${key}`)
      return { rows: [{ [isKeyword(toks[2], 'VIEW') ? 'Create View' : 'Create Table']: ddl }], affectedRows: 0 }
    }
    const from = toks.findIndex((t) => isKeyword(t, 'FROM'))
    const table = toks[from + 3]?.value.toLowerCase() as keyof FakeClient['tables']
    const served = ['materialized_views', 'tables_config', 'tables', 'columns', 'views']
    if (!isKeyword(toks[from + 1], 'information_schema') || !served.includes(table)) {
      throw new Error(`FakeClient does not serve: ${statement}`)
    }
    const inAt = toks.findIndex((t) => isKeyword(t, 'IN'))
    const schemas = new Set(toks.slice(inAt + 1).filter((t) => t.kind === 'string').map((t) => t.value))
    const rows = (this.tables[table] ?? []).filter((r) => schemas.has(String(r.TABLE_SCHEMA)))
    return { rows, affectedRows: 0 }
  }
  async version(): Promise<string> {
    this.roundTrips++
    return this.options.version ?? '3.5.17'
  }
  async database(): Promise<string | undefined> {
    this.roundTrips++
    return this.options.database
  }
  async close(): Promise<void> {}
}

/** An information_schema.materialized_views row as StarRocks returns it. */
export const mvRow = (schema: string, name: string, definition: string, extra: Row = {}): Row => ({
  MATERIALIZED_VIEW_ID: '10001',
  TABLE_SCHEMA: schema,
  TABLE_NAME: name,
  REFRESH_TYPE: 'ASYNC',
  IS_ACTIVE: 'true',
  INACTIVE_REASON: '',
  PARTITION_TYPE: 'UNPARTITIONED',
  TASK_ID: '10002',
  TASK_NAME: `mv-${name}`,
  LAST_REFRESH_STATE: 'SUCCESS',
  LAST_REFRESH_ERROR_MESSAGE: '',
  TABLE_ROWS: '42',
  MATERIALIZED_VIEW_DEFINITION: definition,
  ...extra,
})
