import type { RebuildStrategy } from '../model/index.js'

/**
 * The project settings of `srmv`, as written in `srmv.config.ts`. Paths are relative to the folder
 * that holds the config file.
 */
export interface SrmvConfig {
  /** The schema module: exports complete MVs (or `export default defineSchema({...})`). */
  readonly schema: string
  /** The folder of migration files. */
  readonly migrations: string
  /**
   * The server, e.g. `starrocks://user:password@host:9030/db`. `STARROCKS_URL` (environment or `.env`)
   * overrides it; prefer the variable, so that passwords stay out of the repository.
   */
  readonly url?: string
  /** The StarRocks version to render for when no server is connected (`--sql`, `generate`); e.g. `'3.5'`. */
  readonly version?: string
  /** The history table; default `srmv_migrations` in the connection's database. */
  readonly historyTable?: string
  /** The database of the history table; default the connection's database. */
  readonly historySchema?: string
  /** PROPERTIES of the history table on StarRocks, e.g. `{ replication_num: '1' }` on a one-node cluster. */
  readonly historyProperties?: Readonly<Record<string, string>>
  /** The rebuild strategy `generate` uses for changes StarRocks cannot ALTER; default: refuse (`'error'`). */
  readonly rebuild?: RebuildStrategy | 'error'
  /** How `generate` and `plan` carry out changes StarRocks cannot ALTER on managed tables: `'copy'` rebuilds the table by copy; default: refuse (`'error'`). */
  readonly tableRebuild?: 'copy' | 'error'
  /** The databases `generate --from-db` and `check` read; default the databases named by the schema module. */
  readonly schemas?: readonly string[]
  /** Seconds to wait for an MV refresh that a migration waits for; default 3600. */
  readonly refreshTimeoutSeconds?: number
  /**
   * Seconds to wait for any other statement before its outcome is recorded as unknown and the run
   * stops; default 600. The URL's `queryTimeout` (milliseconds), when given, wins.
   */
  readonly queryTimeoutSeconds?: number
  /**
   * This project's key in the history table: projects that share one history table each see only
   * their own migrations. Default `''`, the unnamed project (also every row written before keys
   * existed). `srmv init` sets it to the project folder's name; once migrations are applied, changing
   * it hides their history, so keep it stable.
   */
  readonly project?: string
}

/** Every setting of {@link SrmvConfig}: any other key in `srmv.config.ts` is refused (a misspelt key would otherwise be ignored). */
export const CONFIG_KEYS = [
  'schema',
  'migrations',
  'url',
  'version',
  'historyTable',
  'historySchema',
  'historyProperties',
  'rebuild',
  'tableRebuild',
  'schemas',
  'refreshTimeoutSeconds',
  'queryTimeoutSeconds',
  'project',
] as const satisfies readonly (keyof SrmvConfig)[]

// Every setting of SrmvConfig must be listed above, or config files that use it are refused.
type UnlistedConfigKey = Exclude<keyof SrmvConfig, (typeof CONFIG_KEYS)[number]>
const everyConfigKeyListed: [UnlistedConfigKey] extends [never] ? true : UnlistedConfigKey = true
void everyConfigKeyListed

/**
 * Declare the project settings in `srmv.config.ts`. An identity function that gives the file its
 * types.
 *
 * @example
 * ```ts
 * // srmv.config.ts
 * import { defineConfig } from 'starrocks-mv'
 * export default defineConfig({
 *   schema: './schema.ts',
 *   migrations: './migrations',
 *   historyProperties: { replication_num: '1' },
 * })
 * ```
 */
export const defineConfig = (config: SrmvConfig): SrmvConfig => Object.freeze({ ...config })
