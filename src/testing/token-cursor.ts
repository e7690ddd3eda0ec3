import { isKeyword, significant, tokenize, type Token } from '../reflect/tokenizer.js'
import { EmulatorError, syntaxError } from './emulator-error.js'

/** Tokenize for the emulator: tokenizer failures become StarRocks syntax errors. */
export const lex = (source: string): Token[] => {
  try {
    return significant(tokenize(source))
  } catch (e) {
    throw new EmulatorError(1064, `Getting syntax error. Detail message: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** A cursor over the significant tokens of one statement. */
export class TokenCursor {
  readonly source: string
  readonly tokens: readonly Token[]
  pos = 0

  constructor(source: string, tokens?: readonly Token[]) {
    this.source = source
    this.tokens = tokens ?? lex(source)
  }

  peek(k = 0): Token | undefined {
    return this.tokens[this.pos + k]
  }

  get atEnd(): boolean {
    return this.pos >= this.tokens.length
  }

  next(): Token {
    const t = this.tokens[this.pos]
    if (t === undefined) throw syntaxError(undefined)
    this.pos++
    return t
  }

  /** True when the next tokens are these keywords (case-insensitive). */
  isKw(...words: string[]): boolean {
    return words.every((w, i) => isKeyword(this.peek(i), w))
  }

  acceptKw(...words: string[]): boolean {
    if (!this.isKw(...words)) return false
    this.pos += words.length
    return true
  }

  expectKw(...words: string[]): void {
    for (const w of words) {
      if (!isKeyword(this.peek(), w)) throw syntaxError(this.peek(), w)
      this.pos++
    }
  }

  isPunct(p: string): boolean {
    const t = this.peek()
    return t !== undefined && t.kind === 'punct' && t.value === p
  }

  acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false
    this.pos++
    return true
  }

  expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw syntaxError(this.peek(), `'${p}'`)
  }

  /** An identifier: a bare word or a back-quoted name. */
  ident(what = 'identifier'): string {
    const t = this.peek()
    if (t === undefined || (t.kind !== 'word' && t.kind !== 'quoted')) throw syntaxError(t, what)
    this.pos++
    return t.value
  }

  isIdent(): boolean {
    const t = this.peek()
    return t !== undefined && (t.kind === 'word' || t.kind === 'quoted')
  }

  /** `[db.]name` */
  qualifiedName(): { db?: string; name: string } {
    const first = this.ident('name')
    if (this.acceptPunct('.')) return { db: first, name: this.ident('name') }
    return { name: first }
  }

  /** A quoted string literal's value. */
  string(what = 'string'): string {
    const t = this.peek()
    if (t === undefined || t.kind !== 'string') throw syntaxError(t, what)
    this.pos++
    return t.value
  }

  /** An integer literal. */
  integer(what = 'integer'): number {
    const t = this.peek()
    if (t === undefined || t.kind !== 'number' || !/^\d+$/.test(t.value)) throw syntaxError(t, what)
    this.pos++
    return Number(t.value)
  }

  /** The source text from token index `from` up to (not including) the current token. */
  textFrom(from: number): string {
    const a = this.tokens[from]
    const b = this.tokens[this.pos - 1]
    if (a === undefined || b === undefined || this.pos <= from) return ''
    return this.source.slice(a.start, b.end)
  }

  /** Skip a balanced parenthesised group starting at `(`; returns its inner source text. */
  skipGroup(): string {
    const open = this.peek()
    this.expectPunct('(')
    let depth = 1
    const innerStart = this.pos
    while (depth > 0) {
      const t = this.next()
      if (t.kind === 'punct' && t.value === '(') depth++
      else if (t.kind === 'punct' && t.value === ')') depth--
    }
    const close = this.tokens[this.pos - 1]
    if (open === undefined || close === undefined) return ''
    void innerStart
    return this.source.slice(open.end, close.start)
  }

  /** Fail unless every token was consumed. */
  expectEnd(): void {
    if (!this.atEnd) throw syntaxError(this.peek())
  }
}
