import { basename, join } from 'node:path'
import { dependencyOrder, diff, parseState, serializeState, snapshot, type DiffResult, type RebuildOption } from '../diff/index.js'
import { StarRocksMvError } from '../errors.js'
import { DEFAULT_VERSION, SchemaState } from '../model/index.js'
import { codeImportsOf, renderOpsAsCode, reverseAll, toStatements, type Op } from '../ops/index.js'
import { PACKAGE_NAME } from './module-loader.js'
import {
  ensureDir,
  listMigrationFiles,
  newMigrationId,
  readSnapshot,
  slugify,
  snapshotFileOf,
  writeFilesAtomically,
  type FileToWrite,
  type MigrationFile,
} from './migration-files.js'

/** What {@link latestSnapshot} reads: the state the latest migration leads to, and that migration's file. */
export interface LatestSnapshot {
  readonly state: SchemaState
  readonly from?: MigrationFile
}

/** The state the latest migration leads to (empty before the first), and the file it came from. */
export const latestSnapshot = (dir: string): LatestSnapshot => {
  const files = listMigrationFiles(dir)
  const last = files.at(-1)
  if (last === undefined) return { state: SchemaState.empty() }
  const state = readSnapshot(last, (json) => parseState(json, basename(last.snapshotFile)))
  if (state === undefined) {
    throw new StarRocksMvError(
      'MISSING_SNAPSHOT',
      `${basename(last.file)} has no snapshot file (${basename(last.snapshotFile)}), so the state it leads to is unknown. Restore it from version control (e.g. git checkout -- ${last.snapshotFile}). If ${basename(last.file)} was never applied anywhere, you may instead delete it and run srmv generate again.`,
      { file: last.snapshotFile },
    )
  }
  return { state, from: last }
}

/**
 * {@link latestSnapshot}, with the dependency order of its MVs worked out and kept: the reverse plan
 * (the migration's `down()`) orders them. `srmv generate` reads the snapshot while esbuild transforms
 * the schema module in its own process, so the order is made while it would otherwise wait.
 */
export const latestSnapshotForPlan = (dir: string): LatestSnapshot => {
  const latest = latestSnapshot(dir)
  try {
    dependencyOrder(latest.state.mvs)
  } catch {
    // MVs of the snapshot that read each other in a cycle: the plan reports it
  }
  return latest
}

/** Options of {@link generateMigration}. */
export interface GenerateOptions {
  /** The migrations folder. */
  readonly dir: string
  /** What the migration does, in words (its slug comes from it). */
  readonly message: string
  /** The desired state (the schema module's MVs, intents kept: `desiredState(...)`). */
  readonly desired: SchemaState
  /** Diff from this state (e.g. reflected from a server with `compare: 'live'`) instead of the latest snapshot. */
  readonly from?: SchemaState
  readonly compare?: 'snapshot' | 'live'
  /** The database unqualified MVs live in (the connection's, with `from` reflected). */
  readonly defaultSchema?: string
  readonly rebuild?: RebuildOption
  /** For managed tables, changes StarRocks cannot ALTER: `'copy'` rebuilds the table by copy (see `diff`). */
  readonly tableRebuild?: 'error' | 'copy'
  /** Acknowledge the DROP PARTITIONs of the plan (their data is lost). */
  readonly allowPartitionDrop?: boolean
  /** The StarRocks version the plan is checked against (default 3.5). */
  readonly version?: string
  /** A migration with empty `up` and `down`, to write by hand (its snapshot is the latest one). */
  readonly empty?: boolean
  /**
   * Write these ops instead of a plan: ops that change no definition (re-activations, refreshes),
   * so the snapshot stays the latest one and `desired` is not read. `down` defaults to their inverses.
   */
  readonly ops?: readonly Op[]
  readonly now?: Date
  /**
   * `latestSnapshot(dir)`, when the caller has read it already (the CLI reads it while the schema
   * module is still being transformed); read from `dir` otherwise.
   */
  readonly latest?: LatestSnapshot
}

