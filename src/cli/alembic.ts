import { StarRocksMvError } from '../errors.js'

/** Global options of `srmv` that take a value (so the value is not mistaken for the command). */
const GLOBAL_WITH_VALUE = new Set(['-C', '--cwd', '-c', '--config'])

const UP = new Set(['up', 'upgrade'])
const DOWN = new Set(['down', 'downgrade'])

/** The command word of an argument list: the first argument that is not a global option or its value. */
const commandIndex = (argv: readonly string[]): number => {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '--') return -1
    if (GLOBAL_WITH_VALUE.has(a)) {
      i++
      continue
    }
    if (a.startsWith('-')) continue
    return i
  }
  return -1
}

/**
 * Alembic's relative targets, as Alembic users type them: `srmv downgrade -1` reverts one migration
 * (`down --steps 1`); `srmv upgrade +2` applies the next two (the target stays `+2`, resolved
 * against the pending migrations by the command). A negative count would otherwise read as an
 * unknown option, so it is rewritten before parsing; `up -1` and `down +1` are usage errors that
 * say which command goes which way.
 */
export const rewriteRelativeTargets = (argv: readonly string[]): string[] => {
  const at = commandIndex(argv)
  if (at < 0) return [...argv]
  const command = argv[at] as string
  const out = [...argv]
  for (let i = at + 1; i < out.length; i++) {
    const a = out[i] as string
    if (a === '--') break
    const m = /^([+-])(\d+)$/.exec(a)
    if (m === null) continue
    // the value of an option that takes one (`--steps 2`, `--wait-lock 5`) is left alone
    const prev = out[i - 1] ?? ''
    if (/^--(steps|wait-lock|refresh-timeout|from|server)$|^-n$/.test(prev)) continue
    const [, sign, count] = m
    if (DOWN.has(command)) {
      if (sign === '+') throw new StarRocksMvError('USAGE', `${command} ${a}: a relative target of ${command} counts back: use ${command} -${count} (or up +${count} to apply).`)
      out.splice(i, 1, '--steps', count as string)
      i++
    } else if (UP.has(command) && sign === '-') {
      throw new StarRocksMvError('USAGE', `${command} ${a}: a relative target of ${command} counts forward: use ${command} +${count} (or down -${count} to revert).`)
    }
  }
  return out
}

/** `+N` (Alembic's "the next N"): the count, or `undefined` when `target` is not relative. */
export const relativeTarget = (target: string | undefined): number | undefined => {
  if (target === undefined) return undefined
  const m = /^\+(\d+)$/.exec(target.trim())
  if (m === null) return undefined
  const n = Number(m[1])
  if (!Number.isInteger(n) || n < 1) throw new StarRocksMvError('USAGE', `"${target}": a relative target counts one migration or more, e.g. +1.`)
  return n
}
