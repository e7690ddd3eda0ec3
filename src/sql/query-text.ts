/**
 * A query's text as a statement's `AS` clause takes it: without surrounding white space and without
 * trailing `;` terminators (and the white space between them). Reads only the ends of the text, so
 * it costs the same for a long query as for a short one.
 *
 * @example
 * ```ts
 * queryBody('  SELECT 1 ;\n') // 'SELECT 1'
 * ```
 */
export const queryBody = (query: string): string => {
  const text = query.trim()
  let end = text.length
  for (;;) {
    const c = text.charCodeAt(end - 1)
    if (c === SEMICOLON) end--
    else if (end > 0 && isSpace(text, end - 1)) end--
    else break
  }
  return end === text.length ? text : text.slice(0, end)
}

const SEMICOLON = 59
const SPACE = /\s/

/** Whether the character at `i` is JavaScript white space (what `\s` and `trim()` remove). */
const isSpace = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i)
  if (c === 32 || (c >= 9 && c <= 13)) return true
  return c > 127 && SPACE.test(text.charAt(i))
}
