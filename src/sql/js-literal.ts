/**
 * Quoting for generated TypeScript (migration files, `srmv pull` modules): user text such as
 * names, comments, property values and query texts becomes a JavaScript literal here, beside the
 * SQL quoting, so that every place user text is quoted into code lives in src/sql/.
 */

/** A JavaScript string literal, single-quoted, every special character escaped. */
export const jsString = (value: string): string =>
  "'" +
  value.replace(/[\\'\n\r\t\u0000-\u001f\u2028\u2029\u007f]/g, (c) =>
    c === '\\' ? '\\\\' : c === "'" ? "\\'" : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  ) +
  "'"

/** A JavaScript template literal holding `value` exactly (no interpolation). Keeps new lines readable. */
export const jsTemplate = (value: string): string =>
  '`' +
  value.replace(/\\|`|\$\{|\r|[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === '\\' ? '\\\\' : c === '`' ? '\\`' : c === '${' ? '\\${' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  ) +
  '`'
