// One ESLint 9 flat config for the monorepo: type-checked TypeScript rules everywhere, React hooks rules for the web.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next/**",
      "**/.next-*/**",
      "**/dist/**",
      "**/generated/**",
      "**/.turbo/**",
      "**/next-env.d.ts",
      "**/*.config.{js,mjs,cjs}",
      "**/vitest.config.ts",
      "scripts/**",
      "apps/web/scripts/**",
      "apps/web/public/**",
      ".tools/**",
      "prisma.config.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // two programs for the whole tree (the server packages' root tsconfig and the web's) instead of one per package
      parserOptions: { project: ["./tsconfig.json", "./apps/web/tsconfig.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // process.env is read in one env module per app (see ARCHITECTURE.md)
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration from the app's env module." },
      ],
    },
  },
  {
    files: ["**/env.ts", "**/env-schema.ts", "**/*.test.ts", "**/test/**", "**/e2e/**", "**/bench/**", "**/*.config.ts", "prisma.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    files: ["**/*.test.ts", "**/test/**", "**/e2e/**"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
    },
  },
  {
    files: ["apps/web/**/*.tsx", "apps/web/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
