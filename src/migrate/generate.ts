import { basename, join } from 'node:path'
import { diff, parseState, serializeState, snapshot, type DiffResult, type RebuildOption } from '../diff/index.js'
import { StarRocksMvError } from '../errors.js'
import { SchemaState } from '../model/index.js'
import { codeImports, renderOpsAsCode, reverseAll, type Op } from '../ops/index.js'
import { PACKAGE_NAME } from './module-loader.js'
import {
  ensureDir,
  listMigrationFiles,
  newMigrationId,
  readSnapshot,
  slugify,
  snapshotFileOf,
  writeFilesAtomically,
  type MigrationFile,
} from './migration-files.js'

/** The state the latest migration leads to (empty before the first), and the file it came from. */
export const latestSnapshot = (dir: string): { readonly state: SchemaState; readonly from?: MigrationFile } => {
  const files = listMigrationFiles(dir)
  const last = files.at(-1)
  if (last === undefined) return { state: SchemaState.empty() }
  const state = readSnapshot(last, (json) => parseState(json, basename(last.snapshotFile)))
  if (state === undefined) {
    throw new StarRocksMvError(
      'MISSING_SNAPSHOT',
      `${basename(last.file)} has no snapshot file (${basename(last.snapshotFile)}), so the state it leads to is unknown. Restore the file from version control, or run \`srmv generate --from-db\` to diff the live server instead.`,
      { file: last.snapshotFile },
    )
  }
  return { state, from: last }
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
  /** The StarRocks version the plan is checked against (default 3.5). */
  readonly version?: string
  /** A migration with empty `up` and `down`, to write by hand (its snapshot is the latest one). */
  readonly empty?: boolean
  readonly now?: Date
}

/** What {@link generateMigration} did. */
export type GenerateResult =
  | { readonly kind: 'nothing'; readonly plan: DiffResult }
  | {
      readonly kind: 'written'
      readonly id: string
      readonly file: string
      readonly snapshotFile: string
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
  const back = (): DiffResult =>
    diff(to, from, {
      ...(options.rebuild === undefined ? {} : { rebuild: options.rebuild }),
      ...(options.version === undefined ? {} : { version: options.version }),
    })
  // A rebuild is undone by rebuilding back (with its refresh wait), not by replaying it backwards.
  if (plan.rebuilt.length > 0) {
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
  const downList = 'ops' in down ? down.ops : []
  const names = [...new Set(['defineMigration', ...codeImports([...up, ...downList])])].sort()
  const comment = message
    .split('\n')
    .map((l) => ` * ${l.replaceAll('*/', '*\\/')}`.trimEnd())
    .join('\n')
  const downBody =
    'ops' in down
      ? body(down.ops)
      : `    throw new Error(${JSON.stringify(`This migration cannot be undone automatically: ${down.reason}`)})\n`
  return (
    `/**\n${comment}\n *\n * Leads to the state in ${snapshotName}.\n */\n` +
    `import { ${names.join(', ')} } from '${PACKAGE_NAME}'\n\n` +
    `export default defineMigration({\n` +
    `  up(op) {\n${body(up)}  },\n` +
    `  down(op) {\n${downBody}  },\n` +
    `})\n`
  )
}

/**
 * Write a migration from the difference between the latest snapshot (or `from`) and the desired
 * state: `<id>_<slug>.ts` with `up` and `down`, and `<id>_<slug>.snapshot.json` with the state it
 * leads to, both or neither. Writes nothing when there is nothing to do; throws `PLAN_PROBLEMS`
 * (each problem in `details.problems`) when the plan cannot be carried out.
 */
export const generateMigration = (options: GenerateOptions): GenerateResult => {
  const latest = latestSnapshot(options.dir)
  const from = options.from ?? latest.state
  const to = options.desired
  const existing = listMigrationFiles(options.dir).map((f) => f.id)
  const place = (up: readonly Op[], down: { ops: Op[] } | { reason: string }, state: string, plan?: DiffResult): GenerateResult => {
    const id = newMigrationId(existing, options.now)
    const name = `${id}_${slugify(options.message)}`
    const file = join(options.dir, `${name}.ts`)
    const snapshotFile = snapshotFileOf(file)
    ensureDir(options.dir)
    writeFilesAtomically([
      { path: snapshotFile, content: state },
      { path: file, content: source(options.message, basename(snapshotFile), up, down) },
    ])
    return {
      kind: 'written',
      id,
      file,
      snapshotFile,
      up,
      down: 'ops' in down ? down.ops : [],
      ...(plan === undefined ? {} : { plan }),
      ...('reason' in down ? { irreversible: down.reason } : {}),
    }
  }
  if (options.empty) return place([], { ops: [] }, serializeState(latest.state))
  const plan = diff(from, to, {
    ...(options.rebuild === undefined ? {} : { rebuild: options.rebuild }),
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
  if (plan.ops.length === 0) return { kind: 'nothing', plan }
  return place(plan.ops, downOps(plan, from, to, options), serializeState(snapshot([...to.mvs, ...(to.tables ?? []), ...(to.views ?? [])])), plan)
}
