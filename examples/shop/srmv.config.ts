/**
 * The shop example's srmv project: `npm run demo` (or `srmv --cwd examples/shop up --sql`) prints
 * the SQL its migrations would run, with no server. Point STARROCKS_URL at a server (or at
 * `srmv-emulator`) to apply them: `srmv --cwd examples/shop up`.
 */
import { defineConfig } from 'starrocks-mv'

export default defineConfig({
  schema: './schema.ts',
  migrations: './migrations',
  version: '3.5',
  historyProperties: { replication_num: '1' },
})
