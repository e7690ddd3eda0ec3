import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { StarRocksMvError } from '../errors.js'
import type { SchemaState } from '../model/index.js'
import { recordOps, type MigrationDefinition, type Op } from '../ops/index.js'
import { canonicalJson, sha256 } from './checksum.js'
import type { ModuleLoader } from './module-loader.js'

/** Migration file names: `<YYYYMMDDHHMMSS>_<slug>.ts` (`.mts`, `.js`, `.mjs` also load). */
export const MIGRATION_FILE = /^(\d{14})_([A-Za-z0-9_-]+)\.(ts|mts|js|mjs)$/

/** The sidecar snapshot of a migration: `<id>_<slug>.snapshot.json`. */
export const snapshotFileOf = (migrationFile: string): string => migrationFile.replace(/\.(ts|mts|js|mjs)$/, '.snapshot.json')

/** A migration file found on disk (not loaded yet). */
export interface MigrationFile {
  /** The sortable id: the UTC time it was generated, `YYYYMMDDHHMMSS`. */
  readonly id: string
  readonly slug: string
  /** `<id>_<slug>`: the file name without extension. */
  readonly name: string
  readonly file: string
  readonly snapshotFile: string
}

/** A loaded migration: its ops in both directions and its checksum. */
export interface Migration extends MigrationFile {
  readonly definition: MigrationDefinition
  readonly upOps: readonly Op[]
  /** The down ops; absent when `down()` throws (see {@link Migration.downError}). */
  readonly downOps?: readonly Op[]
  /** Why `down()` could not be recorded (e.g. an irreversible migration): raised only when going down. */
  readonly downError?: StarRocksMvError
  /**
   * The SHA-256 of the canonical JSON of the up ops. It ignores formatting, comments and the target
   * version (so a server upgrade that changes keywords is not drift), and changes whenever what `up`
   * does changes. `down` is not part of it: fixing a down step of an applied migration is allowed.
   */
  readonly checksum: string
}

/** The checksum of a migration's up ops (see {@link Migration.checksum}). */
export const migrationChecksum = (upOps: readonly Op[]): string => sha256(canonicalJson(upOps))

/** List the migration files of `dir`, sorted by id. A missing folder has none. Two files with one id are an error. */
export const listMigrationFiles = (dir: string): MigrationFile[] => {
  if (!existsSync(dir)) return []
  const files: MigrationFile[] = []
  for (const entry of readdirSync(dir).sort()) {
    const m = MIGRATION_FILE.exec(entry)
    if (m === null) continue
    const id = m[1] as string
    const file = join(dir, entry)
    files.push(Object.freeze({ id, slug: m[2] as string, name: `${id}_${m[2] as string}`, file, snapshotFile: snapshotFileOf(file) }))
  }
  for (let i = 1; i < files.length; i++) {
    const a = files[i - 1] as MigrationFile
    const b = files[i] as MigrationFile
    if (a.id === b.id) {
      throw new StarRocksMvError(
        'DUPLICATE_MIGRATION_ID',
        `${basename(a.file)} and ${basename(b.file)} share the id ${a.id}. Rename one to a later id (ids order migrations and must be unique).`,
        { id: a.id, files: [a.file, b.file] },
      )
    }
  }
  return files
}

const isMigrationDefinition = (v: unknown): v is MigrationDefinition =>
  typeof v === 'object' && v !== null && typeof (v as MigrationDefinition).up === 'function' && typeof (v as MigrationDefinition).down === 'function'

