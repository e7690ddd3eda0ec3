import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { parse as parseDotenv } from 'dotenv'
import { StarRocksMvError } from '../errors.js'
import { parseVersion } from '../model/index.js'
import { CONFIG_KEYS, type SrmvConfig } from './define-config.js'
import { assertRegularFile, fileError } from './migration-files.js'
import type { ModuleLoader } from './module-loader.js'
import { CONFIG_FILES } from './transform-ahead.js'

export { CONFIG_FILES } from './transform-ahead.js'

/** A loaded `srmv.config.ts` with paths made absolute and the server URL chosen. */
export interface LoadedConfig {
  /** The config file. */
  readonly file: string
  /** Its folder: relative paths start here. */
  readonly dir: string
  readonly config: SrmvConfig
  readonly schemaFile: string
  readonly migrationsDir: string
  /** The server URL (may hold a password: never print it; print `maskUrl(url)`). */
  readonly url?: string
  /** Where the URL came from. */
  readonly urlSource?: 'STARROCKS_URL' | 'config'
}

/** Find the config file in `cwd` (or take `configPath`); throws `CONFIG_NOT_FOUND` with the way out. */
export const findConfigFile = (cwd: string, configPath?: string): string => {
  if (configPath !== undefined) {
    const file = isAbsolute(configPath) ? configPath : resolve(cwd, configPath)
    if (!existsSync(file)) {
      throw new StarRocksMvError('CONFIG_NOT_FOUND', `Config file ${file} does not exist. Check --config, or run \`srmv init\` to create one.`, { file })
    }
    return file
  }
  for (const name of CONFIG_FILES) {
    const file = join(cwd, name)
    if (existsSync(file)) return file
  }
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new StarRocksMvError(
      'CONFIG_NOT_FOUND',
      `${cwd} ${existsSync(cwd) ? 'is not a folder' : 'does not exist'}: srmv looks for srmv.config.ts in the folder it runs in. Check the folder given with --cwd, or run srmv from the project folder.`,
      { cwd },
    )
  }
  throw new StarRocksMvError(
    'CONFIG_NOT_FOUND',
    `No srmv.config.ts in ${cwd}. Run srmv from the project folder (or pass --cwd <folder> or --config <file>), or run \`srmv init\` to create one.`,
    { cwd },
  )
}

/**
 * Read `.env` beside the config (when present) under the process environment: variables already set
 * win over the file. The process environment is not modified.
 */
export const readEnv = (dir: string, env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> => {
  const file = join(dir, '.env')
  let fromFile: Record<string, string> = {}
  if (existsSync(file)) {
    assertRegularFile(file, '.env file (environment variables such as STARROCKS_URL)')
    try {
      fromFile = parseDotenv(readFileSync(file))
    } catch (e) {
      throw fileError(e, file, '.env file (environment variables such as STARROCKS_URL)')
    }
  }
  return { ...fromFile, ...env }
}

/** StarRocks's longest table / view name. */
const MAX_NAME_LENGTH = 64

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), case-insensitive. */
const distance = (a: string, b: string): number => {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const row = d[i] as number[]
      const prev = d[i - 1] as number[]
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1)
    }
  }
  return (d[x.length] as number[])[y.length] as number
}

/** The known key closest to `key`, when it is close enough to be a misspelling. */
const nearest = (key: string, known: readonly string[]): string | undefined => {
  let best: { k: string; d: number } | undefined
  for (const k of known) {
    const d = distance(key, k)
    if (best === undefined || d < best.d) best = { k, d }
  }
  return best !== undefined && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined
}

const bad = (file: string, what: string): never => {
  throw new StarRocksMvError('INVALID_CONFIG', `${file}: ${what}`, { file })
}

