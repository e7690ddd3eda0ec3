import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { isStarRocksMvError, StarRocksMvError } from '../errors.js'
import type { SchemaState } from '../model/index.js'
import { toDefinition } from '../schema/index.js'
import { recordOps, type MigrationDefinition, type Op } from '../ops/index.js'
import { canonicalJson, sha256 } from './checksum.js'
import type { ModuleLoader } from './module-loader.js'

/** Migration file names: `<YYYYMMDDHHMMSS>_<slug>.ts` (`.mts`, `.js`, `.mjs` also load). */
export const MIGRATION_FILE = /^(\d{14})_([A-Za-z0-9_-]+)\.(ts|mts|js|mjs)$/

/** A migration file name whose id has the wrong number of digits (e.g. a year past 9999). */
const LOOKS_LIKE_MIGRATION = /^\d{12,16}_[A-Za-z0-9_-]+\.(ts|mts|js|mjs)$/

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
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (e) {
    throw fileError(e, dir, 'migrations folder')
  }
  const files: MigrationFile[] = []
  for (const entry of names.sort()) {
    const m = MIGRATION_FILE.exec(entry)
    if (m === null) {
      if (LOOKS_LIKE_MIGRATION.test(entry)) {
        throw new StarRocksMvError(
          'INVALID_MIGRATION_ID',
          `${join(dir, entry)} looks like a migration, but its id is not 14 digits (YYYYMMDDHHMMSS), so it would never be applied. Rename it (and its .snapshot.json) to a 14-digit id in order with the others.`,
          { file: join(dir, entry) },
        )
      }
      continue
    }
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
 * state (the diff layer's `parseState`). A missing file is `undefined`. The file must be UTF-8 (a
 * byte-order mark is allowed, as in source files): other bytes would turn names and queries into
 * replacement characters, and the plan would drop and re-create those MVs.
 */
export const readSnapshot = (entry: MigrationFile, parse: (json: string) => SchemaState): SchemaState | undefined => {
  if (!existsSync(entry.snapshotFile)) return undefined
  const text = readUtf8File(entry.snapshotFile, 'snapshot')
  const restore = `Restore it from version control (e.g. git checkout -- ${entry.snapshotFile}): snapshots are written by srmv generate, never by hand. If ${basename(entry.file)} was never applied anywhere, you may instead delete it and its snapshot and run srmv generate again.`
  try {
    const state = parse(text)
    // Every MV as generate wrote it: a hand-edited field would otherwise fail later as a bare TypeError.
    for (const mv of state.mvs) toDefinition(mv)
    return state
  } catch (e) {
    if (isStarRocksMvError(e) && e.details.newerFormat !== undefined) {
      throw new StarRocksMvError('CORRUPT_SNAPSHOT', e.message.replace(/^Snapshot /, `${basename(entry.file)}: snapshot `), { ...e.details, file: entry.snapshotFile, id: entry.id }, { cause: e })
    }
    const reason = isStarRocksMvError(e) && typeof e.details.reason === 'string' ? e.details.reason : e instanceof Error ? e.message : String(e)
    throw new StarRocksMvError('CORRUPT_SNAPSHOT', `${entry.snapshotFile} is not a valid snapshot: ${reason.replace(/[.]?$/, '.')} ${restore}`, { file: entry.snapshotFile, id: entry.id }, { cause: e })
  }
}

/**
 * Read a text file the project keeps (a snapshot): refuses a folder, unreadable files and bytes that
 * are not UTF-8, naming the file; strips a UTF-8 byte-order mark.
 */
export const readUtf8File = (file: string, what: string): string => {
  assertRegularFile(file, what)
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (e) {
    throw fileError(e, file, what)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes)
    const at = lossy.indexOf('\uFFFD')
    const line = at < 0 ? 1 : lossy.slice(0, at).split('\n').length
    throw new StarRocksMvError(
      'INVALID_ENCODING',
      `${file} is not valid UTF-8 (line ${line}): the ${what} would be read with its names and queries garbled. Save it as UTF-8 (or restore it from version control) and run again.`,
      { file, line },
    )
  }
  return text
}

