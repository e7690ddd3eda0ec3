import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StarRocksMvError } from '../../src/errors.js'
import { isKeyword, significant, significantTokens, tokenize, type Token } from '../../src/sql/tokenizer.js'

const kinds = (source: string): [string, string][] => tokenize(source).map((t) => [t.kind, t.value])

/** Characters that start or end every kind of token, so random text reaches every branch. */
const pieces = fc.constantFrom(
  ...'aZ_$09.eE+-#/*`\'"\\ \t\n\r;(),=<>!|&:'.split(''),
  '\u00a0', '\u2028', '\ufeff', '\u3000', 'é', '😀', '\ud83d', '--', '/*', '*/', '1e5', 'SELECT', 'from',
)
const text = fc.array(pieces, { maxLength: 50 }).map((a) => a.join(''))

const tryTokenize = (source: string): Token[] | 'error' => {
  try {
    return tokenize(source)
  } catch (e) {
    expect(e).toBeInstanceOf(StarRocksMvError)
    return 'error'
  }
}

describe('tokenize', () => {
  it('tells words, quoted names, strings, numbers, operators, comments and whitespace apart', () => {
    expect(kinds("SELECT `a``b`, 'it''s\\n', \"x\", 1.5e3, 1a -- c\n/* d */ #e\na<=>b")).toEqual([
      ['word', 'SELECT'], ['whitespace', ' '], ['quoted', 'a`b'], ['punct', ','], ['whitespace', ' '],
      ['string', "it's\n"], ['punct', ','], ['whitespace', ' '], ['string', 'x'], ['punct', ','], ['whitespace', ' '],
      ['number', '1.5e3'], ['punct', ','], ['whitespace', ' '], ['word', '1a'], ['whitespace', ' '], ['comment', '-- c'],
      ['whitespace', '\n'], ['comment', '/* d */'], ['whitespace', ' '], ['comment', '#e'], ['whitespace', '\n'],
      ['word', 'a'], ['punct', '<=>'], ['word', 'b'],
    ])
  })

  it('keeps MySQL escapes: backslash sequences, and the backslash before LIKE wildcards', () => {
    expect(tokenize("'a\\tb\\%\\_\\Z\\q'")[0]?.value).toBe('a\tb\\%\\_\x1aq')
  })

  it('reads --x as two minus signs (a comment needs a space after --), and U+0080–U+FFFF inside names as MySQL does', () => {
    expect(kinds('1--2')).toEqual([['number', '1'], ['punct', '-'], ['punct', '-'], ['number', '2']])
    expect(kinds('größe x\u00a0y')).toEqual([['word', 'größe'], ['whitespace', ' '], ['word', 'x\u00a0y']])
    expect(kinds('\u00a0x')).toEqual([['whitespace', '\u00a0'], ['word', 'x']])
  })

  it('gives the line and column where each token starts', () => {
    const toks = tokenize("SELECT\n  'a\nb' AS x\n/* 1\n2 */ y")
    const at = (v: string) => toks.find((t) => t.value === v)
    expect([at('SELECT')?.line, at('SELECT')?.column]).toEqual([1, 1])
    expect([at('a\nb')?.line, at('a\nb')?.column]).toEqual([2, 3])
    expect([at('x')?.line, at('x')?.column]).toEqual([3, 7])
    expect([at('y')?.line, at('y')?.column]).toEqual([5, 6])
  })

  it('refuses unterminated quotes and comments, naming where they start', () => {
    expect(() => tokenize("SELECT\n 'abc")).toThrow('Unterminated single-quoted string starting at line 2, column 2.')
    expect(() => tokenize('SELECT `a')).toThrow('Unterminated back-quoted identifier starting at line 1, column 8.')
    expect(() => tokenize('/* a')).toThrow('Unterminated /* comment starting at line 1, column 1.')
    expect(() => tokenize("'a\\")).toThrow('Unterminated string (a trailing backslash) starting at line 1, column 1.')
  })

  it('covers any text exactly: spans are contiguous, and each text is its slice of the source', () => {
    fc.assert(
      fc.property(text, (source) => {
        const toks = tryTokenize(source)
        if (toks === 'error') return
        expect(toks.map((t) => t.text).join('')).toBe(source)
        let at = 0
        for (const t of toks) {
          expect(t.start).toBe(at)
          expect(t.text).toBe(source.slice(t.start, t.end))
          const before = source.slice(0, t.start).split('\n')
          expect([t.line, t.column]).toEqual([before.length, (before.at(-1) as string).length + 1])
          at = t.end
        }
      }),
      { numRuns: 3000 },
    )
  })
})

describe('significantTokens', () => {
  it('is significant(tokenize(text)), errors included', () => {
    fc.assert(
      fc.property(text, (source) => {
        const all = tryTokenize(source)
        if (all === 'error') {
          expect(() => significantTokens(source)).toThrow(StarRocksMvError)
          return
        }
        expect(significantTokens(source)).toEqual(significant(all))
      }),
      { numRuns: 3000 },
    )
  })
})

describe('isKeyword', () => {
  it('matches unquoted words case-insensitively, and nothing else', () => {
    const [word, , quoted, , str] = tokenize("from `FROM` 'FROM'")
    expect(isKeyword(word, 'FROM')).toBe(true)
    expect(isKeyword(word, 'from')).toBe(true)
    expect(isKeyword(word, 'FROMX')).toBe(false)
    expect(isKeyword(quoted, 'FROM')).toBe(false)
    expect(isKeyword(str, 'FROM')).toBe(false)
    expect(isKeyword(undefined, 'FROM')).toBe(false)
  })
})
