import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'functions/lib/**', 'functions/node_modules/**', 'dev-dist/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  // The layering (README, "How it is built"): src/shared is imported by the app, the worker and
  // the function, so it imports nothing of theirs; the store never depends on sync or the UI, and
  // sync never on the UI.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./', message: 'src/shared is shared with the worker and the function: it imports only src/shared.' }] },
      ],
    },
  },
  {
    files: ['src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)(sync|ui)(/|$)', message: 'src/db is below src/sync and src/ui: it must not import them.' }] },
      ],
    },
  },
  {
    files: ['src/sync/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)ui(/|$)', message: 'src/sync is below src/ui: it must not import it.' }] },
      ],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'testing/**/*.{js,mjs}', 'functions/scripts/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
