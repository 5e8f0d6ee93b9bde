import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './.eslint/layers.js';

const NODE_AND_IO = [
  'node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto',
  'electron', 'serialport', '@serialport/*', 'socket.io', 'socket.io-client', 'better-sqlite3',
  'fastify', '@fastify/*', 'pino', 'nodemailer', 'smpp', 'i18next', 'pg',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'artifacts/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { fronta: layers },
    rules: {
      'fronta/layers': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]", message: 'no focused or skipped tests' },
      ],
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: NODE_AND_IO, message: 'core/ is pure: no I/O, no Node built-ins' }] }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core/ takes time from the Clock port' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ takes time from the Clock port' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'core/ takes randomness from a port' },
        { selector: "MemberExpression[object.name='process']", message: 'core/ reads no environment' },
      ],
    },
  },
  {
    // Tests read JSON answers (`any`) and assert on them; the assertions are the type check there.
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The host-rendered pages' scripts (start page, /demo): plain browser modules.
    files: ['host/static/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: { document: 'readonly', fetch: 'readonly', location: 'readonly', setTimeout: 'readonly', FormData: 'readonly' },
    },
  },
);
