import { match } from 'ts-pattern'
import { StarRocksMvError } from '../errors.js'
import { DEFAULT_VERSION, freezeDeep as freeze, MvDefinition, QualifiedName, TableDefinition, type AlterChange, type TableAlterChange, type Version } from '../model/index.js'
import { propertyDefault } from '../schema/property-catalog.js'
import type { Op } from './op.js'

const irreversible = (what: string, why: string): never => {
  throw new StarRocksMvError('IRREVERSIBLE', `${what} cannot be reversed: ${why}`)
}

/** Options of {@link reverse}. */
export interface ReverseOptions {
  /** The server version, for version-dependent property defaults (default 3.5). */
  readonly version?: string | Version
}

const reverseChange = (target: QualifiedName, change: AlterChange, options: ReverseOptions): AlterChange =>
  match(change)
    .with({ kind: 'refresh' }, (c): AlterChange =>
      c.previous === undefined
        ? irreversible(
            `ALTER ${QualifiedName.key(target)} REFRESH`,
            'the op does not record the previous refresh scheme. Write the down step by hand, or build the alter with the previous scheme known (diff records it).',
          )
        : { kind: 'refresh', refresh: c.previous, previous: c.refresh },
    )
    .with({ kind: 'set' }, (c): AlterChange => {
      const previous = c.previous
      if (previous === undefined) {
        return irreversible(
          `ALTER ${QualifiedName.key(target)} SET (${Object.keys(c.properties).join(', ')})`,
          'the op does not record the previous values. Write the down step by hand with the values to restore.',
        )
      }
      const restored: Record<string, string> = {}
      for (const key of Object.keys(c.properties)) {
        const old = previous[key]
        if (old === undefined) {
          return irreversible(`ALTER ${QualifiedName.key(target)} SET "${key}"`, `the previous value of "${key}" is not recorded.`)
        }
        if (old === null) {
          const fallback = propertyDefault(key, options.version ?? DEFAULT_VERSION)
          if (fallback === undefined) {
            return irreversible(
              `ALTER ${QualifiedName.key(target)} SET "${key}"`,
              `"${key}" was not set before and StarRocks cannot unset a property; its default is not known, so there is no value to restore. Write the down step by hand.`,
            )
          }
          restored[key] = fallback
        } else {
          restored[key] = old
        }
      }
      return { kind: 'set', properties: restored, previous: { ...c.properties } }
    })
    .with({ kind: 'rename' }, (): AlterChange => ({ kind: 'rename', newName: target.name }))
    .with({ kind: 'active' }, (): AlterChange => ({ kind: 'inactive' }))
    .with({ kind: 'inactive' }, (): AlterChange => ({ kind: 'active' }))
    .with({ kind: 'swap' }, (c): AlterChange => c)
    .with({ kind: 'addColumn' }, (c): AlterChange => ({
      kind: 'dropColumn',
      name: c.name,
      previous: { expression: c.expression, ...(c.comment === undefined ? {} : { comment: c.comment }), last: true },
    }))
    .with({ kind: 'dropColumn' }, (c): AlterChange => {
      if (c.previous === undefined) {
        return irreversible(`ALTER ${QualifiedName.key(target)} DROP COLUMN ${c.name}`, 'the op does not record the dropped expression. Write the down step by hand (ADD COLUMN ... AS <expr>, or a rebuild).')
      }
      if (!c.previous.last) {
        return irreversible(
          `ALTER ${QualifiedName.key(target)} DROP COLUMN ${c.name}`,
          'the column was not the last one, and ADD COLUMN appends at the end, so adding it back would change the column order. Rebuild the MV in the down step instead.',
        )
      }
      return { kind: 'addColumn', name: c.name, expression: c.previous.expression, ...(c.previous.comment === undefined ? {} : { comment: c.previous.comment }) }
    })
    .with({ kind: 'orderBy' }, (c): AlterChange =>
      c.previous === undefined || c.previous.length === 0
        ? irreversible(`ALTER ${QualifiedName.key(target)} ORDER BY`, 'the op does not record the previous sort key. Write the down step by hand.')
        : { kind: 'orderBy', columns: c.previous, previous: c.columns },
    )
    .exhaustive()

