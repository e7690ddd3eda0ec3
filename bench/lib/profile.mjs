/**
 * Summarise a V8 CPU profile (`node --cpu-prof`): self and inclusive time per function, so RESULTS.md
 * can name the hot spots when a target fails.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const frameKey = (cf, root) => {
  const url = cf.url.replace(/^file:\/\//, '').replace(root, '.')
  const where = url === '' ? '' : ` ${url.replace(/.*\/node_modules\//, '').split('/').slice(0, 3).join('/')}:${cf.lineNumber + 1}`
  return `${cf.functionName || '(anonymous)'}${where}`
}

/** The newest .cpuprofile in `dir`, summarised: top `k` by self time and by inclusive time. */
export const summariseProfile = (dir, root, k = 12) => {
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().at(-1)
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`)
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const sampleTime = new Map()
  p.samples.forEach((id, i) => sampleTime.set(id, (sampleTime.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
  const self = new Map()
  const incl = new Map()
  let total = 0
  for (const [id, t] of sampleTime) {
    total += t
    const node = byId.get(id)
    const key = frameKey(node.callFrame, root)
    self.set(key, (self.get(key) ?? 0) + t)
    const seen = new Set()
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k2 = frameKey(byId.get(cur).callFrame, root)
      if (seen.has(k2)) continue
      seen.add(k2)
      incl.set(k2, (incl.get(k2) ?? 0) + t)
    }
  }
  const top = (m, filter = () => true) =>
    [...m]
      .filter(([key]) => filter(key) && !/^\((root|program|idle)\)/.test(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([key, us]) => ({ fn: key, ms: us / 1000, share: us / total }))
  return {
    file: join(dir, file),
    totalMs: total / 1000,
    self: top(self),
    // inclusive time of the package's own functions (dist/), where the fix would go
    ours: top(incl, (key) => / \.\/dist\//.test(key) || /dist\/(chunk|index|cli)/.test(key)),
    inclusive: top(incl),
  }
}
