import { StarRocksMvError } from '../errors.js'
import { QualifiedName } from '../model/index.js'
import { op, type Op } from '../ops/index.js'
import type { HealthReport, MvHealth } from './health.js'

/**
 * The re-activations a health report calls for: `ALTER MATERIALIZED VIEW ... ACTIVE` for every
 * inactive MV, bases before the MVs that read them (StarRocks re-analyses an MV on ACTIVE and refuses
 * while a base is still inactive). An MV whose base table is gone stays inactive after the ALTER
 * fails: restore the table first. Throws `DEPENDENCY_CYCLE` for a cycle (which StarRocks cannot hold).
 *
 * @example
 * ```ts
 * toStatements(reactivationOps(await health(client)))
 * // ['ALTER MATERIALIZED VIEW `shop`.`daily` ACTIVE', 'ALTER MATERIALIZED VIEW `shop`.`weekly` ACTIVE']
 * ```
 */
export const reactivationOps = (report: HealthReport): Op[] => {
  const inactive = new Map(report.mvs.filter((m) => !m.active).map((m) => [m.key, m] as const))
  const done = new Set<string>()
  const visiting: string[] = []
  const ordered: MvHealth[] = []
  const visit = (m: MvHealth): void => {
    if (done.has(m.key)) return
    if (visiting.includes(m.key)) {
      throw new StarRocksMvError('DEPENDENCY_CYCLE', `The inactive MVs read each other in a cycle: ${[...visiting.slice(visiting.indexOf(m.key)), m.key].join(' → ')}.`)
    }
    visiting.push(m.key)
    for (const d of m.dependencies) {
      const base = inactive.get(d)
      if (base !== undefined) visit(base)
    }
    visiting.pop()
    done.add(m.key)
    ordered.push(m)
  }
  for (const m of [...inactive.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) visit(m)
  return ordered.map((m) => op.alterMaterializedView({ target: QualifiedName.create(m.name, m.schema), changes: [{ kind: 'active' }] }))
}
