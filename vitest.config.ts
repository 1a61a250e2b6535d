import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // End-to-end tests start several node processes each, seconds apiece on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