/** A file-system error (a folder where a file belongs, a file where a folder belongs, no permission) as a message naming the path. */
export const fileError = (e: unknown, path: string, what: string): StarRocksMvError | unknown => {
  const code = (e as { code?: unknown } | null)?.code
  const why =
    code === 'EISDIR'
      ? 'is a folder, not a file'
      : code === 'ENOTDIR'
        ? 'is not a folder (a file is in the way)'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read (permission denied)'
          : code === 'ENOENT'
            ? 'does not exist'
            : undefined
  if (why === undefined) return e
  return new StarRocksMvError('FILE_NOT_FOUND', `${path} ${why}: srmv expected the ${what} there. Check the path (paths in srmv.config.ts are relative to the config file).`, { file: path, errno: code }, { cause: e })
}

/** Whether `file` is the null device, which reads as empty and never blocks. */
const isDevNull = (file: string, stat: Stats): boolean => {
  if (!stat.isCharacterDevice()) return false
  try {
    return realpathSync(file) === '/dev/null'
  } catch {
    return false
  }
}

/**
 * Refuse, before reading it, a path that is not a regular file: reading a FIFO waits for a writer
 * that may never come, and a device never ends. A missing file is reported as {@link fileError}
 * reports it; a folder is left to the read, which reports it the same way.
 */