const reverseTableChange = (target: QualifiedName, change: TableAlterChange): TableAlterChange =>
  match(change)
    .with({ kind: 'addColumn' }, (c): TableAlterChange => ({
      kind: 'dropColumn', name: c.column.name, previous: c.after === undefined ? { column: c.column } : { column: c.column, after: c.after },
    }))
    .with({ kind: 'dropColumn' }, (c): TableAlterChange =>
      c.previous === undefined
        ? irreversible(`ALTER TABLE ${QualifiedName.key(target)} DROP COLUMN ${c.name}`, 'the op does not record the dropped column. Write the down step by hand (the column data is gone either way).')
        : { kind: 'addColumn', column: c.previous.column, ...(c.previous.after === undefined ? {} : { after: c.previous.after }) },
    )
    .with({ kind: 'modifyColumn' }, (c): TableAlterChange =>
      c.previous === undefined
        ? irreversible(`ALTER TABLE ${QualifiedName.key(target)} MODIFY COLUMN ${c.column.name}`, 'the op does not record the previous column definition. Write the down step by hand.')
        : { kind: 'modifyColumn', column: c.previous, previous: c.column },
    )
    .with({ kind: 'setProperty' }, (c): TableAlterChange =>
      c.previous === undefined || c.previous === null
        ? irreversible(`ALTER TABLE ${QualifiedName.key(target)} SET "${c.key}"`, `the previous value of "${c.key}" is not recorded, and StarRocks cannot unset a property. Write the down step by hand.`)
        : { kind: 'setProperty', key: c.key, value: c.previous, previous: c.value },
    )
    .with({ kind: 'comment' }, (c): TableAlterChange => ({ kind: 'comment', comment: c.previous ?? '', previous: c.comment }))
    .with({ kind: 'rename' }, (): TableAlterChange => ({ kind: 'rename', newName: target.name }))
    .with({ kind: 'orderBy' }, (c): TableAlterChange =>
      c.previous === undefined
        ? irreversible(`ALTER TABLE ${QualifiedName.key(target)} ORDER BY`, 'the op does not record the previous sort key. Write the down step by hand.')
        : { kind: 'orderBy', columns: c.previous, previous: c.columns },
    )
    .with({ kind: 'distribution' }, (c): TableAlterChange =>
      c.previous === undefined
        ? irreversible(`ALTER TABLE ${QualifiedName.key(target)} DISTRIBUTED BY`, 'the op does not record the previous distribution. Write the down step by hand.')
        : { kind: 'distribution', distribution: c.previous, previous: c.distribution },
    )
    .with({ kind: 'addPartition' }, (c): TableAlterChange => ({ kind: 'dropPartition', name: c.entry.partition.name, previous: c.entry }))
    .with({ kind: 'dropPartition' }, (c): TableAlterChange =>
      c.previous === undefined
        ? irreversible(`ALTER TABLE ${QualifiedName.key(target)} DROP PARTITION ${c.name}`, 'the op does not record the dropped partition. Write the down step by hand (its data is gone either way).')
        : { kind: 'addPartition', entry: c.previous },
    )
    .with({ kind: 'addIndex' }, (c): TableAlterChange => ({ kind: 'dropIndex', name: c.index.name, previous: c.index }))
    .with({ kind: 'dropIndex' }, (c): TableAlterChange =>
      c.previous === undefined
        ? irreversible(`ALTER TABLE ${QualifiedName.key(target)} DROP INDEX ${c.name}`, 'the op does not record the dropped index. Write the down step by hand.')
        : { kind: 'addIndex', index: c.previous },
    )
    .with({ kind: 'swap' }, (c): TableAlterChange => c)
    .exhaustive()

/**
 * The op that undoes `o`: create ↔ drop (a drop only when it recorded the definition), ALTER
 * changes in reverse order (refresh and SET need the recorded previous values; a property that was
 * not set goes back to its catalog default), rename ↔ rename back, active ↔ inactive, swap ↔ swap,
 * execute only with its `down`. Data refreshes have no inverse. Anything else throws
 * `StarRocksMvError` with code `IRREVERSIBLE` and the reason.
 *
 * `IF NOT EXISTS` and `IF EXISTS` map onto each other; a drop's `FORCE` has no counterpart in a
 * create, so undoing a create drops without it.
 */
