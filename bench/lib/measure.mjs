/**
 * Measuring helpers: a child process's wall time and peak memory, medians, and number formatting.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const hook = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'rss-hook.mjs')).href

/**
 * Run `node <script> ...args` in `cwd` and measure it: wall time (ms, spawn to exit, so Node's own
 * start-up counts, as users feel it) and the peak RSS of the Node process (bytes). Throws with the
 * child's stderr when it exits non-zero, unless `allowFailure`. `nodeArgs` go to Node itself (e.g. --cpu-prof).
 */
export const runNode = (script, args, { cwd, env = {}, nodeArgs = [], timeoutMs = 600_000, allowFailure = false } = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'srmv-bench-'))
  const rssFile = join(dir, 'rss')
  const started = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', hook, script, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 512 * 1024 * 1024,
    timeout: timeoutMs,
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN
  rmSync(dir, { recursive: true, force: true })
  if ((r.status !== 0 || r.error !== undefined) && !allowFailure) {
    const why = r.error?.message ?? `exit ${r.status ?? r.signal}`
    throw new Error(`${script} ${args.join(' ')} (in ${cwd}) failed: ${why}\n${String(r.stderr).slice(-2000)}${String(r.stdout).slice(-2000)}`)
  }
  return { ms, rss, status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) }
}

/** The median of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Time an async function `runs` times; the median in ms. */
export const timeAsync = async (fn, runs) => {
  const times = []
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint()
    await fn()
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  return median(times)
}

export const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`)
export const fmtMB = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
export const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '—')
export const fmtInt = (n) => Math.round(n).toLocaleString('en-US')
