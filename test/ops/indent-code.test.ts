import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { indentCode, opToCode, renderOpsAsCode } from '../../src/ops/to-code.js'
import { opArb } from './arbitraries.js'

/** The rule, one character at a time: indent every non-empty line that does not continue a template literal. */
const reference = (code: string, indent: string): string => {
  if (indent === '') return code
  let state: 'code' | 'string' | 'template' = 'code'
  let out = ''
  let lineStart = true
  for (let i = 0; i < code.length; i++) {
    const c = code[i] as string
    if (lineStart) {
      lineStart = false
      if (state !== 'template' && c !== '\n') out += indent
    }
    out += c
    if (c === '\n') lineStart = true
    else if (state === 'code') {
      if (c === "'") state = 'string'
      else if (c === '`') state = 'template'
    } else if (c === '\\') {
      if (code[i + 1] !== '\n' && i + 1 < code.length) out += code[++i] as string
    } else if ((state === 'string' && c === "'") || (state === 'template' && c === '`')) state = 'code'
  }
  return out
}

describe('indentCode', () => {
  it('indents code lines and leaves the lines of a template literal as they are', () => {
    expect(indentCode("op.x(\n  mv('a')\n    .as(`SELECT 1\nFROM t`),\n)", '  ')).toBe("  op.x(\n    mv('a')\n      .as(`SELECT 1\nFROM t`),\n  )")
    expect(indentCode('a\n\nb\n', '  ')).toBe('  a\n\n  b\n')
    expect(indentCode('`x\\`\ny`\nz', '  ')).toBe('  `x\\`\ny`\n  z')
    expect(indentCode("'a\\'\nb'", '  ')).toBe("  'a\\'\n  b'")
  })

  it('agrees with the character-by-character rule on any text', () => {
    const piece = fc.constantFrom('\n', "'", '`', '\\', '\\\n', '\\`', "\\'", 'a', ' ', '${', 'op(', ')', '\n\n')
    const text = fc.oneof(fc.string(), fc.array(piece, { maxLength: 30 }).map((p) => p.join('')))
    fc.assert(fc.property(text, fc.constantFrom('', '  ', '    ', '\t'), (code, indent) => indentCode(code, indent) === reference(code, indent)), { numRuns: 2000 })
  })

  it('renderOpsAsCode writes each op as indentCode would indent its code (MVs created or dropped by definition are written at their indent directly)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 4 }), fc.constantFrom('', '  ', '    ', '\t'), (ops, indent) => {
        const expected = indentCode(ops.map(opToCode).join('\n'), indent) + (ops.length === 0 ? '' : '\n')
        return renderOpsAsCode(ops, { indent }) === expected
      }),
      { numRuns: 500 },
    )
  })
})