/** What {@link generateMigration} did. */
export type GenerateResult =
  | { readonly kind: 'nothing'; readonly plan: DiffResult }
  | {
      readonly kind: 'written'
      readonly id: string
      readonly file: string
      readonly snapshotFile: string
      /** The state the migration leads to (what its snapshot file holds). */
      readonly state: SchemaState
      readonly plan?: DiffResult
      readonly up: readonly Op[]
      readonly down: readonly Op[]
      /** Why `down` could not be derived (the file then says so and throws when run down). */
      readonly irreversible?: string
    }

/**
 * The ops that undo `up`: the plan back from `to` to `from` for rebuilds, else the inverse of each op
 * (latest first), else the plan back. The reason when neither works.
 */
const downOps = (plan: DiffResult, from: SchemaState, to: SchemaState, options: GenerateOptions): { ops: Op[] } | { reason: string } => {
  const tableRebuilds = (plan.tableRebuilds ?? []).length > 0
  const back = (): DiffResult =>
    diff(to, from, {
      ...(options.rebuild === undefined ? {} : { rebuild: options.rebuild }),
      ...(options.version === undefined ? {} : { version: options.version }),
      // A table rebuilt by copy is copied back; what the up added, the down takes away.
      ...(tableRebuilds ? { tableRebuild: 'copy' as const, allowPartitionDrop: true } : {}),
    })
  // A rebuild is undone by rebuilding back (with its refresh wait, and the MVs re-activated at the end), not by replaying it backwards.
  if (plan.rebuilt.length > 0 || tableRebuilds) {
    const b = back()
    if (b.problems.length === 0) return { ops: [...b.ops] }
  }
  try {
    return { ops: reverseAll(plan.ops, options.version === undefined ? {} : { version: options.version }) }
  } catch (e) {
    const b = back()
    if (b.problems.length === 0) return { ops: [...b.ops] }
    return { reason: (e as Error).message }
  }
}

const body = (ops: readonly Op[]): string => renderOpsAsCode(ops, { indent: '    ' })

const source = (message: string, snapshotName: string, up: readonly Op[], down: { ops: Op[] } | { reason: string }): string => {
  // each body is rendered once; the import line is read off the rendered code
  const upBody = body(up)
  const downBody =
    'ops' in down
      ? body(down.ops)
      : `    throw new Error(${JSON.stringify(`This migration cannot be undone automatically: ${down.reason}`)})\n`
  const names = [...new Set(['defineMigration', ...codeImportsOf(upBody, 'ops' in down ? downBody : '')])].sort()
  const comment = message
    .split('\n')
    .map((l) => ` * ${l.replaceAll('*/', '*\\/')}`.trimEnd())
    .join('\n')
  return (
    `/**\n${comment}\n *\n * Leads to the state in ${snapshotName}.\n */\n` +
    `import { ${names.join(', ')} } from '${PACKAGE_NAME}'\n\n` +
    `export default defineMigration({\n` +
    `  up(op) {\n${upBody}  },\n` +
    `  down(op) {\n${downBody}  },\n` +
    `})\n`
  )
}

/** A migration ready to write: every file rendered and checked, nothing written yet. */
export interface PreparedMigration {
  /** What {@link generateMigration} returns once the files are written. */
  readonly result: GenerateResult
  /** The migration and its snapshot (none when there is nothing to do). */
  readonly files: readonly FileToWrite[]
  /** The state the latest snapshot holds once the files are written, and that snapshot's file name. */
  readonly latest: { readonly state: SchemaState; readonly source?: string }
}

/** Render the ops for the target version: a clause the version lacks, or a name too long, fails here, before anything is written. */
const checkRenders = (ops: readonly Op[], version: string | undefined, direction: 'up' | 'down'): void => {
  try {
    toStatements(ops, version === undefined ? {} : { version })
  } catch (e) {
    if (!(e instanceof StarRocksMvError)) throw e
    throw new StarRocksMvError(
      e.code,
      `${e.message}${/[.!?]$/.test(e.message) ? '' : '.'} Found rendering the ${direction} steps of the new migration for StarRocks ${version ?? DEFAULT_VERSION}; nothing was written.`,
      { ...e.details, direction },
      { cause: e },
    )
  }
}