export const assertRegularFile = (file: string, what: string): void => {
  let stat: Stats
  try {
    stat = statSync(file)
  } catch (e) {
    throw fileError(e, file, what)
  }
  // a folder: the read that follows says so, as for any path; /dev/null reads as empty (a .env linked to it)
  if (!stat.isFile() && !stat.isDirectory() && !isDevNull(file, stat)) {
    throw new StarRocksMvError('FILE_NOT_FOUND', `${file} is not a regular file (a FIFO, socket or device): srmv expected the ${what} there and reads only files. Replace it with a file.`, { file })
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** The id for a time: its UTC wall clock as `YYYYMMDDHHMMSS`. */
export const idOf = (d: Date): string =>
  `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`

const parseId = (id: string): Date =>
  new Date(Date.UTC(+id.slice(0, 4), +id.slice(4, 6) - 1, +id.slice(6, 8), +id.slice(8, 10), +id.slice(10, 12), +id.slice(12, 14)))

/**
 * A new id for `now`, later than every existing id (one second after the latest when the clock is
 * behind). Throws `INVALID_MIGRATION_ID` when that time is outside the years 1000 to 9999: its id
 * would not be 14 digits, and a file with such an id is never listed.
 */
export const newMigrationId = (existing: readonly string[], now: Date = new Date()): string => {
  let at = now
  const latest = [...existing].sort().at(-1)
  if (latest !== undefined && idOf(at) <= latest) at = new Date(parseId(latest).getTime() + 1000)
  const id = Number.isNaN(at.getTime()) ? 'NaN' : idOf(at)
  if (!/^\d{14}$/.test(id) || id < '10000101000000') {
    const why = latest !== undefined && at !== now ? `one second after the latest migration id, ${latest}` : `the clock says ${Number.isNaN(now.getTime()) ? 'an invalid time' : now.toISOString()}`
    throw new StarRocksMvError(
      'INVALID_MIGRATION_ID',
      `The new migration id would be ${id} (${why}), but ids are 14 digits, YYYYMMDDHHMMSS, years 1000 to 9999; a file with another id would never be listed. Nothing was written. Check the system clock, or rename the migration with the far-future id to a real time.`,
      { id, ...(latest === undefined ? {} : { latest }) },
    )
  }
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

/** A file for {@link writeFilesAtomically}: new unless `replace` allows overwriting it. */
export interface FileToWrite {
  readonly path: string
  readonly content: string
  /** Overwrite the file when it exists (its old content comes back if the write fails). */
  readonly replace?: boolean
}

/**
 * Write several files so that all of them appear or none: each is written to a temporary file in
 * the same folder, then renamed into place; a failure removes what was already renamed (and puts
 * back the old content of a replaced file), and removes every temporary file.
 */
export const writeFilesAtomically = (files: readonly FileToWrite[]): void => {
  const token = randomBytes(6).toString('hex')
  const temps: { temp: string; path: string; old: Buffer | undefined }[] = []
  const placed: { path: string; old: Buffer | undefined }[] = []
  let writing: string | undefined
  try {
    for (const f of files) {
      if (f.replace !== true && existsSync(f.path)) {
        throw new StarRocksMvError('FILE_EXISTS', `${f.path} already exists; nothing was written.`, { file: f.path })
      }
      // replacing is for files: a folder, a FIFO or a device (even /dev/null) is never swapped for one
      const stat = existsSync(f.path) ? statSync(f.path) : undefined
      if (stat !== undefined && !stat.isFile()) {
        throw new StarRocksMvError('FILE_EXISTS', `${f.path} is ${stat.isDirectory() ? 'a folder' : 'not a regular file (a FIFO, socket or device)'}; srmv replaces only files, and nothing was written. Choose another path.`, { file: f.path })
      }
    }
    for (const f of files) {
      const old = f.replace === true && existsSync(f.path) ? oldContent(f.path) : undefined
      writing = f.path
      const temp = join(f.path, '..', `.${basename(f.path)}.${token}.tmp`)
      temps.push({ temp, path: f.path, old })
      writeFileSync(temp, f.content, { encoding: 'utf8', flag: 'wx' })
    }
    for (const t of temps) {
      writing = t.path
      renameSync(t.temp, t.path)
      placed.push({ path: t.path, old: t.old })
    }
  } catch (e) {
    for (const t of temps) rmSync(t.temp, { force: true })
    for (const p of placed.reverse()) {
      try {
        if (p.old === undefined) rmSync(p.path, { force: true })
        else writeFileSync(p.path, p.old)
      } catch {
        // best effort: the first error is the one to report
      }
    }
    throw writeError(e, writing)
  }
}

/** The content of a file about to be replaced, kept to put back if a later file fails. */
const oldContent = (file: string): Buffer => {
  try {
    return readFileSync(file)
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code
    if (code !== 'EACCES' && code !== 'EPERM') throw e
    throw new StarRocksMvError(
      'WRITE_FAILED',
      `${file} cannot be read (permission denied), and srmv keeps a file it replaces until every file is written, to put it back if one fails; nothing was written. Give your user read access to it, or remove it, and run again.`,
      { file, errno: code },
      { cause: e },
    )
  }
}

/** A file system's refusal to write `file`, in words that name the file, its folder and the way out; other errors unchanged. */
const writeError = (e: unknown, file: string | undefined): unknown => {
  const code = (e as { code?: unknown } | null)?.code
  if (file === undefined || typeof code !== 'string') return e
  const why: Record<string, string> = {
    EACCES: `permission denied: give your user write access to ${dirname(file)}`,
    EPERM: `the operating system refused it (an immutable or locked file, or no permission): check ${file} and ${dirname(file)}`,
    EROFS: `${dirname(file)} is on a read-only file system: write the project somewhere writable`,
    ENOSPC: 'the disk is full: free some space',
    EDQUOT: 'your disk quota is used up: free some space',
  }
  const way = why[code]
  if (way === undefined) return e
  return new StarRocksMvError('WRITE_FAILED', `${file} could not be written (${way}); nothing was written. Then run again.`, { file, errno: code }, { cause: e })
}

/** Make sure a folder exists. */
export const ensureDir = (dir: string): void => {
  mkdirSync(dir, { recursive: true })
}