export const reverse = (o: Op, options: ReverseOptions = {}): Op =>
  freeze(
    match(o)
      .with({ kind: 'createMaterializedView' }, (c): Op => ({
        kind: 'dropMaterializedView',
        target: QualifiedName.create(c.definition.name, c.definition.schema),
        // A create that tolerated an existing MV undoes as a drop that tolerates a missing one.
        ifExists: c.ifNotExists,
        force: false,
        definition: c.definition,
      }))
      .with({ kind: 'dropMaterializedView' }, (d): Op =>
        d.definition === undefined
          ? irreversible(
              `DROP MATERIALIZED VIEW ${QualifiedName.key(d.target)}`,
              'the drop did not record the definition. Pass the MV (not its name) to op.dropMaterializedView(), or write the down step by hand.',
            )
          : {
              kind: 'createMaterializedView',
              // The dropped object is the target: a rebuild's old MV is dropped under its temporary name.
              definition: QualifiedName.equals(d.target, d.definition)
                ? d.definition
                : MvDefinition.with(d.definition, { name: d.target.name, schema: d.target.schema ?? d.definition.schema }),
              ifNotExists: d.ifExists,
            },
      )
      .with({ kind: 'alterMaterializedView' }, (a): Op => {
        // Walk forward to know the name each change applied to, then undo from the last.
        const names: QualifiedName[] = []
        let current = a.target
        for (const change of a.changes) {
          names.push(current)
          if (change.kind === 'rename') current = QualifiedName.create(change.newName, current.schema)
        }
        const changes = a.changes.map((change, i) => reverseChange(names[i] as QualifiedName, change, options)).reverse()
        return { kind: 'alterMaterializedView', target: current, changes }
      })
      .with({ kind: 'refreshMaterializedView' }, (r): Op =>
        irreversible(`REFRESH MATERIALIZED VIEW ${QualifiedName.key(r.target)}`, 'a refresh changes data, not the definition; there is nothing to undo. Leave it out of down().'),
      )
      .with({ kind: 'cancelRefreshMaterializedView' }, (c): Op =>
        irreversible(`CANCEL REFRESH MATERIALIZED VIEW ${QualifiedName.key(c.target)}`, 'a cancelled refresh cannot be un-cancelled. Leave it out of down().'),
      )
      .with({ kind: 'createTable' }, (c): Op => ({
        kind: 'dropTable', target: QualifiedName.create(c.definition.name, c.definition.schema), ifExists: c.ifNotExists, force: false, definition: c.definition,
      }))
      .with({ kind: 'dropTable' }, (d): Op =>
        d.definition === undefined
          ? irreversible(`DROP TABLE ${QualifiedName.key(d.target)}`, 'the drop did not record the definition. Pass the managed table (not its name) to op.dropTable(), or write the down step by hand.')
          : {
              kind: 'createTable',
              definition: QualifiedName.equals(d.target, d.definition) ? d.definition : TableDefinition.with(d.definition, { name: d.target.name, schema: d.target.schema ?? d.definition.schema }),
              ifNotExists: d.ifExists,
            },
      )
      .with({ kind: 'alterTable' }, (a): Op => {
        // Column changes run first and RENAME last (renderAlterTableStatements), so undo the rename first, then the rest on the old name.
        const renamed = [...a.changes].reverse().find((c): c is Extract<TableAlterChange, { kind: 'rename' }> => c.kind === 'rename')
        const current = renamed === undefined ? a.target : QualifiedName.create(renamed.newName, a.target.schema)
        const others = a.changes.filter((c) => c.kind !== 'rename').map((c) => reverseTableChange(a.target, c)).reverse()
        return { kind: 'alterTable', target: current, changes: [...(renamed === undefined ? [] : [reverseTableChange(a.target, renamed)]), ...others] }
      })
      // The copy back: after the reversed SWAP the rows are in the other table again.
      .with({ kind: 'copyRows' }, (c): Op => ({ kind: 'copyRows', from: c.to, to: c.from, columns: c.columns }))
      .with({ kind: 'createView' }, (c): Op => ({
        kind: 'dropView', target: QualifiedName.create(c.definition.name, c.definition.schema), ifExists: c.ifNotExists, definition: c.definition,
      }))
      .with({ kind: 'dropView' }, (d): Op =>
        d.definition === undefined
          ? irreversible(`DROP VIEW ${QualifiedName.key(d.target)}`, 'the drop did not record the definition. Write the down step by hand.')
          : { kind: 'createView', definition: d.definition, ifNotExists: d.ifExists },
      )
      .with({ kind: 'alterView' }, (a): Op =>
        a.previous === undefined
          ? irreversible(`ALTER VIEW ${QualifiedName.key(a.definition)}`, 'the op does not record the previous query. Write the down step by hand.')
          : { kind: 'alterView', definition: a.previous, previous: a.definition },
      )
      .with({ kind: 'execute' }, (e): Op =>
        e.down === undefined
          ? irreversible('op.execute()', 'it has no down statement. Pass { down: sql`...` } to op.execute().')
          : { kind: 'execute', sql: e.down, down: e.sql },
      )
      .exhaustive(),
  )

