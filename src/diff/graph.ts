import { match } from 'ts-pattern'
import type { SchemaState } from '../model/index.js'
import { dependencyGraph, type DependencyNode, type ResolveOptions } from './dependency-order.js'

/** Options of {@link graph}. */
export interface GraphOptions extends ResolveOptions {
  /** `mermaid` (default) or `dot` (Graphviz). */
  readonly format?: 'mermaid' | 'dot'
  /** Keys of MVs a plan rebuilds (`DiffResult.rebuilt`). */
  readonly rebuilt?: readonly string[]
  /** Keys of MVs the server reports inactive (default: from the state's `status`, when reflected). */
  readonly inactive?: readonly string[]
  /**
   * Health per MV key (`MvHealth.level` from `health()`): MVs are coloured green (ok), amber
   * (`warning`: stale, base tables changed) or red (`unhealthy`: inactive, last refresh failed).
   */
  readonly health?: Readonly<Record<string, 'ok' | 'warning' | 'error'>>
}

const COLORS = { rebuilt: '#fde68a', inactive: '#fecaca', table: '#e5e7eb', healthy: '#bbf7d0', warning: '#fed7aa', unhealthy: '#fca5a5' } as const

type Mark = 'rebuilt' | 'inactive' | 'warning' | 'unhealthy'

const marks = (n: DependencyNode, rebuilt: ReadonlySet<string>, inactive: ReadonlySet<string>, health: GraphOptions['health']): Mark[] => {
  const level = health?.[n.key]
  return [
    ...(rebuilt.has(n.key) ? ['rebuilt' as const] : []),
    ...(inactive.has(n.key) ? ['inactive' as const] : []),
    ...(level === 'warning' ? ['warning' as const] : level === 'error' && !inactive.has(n.key) ? ['unhealthy' as const] : []),
  ]
}

/** The colour class of an MV node: its first mark, else `healthy` when its health is known and ok. */
const colourOf = (n: DependencyNode, m: readonly Mark[], health: GraphOptions['health']): keyof typeof COLORS | undefined =>
  n.kind === 'table' ? 'table' : (m[0] ?? (health?.[n.key] === 'ok' ? 'healthy' : undefined))

const mermaidText = (s: string): string => s.replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;')
const dotText = (s: string): string => s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')

/**
 * The dependency graph of a state as Mermaid (`flowchart LR`) or Graphviz DOT text: MVs as boxes,
 * the tables they read as cylinders, an arrow from what is read to its reader; MVs a plan rebuilds,
 * MVs the server reports inactive and, given `health`, each MV's health are marked (in the label and
 * by colour).
 *
 * @example
 * ```ts
 * graph(reflected, { format: 'mermaid', rebuilt: plan.rebuilt })
 * // flowchart LR
 * //   n0[("shop.orders")]:::table
 * //   n1["shop.daily<br/>(rebuilt)"]:::rebuilt
 * //   n0 --> n1
 * ```
 */
export const graph = (state: SchemaState, options: GraphOptions = {}): string => {
  const g = dependencyGraph(state, options)
  const rebuilt = new Set(options.rebuilt ?? [])
  const inactive = new Set(
    options.inactive ?? Object.entries(state.status ?? {}).filter(([, s]) => !s.active).map(([k]) => k),
  )
  const ids = new Map(g.nodes.map((n, i) => [n.key, `n${i}`] as const))
  const id = (key: string): string => ids.get(key) as string

  return match(options.format ?? 'mermaid')
    .with('mermaid', () => {
      const lines = ['flowchart LR']
      for (const n of g.nodes) {
        const m = marks(n, rebuilt, inactive, options.health)
        const label = mermaidText(n.key) + m.map((x) => `<br/>(${x})`).join('')
        const cls = colourOf(n, m, options.health)
        lines.push(`  ${id(n.key)}${n.kind === 'table' ? `[("${label}")]` : `["${label}"]`}${cls === undefined ? '' : `:::${cls}`}`)
      }
      for (const e of g.edges) lines.push(`  ${id(e.from)} --> ${id(e.to)}`)
      lines.push(
        `  classDef rebuilt fill:${COLORS.rebuilt},stroke:#b45309`,
        `  classDef inactive fill:${COLORS.inactive},stroke:#b91c1c,stroke-dasharray:5 5`,
        `  classDef table fill:${COLORS.table},stroke:#6b7280`,
        ...(options.health === undefined
          ? []
          : [
              `  classDef healthy fill:${COLORS.healthy},stroke:#15803d`,
              `  classDef warning fill:${COLORS.warning},stroke:#c2410c`,
              `  classDef unhealthy fill:${COLORS.unhealthy},stroke:#b91c1c`,
            ]),
      )
      return `${lines.join('\n')}\n`
    })
    .with('dot', () => {
      const lines = ['digraph srmv {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];']
      for (const n of g.nodes) {
        const m = marks(n, rebuilt, inactive, options.health)
        const attrs = [`label="${dotText(n.key)}${m.map((x) => `\\n(${x})`).join('')}"`]
        const colour = colourOf(n, m, options.health)
        if (n.kind === 'table') attrs.push('shape=cylinder', 'style=filled', `fillcolor="${COLORS.table}"`)
        else if (colour !== undefined) {
          attrs.push('style="filled' + (m.includes('inactive') ? ',dashed' : '') + '"', `fillcolor="${COLORS[colour]}"`)
        }
        lines.push(`  "${dotText(n.key)}" [${attrs.join(', ')}];`)
      }
      for (const e of g.edges) lines.push(`  "${dotText(e.from)}" -> "${dotText(e.to)}";`)
      lines.push('}')
      return `${lines.join('\n')}\n`
    })
    .exhaustive()
}
