/**
 * Print the README's "Reliability" section from the figures the reliability tests wrote
 * (`npx vitest run test/reliability`, then `node test/reliability/figures.mjs`). Reads
 * $SRMV_RELIABILITY_DIR or <tmp>/srmv-reliability/*.json; prints nothing it did not read.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = process.env.SRMV_RELIABILITY_DIR ?? join(tmpdir(), 'srmv-reliability')
const names = ['faults-emulator', 'alter-job-faults-emulator', 'faults-mariadb', 'concurrency-emulator', 'concurrency-mariadb', 'bad-input', 'injection', 'secrets']
const missing = names.filter((n) => !existsSync(join(dir, `${n}.json`)))
if (missing.length > 0) {
  console.error(`missing figures in ${dir}: ${missing.join(', ')}. Run \`npx vitest run test/reliability\` first (with MariaDB up).`)
  process.exit(1)
}
const f = Object.fromEntries(names.map((n) => [n, JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8'))]))
const n = (v) => (typeof v === 'number' ? v.toLocaleString('en-US') : '0')
const fe = f['faults-emulator']
const fj = f['alter-job-faults-emulator']
const fm = f['faults-mariadb']
const ce = f['concurrency-emulator']
const cm = f['concurrency-mariadb']
const bad = f['bad-input']
const inj = f.injection
const sec = f.secrets
const at = Object.values(f).map((x) => x.at).sort().at(-1)
const runs = (c) => `${n(c['rounds of 2'])} rounds of 2, ${n(c['rounds of 4'])} of 4, ${n(c['rounds of 8'])} of 8`
const raced = (c) => (c['processes raced (2 at a time)'] ?? 0) + (c['processes raced (4 at a time)'] ?? 0) + (c['processes raced (8 at a time)'] ?? 0)

const passed = (x) => `**${n(x['cases passed'] ?? 0)} of ${n(x.cases)} tests passed.**`
const allPassed = Object.values(f).reduce((a, x) => a + (x['cases passed'] ?? 0), 0)
const allCases = Object.values(f).reduce((a, x) => a + (x.cases ?? 0), 0)
const lines = []
lines.push('## Reliability')
lines.push('')
lines.push(
  `What goes wrong during a migration is tested in \`test/reliability/\`, part of \`npm test\`. The figures below were counted by the tests themselves in the run of ${at.slice(0, 10)} (\`node test/reliability/figures.mjs\` prints this section after \`npx vitest run test/reliability\`): ${n(allPassed)} of ${n(allCases)} tests passed.`,
)
lines.push('')
lines.push('| area | what was exercised | result |')
lines.push('|---|---|---|')
lines.push(
  `| Faults, StarRocks emulator | ${n(fe['fault points (kind × boundary)'])} fault points: 4 kinds (statement rejected, connection cut, reply delayed past the client timeout, process SIGKILLed) × 7 boundaries of a ${n(fe['statements per migration'])}-statement migration (before each statement, after it but before its history row, before \`succeeded\`); ${n(fe['fault runs'])} runs, each continued with \`--resume\` or \`down\` | ${passed(fe)} History records exactly what ran; \`status\` names the migration, the statement and whether its outcome is known; the next run refuses (${n(fe['refusals checked'])} checks), unless nothing had run: a migration rejected at its first statement is retried by a plain \`up\` (${n(fe['retried by a plain up'])} run${fe['retried by a plain up'] === 1 ? '' : 's'}); ${n(fe['resumes without repeating a statement that ran'])} resumes repeated no statement that ran (emulator statement log); ${n(fe['downs that undo only what ran'])} downs undid only what ran; ${n(fe['recovered without help'])} lost history replies were read back and the run went on; ${n(fe['stale locks broken with unlock --force'])} stale locks broken only by \`unlock --force\` |`,
)
lines.push(
  `| Faults during schema-change jobs, emulator | ${n(fj['fault points (kind × statement)'])} fault points: a 3-statement migration of ALTER TABLE jobs (ADD COLUMN, ADD INDEX, ADD COLUMN); at statement 1 or 2 the job is cancelled, the connection is cut while the runner waits for the job, or the process is SIGKILLed while the job runs; ${n(fj['fault runs'])} runs | ${passed(fj)} No history row for the statement whose job failed or whose outcome is unknown; a cancelled job is recorded as failed and sent again by the rerun; a cut or killed wait is unknown until \`srmv resolve --ran\`, then \`--resume\` sends only the statements after it, waiting first for the job the killed run left running |`,
)
lines.push(
  `| Faults, MariaDB | ${n(fm['fault points (kind × boundary)'])} fault points: statement rejected (3), the runner's session \`KILL\`ed while a statement, its history row or \`succeeded\` was being written (7), SIGKILL at every boundary (7); ${n(fm['fault runs'])} runs | ${passed(fm)} The same checks: ${n(fm['resumes without repeating a statement that ran'])} resumes and ${n(fm['downs that undo only what ran'])} downs exact, ${n(fm['stale locks broken with unlock --force'])} stale locks |`,
)
lines.push(
  `| Concurrency, emulator | ${n(raced(ce))} \`srmv up\` processes raced behind a barrier (${runs(ce)}), half with \`--wait-lock\` | ${passed(ce)} Every migration applied exactly once in every round (marker table and statement log); ${n(ce['waited for the lock'])} waited, ${n(ce['stopped naming the holder'])} stopped with "locked by <owner> since <time>"; no deadlock; ${n(ce['statements checked for server locks and transactions'])} statements sent, none with GET_LOCK, FOR UPDATE, LOCK TABLES or a transaction |`,
)
lines.push(
  `| Concurrency, MariaDB | ${n(raced(cm))} processes (${runs(cm)}) | ${passed(cm)} Every migration applied exactly once in every round (marker table counts); ${n(cm['waited for the lock'])} waited, ${n(cm['stopped naming the holder'])} stopped naming the holder; a killed runner's lock reported stale, outliving \`--wait-lock\`, broken only by \`unlock --force\` |`,
)
const kinds = Object.entries(bad['bad inputs by kind'] ?? {})
  .map(([k, v]) => `${k} ${v}`)
  .join(', ')
lines.push(
  `| Bad input | ${n(bad['bad inputs tried'])} cases (${kinds}) | ${passed(bad)} Each message names the input and the way out, with the documented exit code; nothing half-written (project files unchanged, no history row for a statement that did not run); ${n(bad['awkward inputs that work end to end'])} awkward inputs work end to end (names with backticks, quotes, spaces and non-ASCII letters; a 1 MB query) |`,
)
lines.push(
  `| Injection | ${n(inj['MVs created and read back'] + inj['ALTERs sent and read back'])} generated cases (fast-check, ${n(inj['runs per property'])} per property): names, databases, comments, column comments, property keys and values, START, tagged literals in queries and PARTITION BY, SET values, rename targets, drawn from quotes, backticks, backslashes, semicolons, comment markers, newlines and non-ASCII | ${passed(inj)} ${n(inj['statements sent'])} statements, each accepted by the emulator as exactly one statement; every value read back unchanged |`,
)
lines.push(
  `| Secrets | a password in the URL (environment, \`.env\`, config), right and wrong, in ${n(sec.runs)} MariaDB runs and an emulator workflow, and ${n(sec['URLs that do not parse'])} URLs that do not parse (an unencoded \`/\` or \`?\` in the password, no scheme, a \`.env\` value cut at an unquoted \`#\`) in ${n(sec['runs with a URL that does not parse'])} runs, each refused with how to percent-encode | ${passed(sec)} The password is absent from ${n(sec['run outputs (stdout + stderr) grepped'])} outputs (stdout, stderr, \`--json\`), ${n(sec['files grepped'])} files written (migrations, snapshots), ${n(sec['history tables grepped'])} history tables and the emulator's statement log |`,
)
lines.push('')
lines.push(
  'Outcomes the matrix pinned down: a rejected statement is recorded as failed and resent by `--resume` (by a plain `srmv up` when it was the first, so that nothing had run); a statement whose outcome is unknown (lost connection, timeout, killed process, lost history row) stops `--resume` and `down` until `srmv resolve <id> --ran` or `--not-run` settles it after a look at the server; a run killed after its last statement is finished by `--resume` without sending anything.',
)
lines.push('')
lines.push(
  'How the faults are placed: a rejection hits the statement itself, its history row or the `succeeded` row; a cut connection hits the statement before it runs (`before`) or after it ran (`after`), or the `succeeded` row before it is written; a delay holds back a reply past the client timeout — of the history row just before the statement (`before`), of the statement (`after`), of the `succeeded` row. A SIGKILL comes from the test hook `SRMV_TEST_KILL_AT`, inert unless set. On MariaDB a statement waits behind `LOCK TABLES` on its source, and a history row behind a sleeping trigger, while the test `KILL`s the session.',
)
if (process.env.SRMV_RELIABILITY_DURATION !== undefined) lines.push('', `The whole folder ran in ${process.env.SRMV_RELIABILITY_DURATION}.`)
console.log(lines.join('\n'))