/** Check the shape of a config object; throws `INVALID_CONFIG` naming the file and field. */
export const validateConfig = (value: unknown, file: string): SrmvConfig => {
  if (value === null || typeof value !== 'object') {
    return bad(file, 'the default export must be `defineConfig({ schema, migrations })`; found none. Add `export default defineConfig({ schema: "./schema.ts", migrations: "./migrations" })`.')
  }
  const c = value as Record<string, unknown>
  for (const key of Object.keys(c)) {
    if ((CONFIG_KEYS as readonly string[]).includes(key)) continue
    const near = nearest(key, CONFIG_KEYS)
    bad(file, `unknown setting ${JSON.stringify(key)}.${near === undefined ? '' : ` Did you mean "${near}"?`} The settings are: ${CONFIG_KEYS.join(', ')}.`)
  }
  for (const key of ['schema', 'migrations'] as const) {
    if (typeof c[key] !== 'string' || c[key] === '') bad(file, `"${key}" must be a non-empty path string (relative to the config file).`)
  }
  for (const key of ['url', 'version', 'historyTable', 'historySchema', 'rebuild'] as const) {
    if (c[key] !== undefined && typeof c[key] !== 'string') bad(file, `"${key}" must be a string when given.`)
  }
  if (typeof c.historyTable === 'string') {
    const t = c.historyTable
    if (t === '' || t.includes('\0')) bad(file, '"historyTable" must be a non-empty table name without NUL.')
    if (`${t}_lock`.length > MAX_NAME_LENGTH) {
      bad(file, `"historyTable" ${JSON.stringify(t)} is ${t.length} characters long: the lock view beside it, ${t}_lock, would pass StarRocks's limit of ${MAX_NAME_LENGTH} characters. Use a name of at most ${MAX_NAME_LENGTH - '_lock'.length} characters.`)
    }
  }
  if (c.tableRebuild !== undefined && c.tableRebuild !== 'copy' && c.tableRebuild !== 'error') {
    bad(file, `"tableRebuild" must be 'copy' or 'error'; got ${JSON.stringify(c.tableRebuild)}.`)
  }
  if (c.rebuild !== undefined && !['error', 'drop-create', 'swap'].includes(c.rebuild as string)) {
    bad(file, `"rebuild" must be 'error', 'drop-create' or 'swap'; got ${JSON.stringify(c.rebuild)}.`)
  }
  if (c.version !== undefined) {
    try {
      parseVersion(c.version as string)
    } catch (e) {
      bad(file, (e as Error).message)
    }
  }
  if (c.historyProperties !== undefined) {
    const p = c.historyProperties
    if (p === null || typeof p !== 'object' || Object.values(p).some((v) => typeof v !== 'string')) {
      bad(file, '"historyProperties" must map property names to strings, e.g. { replication_num: "1" }.')
    }
    if (Object.keys(p as object).includes('__proto__')) bad(file, '"historyProperties" has the key "__proto__", which is refused: it would change the prototype of the object that holds the properties.')
  }
  if (c.schemas !== undefined && (!Array.isArray(c.schemas) || c.schemas.some((s) => typeof s !== 'string'))) {
    bad(file, '"schemas" must be an array of database names.')
  }
  if (c.refreshTimeoutSeconds !== undefined && (typeof c.refreshTimeoutSeconds !== 'number' || !(c.refreshTimeoutSeconds > 0))) {
    bad(file, '"refreshTimeoutSeconds" must be a positive number of seconds.')
  }
  if (c.queryTimeoutSeconds !== undefined && (typeof c.queryTimeoutSeconds !== 'number' || !Number.isFinite(c.queryTimeoutSeconds) || !(c.queryTimeoutSeconds > 0))) {
    bad(file, '"queryTimeoutSeconds" must be a positive number of seconds.')
  }
  if (c.project !== undefined && (typeof c.project !== 'string' || c.project.length > 255 || /[\u0000-\u001f\u007f]/.test(c.project) || c.project !== c.project.trim())) {
    bad(file, '"project" must be a string of at most 255 characters, without control characters or surrounding spaces (e.g. the project folder\'s name).')
  }
  return c as unknown as SrmvConfig
}

/**
 * Load `srmv.config.ts` (TypeScript, no build step). The URL comes from `STARROCKS_URL` (process
 * environment, then `.env` beside the config) or else from the config's `url`.
 */
export const loadConfig = async (options: {
  readonly cwd: string
  readonly configPath?: string
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly load: ModuleLoader
}): Promise<LoadedConfig> => {
  const file = findConfigFile(options.cwd, options.configPath)
  const dir = dirname(file)
  const ns = await options.load(file)
  const config = validateConfig(ns.default ?? ns.config, file)
  const env = readEnv(dir, options.env ?? process.env)
  const envUrl = env.STARROCKS_URL !== undefined && env.STARROCKS_URL !== '' ? env.STARROCKS_URL : undefined
  const url = envUrl ?? config.url
  return Object.freeze({
    file,
    dir,
    config,
    schemaFile: resolve(dir, config.schema),
    migrationsDir: resolve(dir, config.migrations),
    ...(url === undefined ? {} : { url, urlSource: envUrl !== undefined ? ('STARROCKS_URL' as const) : ('config' as const) }),
  })
}
