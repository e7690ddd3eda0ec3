/**
 * Workload: plan and write a migration for N MVs with `srmv generate`, against `drizzle-kit generate`
 * for N MySQL views. Two steps per size: the initial migration (empty snapshot → N creates), and a
 * follow-up (the previous snapshot, every tenth query changed: srmv rebuilds those with `--rebuild swap`,
 * drizzle-kit drops and creates the views). Each run starts from a fresh copy of
 * the project, spawns the real CLI, and records wall time and the peak RSS of its Node process.
 */
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { median, runNode } from './measure.mjs'
import { writeDrizzleProject, writeDrizzleSchema, writeSrmvProject, writeSrmvSchema } from './projects.mjs'

const tools = (paths) => ({
  srmv: {
    write: writeSrmvProject,
    change: writeSrmvSchema,
    run: (cwd, message) => runNode(paths.srmv, ['generate', '-m', message, ...(message === 'change' ? ['--rebuild', 'swap'] : [])], { cwd }),
    files: (cwd) => readdirSync(join(cwd, 'migrations')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).length,
  },
  drizzle: {
    write: writeDrizzleProject,
    change: writeDrizzleSchema,
    run: (cwd, message) => runNode(paths.drizzleKit, ['generate', '--name', message], { cwd }),
    files: (cwd) => readdirSync(join(cwd, 'drizzle')).filter((f) => f.endsWith('.sql')).length,
  },
})

/**
 * Measure both tools for each size. Returns, per size and step, `{ n, step, srmv: {ms, rss}, drizzle: {ms, rss} }`
 * (medians over `runsFor(n)` runs, the two tools alternating so that machine noise hits both).
 */
export const benchGenerate = ({ work, paths, sizes, runsFor, log }) => {
  const t = tools(paths)
  const results = []
  for (const n of sizes) {
    const runs = runsFor(n)
    const samples = { initial: { srmv: [], drizzle: [] }, change: { srmv: [], drizzle: [] } }
    for (let r = 0; r < runs; r++) {
      for (const name of ['srmv', 'drizzle']) {
        const tool = t[name]
        const dir = join(work, `${name}-${n}`)
        tool.write(dir, n)
        const initial = tool.run(dir, 'initial')
        if (tool.files(dir) !== 1) throw new Error(`${name} generate wrote no migration for ${n} views in ${dir}`)
        samples.initial[name].push(initial)
        tool.change(dir, n, true)
        const change = tool.run(dir, 'change')
        if (tool.files(dir) !== 2) throw new Error(`${name} generate wrote no follow-up migration for ${n} views in ${dir}`)
        samples.change[name].push(change)
        log(`  generate ${n}: run ${r + 1}/${runs} ${name} initial ${initial.ms.toFixed(0)} ms, change ${change.ms.toFixed(0)} ms`)
      }
    }
    for (const step of ['initial', 'change']) {
      const pick = (name) => ({
        ms: median(samples[step][name].map((s) => s.ms)),
        rss: Math.max(...samples[step][name].map((s) => s.rss)),
      })
      results.push({ n, step, runs, srmv: pick('srmv'), drizzle: pick('drizzle') })
    }
  }
  for (const name of ['srmv', 'drizzle']) for (const n of sizes) rmSync(join(work, `${name}-${n}`), { recursive: true, force: true })
  return results
}

