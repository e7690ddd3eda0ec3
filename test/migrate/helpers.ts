import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createModuleLoader, type ModuleLoader } from '../../src/migrate/module-loader.js'

/** A loader whose `starrocks-mv` is this source tree (the public index plus the op layer). */
export const sourceLoader = async (): Promise<ModuleLoader> => {
  const index = await import('../../src/index.js')
  const ops = await import('../../src/ops/index.js')
  const migrate = await import('../../src/migrate/index.js')
  return createModuleLoader({ packageModule: { ...ops, ...migrate, ...index } })
}

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `srmv-${prefix}-`))

export const uniq = (): string => Math.random().toString(36).slice(2, 8)

/** Write a migration whose up runs `up` statements (each with its down) and whose down runs `down`. */
export const writeMigration = (dir: string, name: string, up: readonly [string, string][], down?: readonly string[]): string => {
  const file = join(dir, `${name}.ts`)
  const downs = down ?? [...up].reverse().map(([, d]) => d)
  writeFileSync(
    file,
    `import { defineMigration } from 'starrocks-mv'\n` +
      `export default defineMigration({\n` +
      `  up(op) {\n${up.map(([u, d]) => `    op.execute(${JSON.stringify(u)}, { down: ${JSON.stringify(d)} })\n`).join('')}  },\n` +
      `  down(op) {\n${downs.map((d) => `    op.execute(${JSON.stringify(d)})\n`).join('')}  },\n` +
      `})\n`,
  )
  return file
}
