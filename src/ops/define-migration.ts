import type { Op } from './op.js'
import { op as factories, type OpFactories } from './factories.js'

/** The `op` handed to `up` and `down`: the factories, each call also recorded in order. */
export type OpRecorder = OpFactories

/** A migration's two directions. `up(op)` / `down(op)` call the recorder; they may be async. */
export interface MigrationDefinition {
  readonly kind: 'MigrationDefinition'
  readonly up: (op: OpRecorder) => void | Promise<void>
  readonly down: (op: OpRecorder) => void | Promise<void>
}

/** Make a recorder: the factories, with every op they return pushed onto `ops`. */
export const createRecorder = (): { readonly op: OpRecorder; readonly ops: Op[] } => {
  const ops: Op[] = []
  const recorder = Object.fromEntries(
    Object.entries(factories).map(([name, factory]) => [
      name,
      (...args: unknown[]) => {
        const made = (factory as (...a: unknown[]) => Op)(...args)
        ops.push(made)
        return made
      },
    ]),
  ) as unknown as OpRecorder
  return { op: Object.freeze(recorder), ops }
}

/** Run `fn` with a fresh recorder and return the ops it made, in call order. */
export const recordOps = async (fn: (op: OpRecorder) => void | Promise<void>): Promise<Op[]> => {
  const { op, ops } = createRecorder()
  await fn(op)
  return ops
}

/**
 * Declare a migration.
 *
 * @example
 * ```ts
 * export default defineMigration({
 *   up(op) { op.createMaterializedView(dailySales) },
 *   down(op) { op.dropMaterializedView(dailySales) },
 * })
 * ```
 */
export const defineMigration = (migration: {
  readonly up: (op: OpRecorder) => void | Promise<void>
  readonly down: (op: OpRecorder) => void | Promise<void>
}): MigrationDefinition => {
  if (typeof migration?.up !== 'function' || typeof migration.down !== 'function') {
    throw new TypeError('defineMigration() needs { up(op) { ... }, down(op) { ... } }: both must be functions.')
  }
  return Object.freeze({ kind: 'MigrationDefinition' as const, up: migration.up, down: migration.down })
}
