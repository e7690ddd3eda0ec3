import type { createColors } from 'picocolors'
import type { HealthReport } from '../health/index.js'

type Colors = ReturnType<typeof createColors>

/** `srmv health` as text: one line per MV (its level, key and refresh), its findings beneath, then a summary. */
export const formatHealth = (report: HealthReport, c: Colors): string => {
  const lines: string[] = []
  const tag = { ok: c.green('ok     '), warning: c.yellow('warning'), error: c.red('error  ') } as const
  for (const m of report.mvs) {
    lines.push(`${tag[m.level]} ${c.bold(m.key)} ${c.dim(`(${m.refresh}${m.lastSuccess === undefined ? '' : `, last success ${m.lastSuccess}`})`)}`)
    for (const f of m.findings) lines.push(`        ${f.level === 'error' ? c.red('✗') : f.level === 'warning' ? c.yellow('!') : c.dim('·')} ${f.message}`)
  }
  if (report.mvs.length === 0) lines.push(`No materialized views in ${report.schemas.join(', ') || 'the current database'}.`)
  const { ok, warning, error } = report.counts
  lines.push(
    '',
    `${report.mvs.length} MV${report.mvs.length === 1 ? '' : 's'}: ${ok} ok, ${warning} warning${warning === 1 ? '' : 's'}, ${error} error${error === 1 ? '' : 's'} ` +
      c.dim(`(checked ${report.checkedAt} server time, StarRocks ${report.serverVersion}; refreshes from ${report.sources.refreshes}, base tables from ${report.sources.baseTables})`),
  )
  return lines.join('\n')
}