/** True for ops that change data only (refresh, cancel refresh): nothing to undo in a down migration. */
export const isDataOnly = (o: Op): boolean => o.kind === 'refreshMaterializedView' || o.kind === 'cancelRefreshMaterializedView'

const targetKey = (q: QualifiedName): string => QualifiedName.key(q)

/** True when `ops` rebuild an MV: a `SWAP WITH`, or a drop and a create of one name. */
const rebuildsAnMv = (ops: readonly Op[]): boolean => {
  const dropped = new Set<string>()
  const created = new Set<string>()
  for (const o of ops) {
    if (o.kind === 'alterMaterializedView' && o.changes.some((c) => c.kind === 'swap')) return true
    if (o.kind === 'dropMaterializedView') dropped.add(targetKey(o.target))
    if (o.kind === 'createMaterializedView') created.add(targetKey(QualifiedName.create(o.definition.name, o.definition.schema)))
  }
  return [...dropped].some((k) => created.has(k))
}

/** An `ALTER ... ACTIVE` and nothing else. */
const isActivation = (o: Op): o is Extract<Op, { kind: 'alterMaterializedView' }> =>
  o.kind === 'alterMaterializedView' && o.changes.length > 0 && o.changes.every((c) => c.kind === 'active')

/**
 * The re-activations of a list of ops that rebuilds an MV: its `ALTER ... ACTIVE`s (a plan
 * re-activates the readers of a rebuilt MV, which StarRocks deactivates on DROP and SWAP), in
 * order, one per MV. Empty when the list rebuilds nothing.
 */
export const reactivations = (ops: readonly Op[]): Extract<Op, { kind: 'alterMaterializedView' }>[] => {
  if (!rebuildsAnMv(ops)) return []
  const seen = new Set<string>()
  return ops.filter(isActivation).filter((o) => {
    const k = targetKey(o.target)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/**
 * Complete the undo of (part of) `forward`: undoing a rebuild rebuilds back (a create, or a swap)
 * and so deactivates the same readers again. When `undo` creates or swaps an MV and `forward`
 * re-activated readers, those readers are re-activated at the end, in `forward`'s order (what is
 * read before its readers), and never deactivated on the way (the inverse of a re-activation is
 * dropped). Used for a whole down (`reverseAll`) and for undoing a partly applied up, where the
 * re-activations may not have run yet.
 *
 * @example
 * ```ts
 * const undo = withReactivations(upOps, ranOps.reverse().map((o) => reverse(o)))
 * ```
 */
export const withReactivations = (forward: readonly Op[], undo: readonly Op[]): Op[] => {
  const again = reactivations(forward)
  if (again.length === 0) return [...undo]
  const targets = new Set(again.map((o) => targetKey(o.target)))
  const kept = undo.filter(
    (o) => !(o.kind === 'alterMaterializedView' && targets.has(targetKey(o.target)) && o.changes.length > 0 && o.changes.every((c) => c.kind === 'inactive')),
  )
  const rebuildsBack = kept.some((o) => o.kind === 'createMaterializedView' || (o.kind === 'alterMaterializedView' && o.changes.some((c) => c.kind === 'swap')))
  return rebuildsBack ? [...kept, ...again.map((o) => freeze({ ...o, changes: [{ kind: 'active' as const }] }) as Op)] : kept
}

/**
 * Undo a list of ops: reverse order, data-only ops skipped. Throws `IRREVERSIBLE` for the first op
 * that has no inverse. When the list rebuilds an MV, its re-activations are not inverted: they
 * run again after the undone rebuild (see {@link withReactivations}).
 */
export const reverseAll = (ops: readonly Op[], options: ReverseOptions = {}): Op[] => {
  const again = new Set<Op>(reactivations(ops))
  return withReactivations(
    ops,
    [...ops].reverse().filter((o) => !isDataOnly(o) && !(isActivation(o) && again.has(o))).map((o) => reverse(o, options)),
  )
}