/**
 * Everything {@link generateMigration} does except writing: the plan, the migration's source and
 * its snapshot, each statement rendered for the target version and the id checked. Throws before
 * anything is written; the caller writes `files` with {@link writeFilesAtomically}.
 */
export const prepareMigration = (options: GenerateOptions): PreparedMigration => {
  const latest = options.latest ?? latestSnapshot(options.dir)
  const from = options.from ?? latest.state
  const to = options.desired
  const existing = listMigrationFiles(options.dir).map((f) => f.id)
  const place = (up: readonly Op[], down: { ops: Op[] } | { reason: string }, state: SchemaState, plan?: DiffResult): PreparedMigration => {
    checkRenders(up, options.version, 'up')
    if ('ops' in down) checkRenders(down.ops, options.version, 'down')
    const id = newMigrationId(existing, options.now)
    const name = `${id}_${slugify(options.message)}`
    const file = join(options.dir, `${name}.ts`)
    const snapshotFile = snapshotFileOf(file)
    return {
      result: {
        kind: 'written',
        id,
        file,
        snapshotFile,
        state,
        up,
        down: 'ops' in down ? down.ops : [],
        ...(plan === undefined ? {} : { plan }),
        ...('reason' in down ? { irreversible: down.reason } : {}),
      },
      files: [
        { path: snapshotFile, content: serializeState(state) },
        { path: file, content: source(options.message, basename(snapshotFile), up, down) },
      ],
      latest: { state, source: basename(snapshotFile) },
    }
  }
  if (options.empty) return place([], { ops: [] }, latest.state)
  if (options.ops !== undefined) {
    if (options.ops.length === 0) {
      return {
        result: { kind: 'nothing', plan: diff(latest.state, latest.state) },
        files: [],
        latest: { state: latest.state, ...(latest.from === undefined ? {} : { source: basename(latest.from.snapshotFile) }) },
      }
    }
    const down = ((): { ops: Op[] } | { reason: string } => {
      try {
        return { ops: reverseAll(options.ops, options.version === undefined ? {} : { version: options.version }) }
      } catch (e) {
        return { reason: (e as Error).message }
      }
    })()
    return place(options.ops, down, latest.state)
  }
  const plan = diff(from, to, {
    ...(options.rebuild === undefined ? {} : { rebuild: options.rebuild }),
    ...(options.tableRebuild === undefined ? {} : { tableRebuild: options.tableRebuild }),
    ...(options.allowPartitionDrop === undefined ? {} : { allowPartitionDrop: options.allowPartitionDrop }),
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.compare === undefined ? {} : { compare: options.compare }),
    ...(options.defaultSchema === undefined ? {} : { defaultSchema: options.defaultSchema }),
  })
  if (plan.problems.length > 0) {
    throw new StarRocksMvError(
      'PLAN_PROBLEMS',
      `The plan cannot be carried out; nothing was written:\n${plan.problems.map((p) => `- ${p.message}`).join('\n')}`,
      { problems: plan.problems },
    )
  }
  if (plan.ops.length === 0) {
    return {
      result: { kind: 'nothing', plan },
      files: [],
      latest: { state: latest.state, ...(latest.from === undefined ? {} : { source: basename(latest.from.snapshotFile) }) },
    }
  }
  return place(plan.ops, downOps(plan, from, to, options), snapshot([...to.mvs, ...(to.tables ?? []), ...(to.views ?? [])]), plan)
}

/**
 * Write a migration from the difference between the latest snapshot (or `from`) and the desired
 * state: `<id>_<slug>.ts` with `up` and `down`, and `<id>_<slug>.snapshot.json` with the state it
 * leads to, both or neither. Every statement is rendered for the target version before anything
 * is written. Writes nothing when there is nothing to do; throws `PLAN_PROBLEMS` (each problem in
 * `details.problems`) when the plan cannot be carried out.
 */
export const generateMigration = (options: GenerateOptions): GenerateResult => {
  const prepared = prepareMigration(options)
  if (prepared.files.length > 0) {
    ensureDir(options.dir)
    writeFilesAtomically(prepared.files)
  }
  return prepared.result
}
