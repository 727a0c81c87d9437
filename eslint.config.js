// One flat config for every workspace; each package runs `eslint <dirs>` from its own folder.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/.next/**", "**/generated/**", "**/next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "max-params": ["error", 4],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through the app's env.ts only." },
      ],
    },
  },
  {
    files: ["**/*.test.ts"],
    rules: { "max-params": "off" },
  },
  {
    // Only these files may read the environment.
    files: ["apps/*/src/env.ts", "**/scripts/**", "test-support/**", "**/examples/**", "**/*.test.ts", "**/test/**", "packages/db/src/cli/**", "packages/e2e/**", "bench/src/**", "packages/loadtest/src/cli.ts", "packages/loadtest/src/tester-main.ts", "apps/console/**"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    files: ["packages/sdk/src/**", "apps/console/src/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@cohort/api", message: "Clients import the router as a type only (import type).", allowTypeImports: true },
            { name: "ioredis", message: "Client code must not import server infrastructure." },
            { name: "@cohort/db", message: "Client code must not import server infrastructure." },
          ],
        },
      ],
    },
  },
);
