import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** ../shared beside the project (CI always has it). Tests that read it skip when it is absent. */
export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared')
export const FIXTURES_DIR = join(SHARED_DIR, 'fixtures')
export const hasShared = existsSync(FIXTURES_DIR)
export const SKIP_SHARED_MESSAGE = `../shared/fixtures not found at ${FIXTURES_DIR}: skipping the tests that read real StarRocks output.`

if (!hasShared) console.warn(SKIP_SHARED_MESSAGE)

/** List fixture files (names only) in a fixtures sub-folder, sorted. */
export const fixtureFiles = (sub: string): string[] =>
  hasShared ? readdirSync(join(FIXTURES_DIR, sub)).filter((f) => f.endsWith('.sql')).sort() : []

/** Read a fixture, without its leading `-- source:` line. */
export const readFixture = (sub: string, file: string): string =>
  readFileSync(join(FIXTURES_DIR, sub, file), 'utf8').replace(/^-- source:[^\n]*\n/, '')
