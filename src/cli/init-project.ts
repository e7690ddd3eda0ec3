import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** One file `srmv init` writes besides the templates: what it becomes, and why, for the user. */
export interface InitEdit {
  readonly file: string
  readonly action: 'created' | 'updated'
  readonly content: string
  /** Why, in words (printed after the file name). */
  readonly why: string
}

/** The text of a regular file; undefined for anything else (a FIFO would block the read, a folder cannot be read). */
const textOfFile = (file: string): string | undefined => {
  try {
    return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined
  } catch {
    return undefined
  }
}

/** What `srmv init` does to the project's own files, and what it leaves alone but must say. */
export interface InitPlan {
  readonly edits: readonly InitEdit[]
  readonly warnings: readonly string[]
}

/** The tsconfig.json `srmv init` writes when the project has none: the compiler settings the guardrails are tested with. */
export const INIT_TSCONFIG = `{
  "compilerOptions": {
    "module": "nodenext",
    "target": "es2022",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "skipLibCheck": true,
    "noEmit": true
  }
}
`

const indentOf = (text: string): string | number => /^\{\s*\n([ \t]+)"/.exec(text)?.[1] ?? 2

/** CommonJS sources at the top of the folder: switching the package to ES modules would change what they mean. */
const commonJsSources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(js|ts|tsx|jsx)$/.test(e.name) && !/^srmv\.config\./.test(e.name) && e.name !== 'schema.ts')
    .map((e) => e.name)
    .sort()

/**
 * Decide how `srmv init` makes the project type-check as created: `schema.ts` and `srmv.config.ts`
 * are ES modules, which TypeScript refuses in a CommonJS package under `verbatimModuleSyntax`
 * (the default of `tsc --init`). So a package that is CommonJS (`npm init -y` writes
 * `"type": "commonjs"`) and holds no sources yet becomes `"type": "module"`; a project without a
 * tsconfig.json gets one; `.env` (the server URL, maybe a password) goes into `.gitignore`.
 * Nothing is written here: the caller writes the edits after the templates.
 */
export const planInit = (dir: string): InitPlan => {
  const edits: InitEdit[] = []
  const warnings: string[] = []

  const pkgFile = join(dir, 'package.json')
  const hasPkg = existsSync(pkgFile)
  const pkgText = hasPkg ? textOfFile(pkgFile) : undefined
  if (hasPkg && pkgText === undefined) {
    warnings.push(`${pkgFile} is not a file srmv can read (a folder, a FIFO or no permission), so it was left alone.`)
  }
  if (pkgText !== undefined) {
    const text = pkgText
    let pkg: unknown
    try {
      pkg = JSON.parse(text)
    } catch {
      pkg = undefined
    }
    if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg)) {
      warnings.push(`${pkgFile} is not a JSON object, so it was left alone. schema.ts and srmv.config.ts are ES modules: make the package "type": "module" for TypeScript to check them.`)
    } else {
      const type = (pkg as { type?: unknown }).type
      if (type !== 'module') {
        const sources = commonJsSources(dir)
        const was = type === undefined ? 'no "type", so CommonJS' : `was ${JSON.stringify(type)}`
        if (sources.length > 0) {
          warnings.push(
            `package.json is CommonJS (${was}) and the folder has sources (${sources.join(', ')}), so it was left alone. ` +
              `schema.ts and srmv.config.ts are ES modules, which TypeScript refuses in a CommonJS package under verbatimModuleSyntax: ` +
              `set "type": "module" in package.json, or rename them to schema.mts and srmv.config.mts (and the schema path in the config).`,
          )
        } else {
          const next = { ...(pkg as Record<string, unknown>), type: 'module' }
          edits.push({
            file: 'package.json',
            action: 'updated',
            content: `${JSON.stringify(next, null, indentOf(text))}\n`,
            why: `"type": "module" (${was}): schema.ts and srmv.config.ts are ES modules, which TypeScript refuses in a CommonJS package`,
          })
        }
      }
    }
    if (!existsSync(join(dir, 'tsconfig.json'))) {
      edits.push({ file: 'tsconfig.json', action: 'created', content: INIT_TSCONFIG, why: 'strict, module nodenext: the compile-time checks need a type-checked project' })
    }
  }

  const ignoreFile = join(dir, '.gitignore')
  const ignoreText = existsSync(ignoreFile) ? textOfFile(ignoreFile) : ''
  if (!existsSync(ignoreFile)) {
    edits.push({ file: '.gitignore', action: 'created', content: '.env\n', why: '.env holds the server URL and its password' })
  } else if (ignoreText === undefined) {
    warnings.push(`${ignoreFile} is not a file srmv can read (a folder, a FIFO or no permission), so it was left alone: keep .env out of version control yourself, since it holds the server URL and its password.`)
  } else {
    const text = ignoreText
    const ignored = text.split(/\r?\n/).some((l) => /^\/?\.env\*?$/.test(l.trim()))
    if (!ignored) {
      const sep = text === '' || text.endsWith('\n') ? '' : '\n'
      edits.push({ file: '.gitignore', action: 'updated', content: `${text}${sep}.env\n`, why: '.env added: it holds the server URL and its password' })
    }
  }
  return { edits, warnings }
}
