import { defineConfig } from 'vitest/config'

/** The opt-in suite against a real StarRocks: `STARROCKS_URL=starrocks://root@127.0.0.1:9030/ npm run test:starrocks`. */
export default defineConfig({
  test: {
    include: ['test-starrocks/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
