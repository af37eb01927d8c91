import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration and e2e files start real local servers; give their hooks room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file runs in its own process, so handlers configured from the environment stay isolated.
    pool: "forks",
  },
});
