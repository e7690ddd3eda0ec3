/**
 * Every error code the library can throw (read from src/), and the troubleshooting page each one
 * needs: `node docs/error-codes.mjs` lists codes without a page (exit 1 when any is missing);
 * `npm run docs` runs it before typedoc.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const docs = dirname(fileURLToPath(import.meta.url))
const src = join(docs, '../src')

const files = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })

const patterns = [
  // new StarRocksMvError('CODE', ...), new DbError(\n 'CODE', ...), super('CODE', ...)
  /(?:new\s+\w*Error|super)\(\s*'([A-Z][A-Z_]+)'/g,
  // new StarRocksMvError(cond ? 'A' : 'B', ...)
  /new\s+\w*Error\([^;\n]*?\?\s*'([A-Z][A-Z_]+)'\s*:\s*'([A-Z][A-Z_]+)'/g,
  /code: '([A-Z][A-Z_]+)'/g,
  /'([A-Z][A-Z_]+)' as const/g,
]
const unions = ['DbErrorCode', 'ProblemCode']

/** code → the files (relative to the project) that raise it. */
export const errorCodes = () => {
  const codes = new Map()
  const add = (code, file) => {
    if (!codes.has(code)) codes.set(code, new Set())
    codes.get(code).add(relative(join(docs, '..'), file))
  }
  for (const file of files(src)) {
    const text = readFileSync(file, 'utf8')
    for (const re of patterns) for (const m of text.matchAll(re)) for (const c of m.slice(1)) if (c !== undefined) add(c, file)
    for (const u of unions) {
      const m = new RegExp(`export type ${u} =([^;]*?)\\n\\n`, 's').exec(text)
      if (m !== null) for (const c of m[1].matchAll(/'([A-Z][A-Z_]+)'/g)) add(c[1], file)
    }
  }
  return codes
}

// Codes that the patterns above catch but that are not error codes.
const notErrors = new Set(['STARROCKS_URL'])

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const codes = [...errorCodes()].filter(([c]) => !notErrors.has(c)).sort(([a], [b]) => (a < b ? -1 : 1))
  const missing = codes.filter(([c]) => !existsSync(join(docs, 'troubleshooting', `${c}.md`)))
  if (process.argv.includes('--list')) for (const [c, where] of codes) console.log(`${c}\t${[...where].join(', ')}`)
  if (missing.length > 0) {
    console.error(`error codes without a page in docs/troubleshooting/: ${missing.map(([c]) => c).join(', ')}`)
    process.exitCode = 1
  } else if (!process.argv.includes('--list')) {
    console.log(`${codes.length} error codes, each with its page in docs/troubleshooting/`)
  }
}
