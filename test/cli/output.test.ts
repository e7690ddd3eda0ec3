import { describe, expect, it } from 'vitest'
import { escapeControl, Printer } from '../../src/cli/output.js'

const capture = (color: boolean) => {
  let out = ''
  let err = ''
  const io = {
    stdout: { write: (t: string) => (out += t), isTTY: color },
    stderr: { write: (t: string) => (err += t), isTTY: color },
    env: color ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' },
    cwd: '/',
  }
  return { printer: new Printer(io, undefined), out: () => out, err: () => err }
}

describe('printing names with control characters', () => {
  const evil = 'ev\x1b[2K\ril\u202e_mv\x07'

  it('escapes ESC, CR, BEL and bidirectional overrides, keeps newline and tab', () => {
    expect(escapeControl(`${evil}\n\tnext`, false)).toBe('ev\\u001b[2K\\u000dil\\u202e_mv\\u0007\n\tnext')
  })

  it('escapes them in every kind of output, and keeps only the printer\'s own colours', () => {
    const plain = capture(false)
    plain.printer.out(`created ${evil}`)
    plain.printer.err(`error: ${evil}`)
    plain.printer.json({ name: evil })
    expect(plain.out() + plain.err()).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/)
    expect(plain.out()).toContain('created ev\\u001b[2K\\u000dil\\u202e_mv\\u0007')
    expect(JSON.parse(plain.out().slice(plain.out().indexOf('{')))).toEqual({ name: evil })

    const coloured = capture(true)
    coloured.printer.out(`${coloured.printer.c.green('created')} ${evil}`)
    expect(coloured.out()).toMatch(/^\x1b\[32mcreated\x1b\[39m /)
    expect(coloured.out()).toContain('\\u000dil')
    expect(coloured.out()).not.toMatch(/[\r\x07\u202e]/)
  })
})
