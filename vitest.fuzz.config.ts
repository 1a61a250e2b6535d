import { defineConfig } from 'vitest/config';

// npm run fuzz: the long mutation run, apart from `npm test`.
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    testTimeout: 60 * 60_000,
    hookTimeout: 60_000,
  },
});
