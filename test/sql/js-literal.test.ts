import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { jsString, jsTemplate } from '../../src/sql/js-literal.js'

const evaluate = (literal: string): unknown => new Function(`return ${literal}`)() as unknown

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('a', ' ', '\\', "'", '`', '$', '{', '}', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u2028', '\u2029', 'é', '${'), maxLength: 20 }),
)

describe('JavaScript literals for generated code', () => {
  it('read back as the text they were made from', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(evaluate(jsString(s))).toBe(s)
        expect(evaluate(jsTemplate(s))).toBe(s)
      }),
      { numRuns: 3000 },
    )
  })

  it('keep plain text as it is and escape what must be', () => {
    expect(jsString('1 DAY')).toBe("'1 DAY'")
    expect(jsString("it's\n")).toBe("'it\\'s\\n'")
    expect(jsString('\u2028')).toBe("'\\u2028'")
    expect(jsTemplate('SELECT 1\nFROM t')).toBe('`SELECT 1\nFROM t`')
    expect(jsTemplate('a ${b} `c` \\d')).toBe('`a \\${b} \\`c\\` \\\\d`')
  })
})
