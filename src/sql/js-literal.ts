/**
 * Quoting for generated TypeScript (migration files, `srmv pull` modules): user text such as
 * names, comments, property values and query texts becomes a JavaScript literal here, beside the
 * SQL quoting, so that every place user text is quoted into code lives in src/sql/.
 */

/** What {@link jsString} escapes; most strings hold none of it and are quoted as they are. */
const STRING_SPECIAL = /[\\'\n\r\t\u0000-\u001f\u2028\u2029\u007f]/
const STRING_SPECIALS = new RegExp(STRING_SPECIAL.source, 'g')

/** What {@link jsTemplate} escapes. */
const TEMPLATE_SPECIAL = /\\|`|\$\{|\r|[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/
const TEMPLATE_SPECIALS = new RegExp(TEMPLATE_SPECIAL.source, 'g')

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

/** A JavaScript string literal, single-quoted, every special character escaped. */
export const jsString = (value: string): string => {
  if (!STRING_SPECIAL.test(value)) return `'${value}'`
  const escaped = value.replace(STRING_SPECIALS, (c) =>
    c === '\\' ? '\\\\' : c === "'" ? "\\'" : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : unicodeEscape(c),
  )
  return `'${escaped}'`
}

/** A JavaScript template literal holding `value` exactly (no interpolation). Keeps new lines readable. */
export const jsTemplate = (value: string): string => {
  if (!TEMPLATE_SPECIAL.test(value)) return `\`${value}\``
  const escaped = value.replace(TEMPLATE_SPECIALS, (c) =>
    c === '\\' ? '\\\\' : c === '`' ? '\\`' : c === '${' ? '\\${' : c === '\r' ? '\\r' : unicodeEscape(c),
  )
  return `\`${escaped}\``
}