/** Load one migration file: its default export must be `defineMigration({ up, down })`. */
export const loadMigration = async (entry: MigrationFile, load: ModuleLoader): Promise<Migration> => {
  const ns = await load(entry.file)
  const definition = ns.default
  if (!isMigrationDefinition(definition)) {
    throw new StarRocksMvError(
      'INVALID_MIGRATION',
      `${entry.file}: the default export must be defineMigration({ up(op) { ... }, down(op) { ... } }). Add \`export default defineMigration({...})\`.`,
      { file: entry.file, id: entry.id },
    )
  }
  const record = async (direction: 'up' | 'down'): Promise<Op[]> => {
    try {
      return await recordOps(definition[direction])
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e)
      throw new StarRocksMvError(
        e instanceof StarRocksMvError ? e.code : 'INVALID_MIGRATION',
        `${entry.file}: ${direction}() failed: ${reason}${/[.!?]$/.test(reason) ? '' : '.'} Fix ${direction}() in the migration file and run again (nothing was sent to the server).`,
        { file: entry.file, id: entry.id, direction },
        { cause: e },
      )
    }
  }
  const upOps = await record('up')
  let down: { downOps: Op[] } | { downError: StarRocksMvError }
  try {
    down = { downOps: await record('down') }
  } catch (e) {
    down = { downError: e as StarRocksMvError }
  }
  return Object.freeze({ ...entry, definition, upOps, ...down, checksum: migrationChecksum(upOps) })
}

/**
 * Read a migration's snapshot file: the schema state it leads to. `parse` turns the JSON text into a
 * state (the diff layer's `parseState`). A missing file is `undefined`.
 */
export const readSnapshot = (entry: MigrationFile, parse: (json: string) => SchemaState): SchemaState | undefined => {
  if (!existsSync(entry.snapshotFile)) return undefined
  const text = readFileSync(entry.snapshotFile, 'utf8')
  try {
    return parse(text)
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e)
    throw new StarRocksMvError(
      'CORRUPT_SNAPSHOT',
      `${entry.snapshotFile} is not a valid snapshot (${reason}). Restore it from version control, or regenerate the migration.`,
      { file: entry.snapshotFile, id: entry.id },
      { cause: e },
    )
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** The id for a time: its UTC wall clock as `YYYYMMDDHHMMSS`. */
export const idOf = (d: Date): string =>
  `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`

const parseId = (id: string): Date =>
  new Date(Date.UTC(+id.slice(0, 4), +id.slice(4, 6) - 1, +id.slice(6, 8), +id.slice(8, 10), +id.slice(10, 12), +id.slice(12, 14)))

/** A new id for `now`, later than every existing id (one second after the latest when the clock is behind). */
export const newMigrationId = (existing: readonly string[], now: Date = new Date()): string => {
  let id = idOf(now)
  const latest = [...existing].sort().at(-1)
  if (latest !== undefined && id <= latest) id = idOf(new Date(parseId(latest).getTime() + 1000))
  return id
}

/** A file-name slug from a message: lower-case ASCII letters, digits and `_`; at most 60 characters. */
export const slugify = (message: string): string => {
  const slug = message
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
    .replace(/_+$/g, '')
  return slug === '' ? 'migration' : slug
}

/**
 * Write several files so that all of them appear or none: each is written to a temporary file in
 * the same folder, then renamed into place; a failure removes what was already renamed.
 */
export const writeFilesAtomically = (files: readonly { readonly path: string; readonly content: string }[]): void => {
  const token = randomBytes(6).toString('hex')
  const temps: { temp: string; path: string }[] = []
  const placed: string[] = []
  try {
    for (const f of files) {
      if (existsSync(f.path)) {
        throw new StarRocksMvError('FILE_EXISTS', `${f.path} already exists; nothing was written.`, { file: f.path })
      }
    }
    for (const f of files) {
      const temp = join(f.path, '..', `.${basename(f.path)}.${token}.tmp`)
      writeFileSync(temp, f.content, { encoding: 'utf8', flag: 'wx' })
      temps.push({ temp, path: f.path })
    }
    for (const t of temps) {
      renameSync(t.temp, t.path)
      placed.push(t.path)
    }
  } catch (e) {
    for (const t of temps) rmSync(t.temp, { force: true })
    for (const p of placed) rmSync(p, { force: true })
    throw e
  }
}

/** Make sure a folder exists. */
export const ensureDir = (dir: string): void => {
  mkdirSync(dir, { recursive: true })
}
