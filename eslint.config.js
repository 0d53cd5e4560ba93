import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// Layering (STYLE.md): the renderer talks only through its bridge; services and the engine stay Electron-free;
// the engine could be published alone, so it imports nothing from the app.
const rendererLayer = {
  patterns: [
    {
      group: ['**/electron/**', '../electron/*', '../../electron/*'],
      message: 'The renderer reaches main only through renderer/bridge.',
    },
    {
      group: ['@aws-sdk/*'],
      message: 'The renderer never holds SDK clients or credentials; call a contract channel.',
    },
  ],
  paths: [{ name: 'electron', message: 'The renderer reaches main only through renderer/bridge.' }],
}
// The core knows no sample (STYLE.md 13): built-in samples are found at run time in the app's seeds/ folder.
// Tests may still use a sample as a fixture.
const noSamples = {
  group: ['**/seeds/**', '**/seeds', '**/seeds/*'],
  message:
    "The core knows no sample: built-in samples are discovered at run time from the app's seeds/ folder.",
}
const tests = ['**/*.test.ts', '**/*.test.tsx']
const noElectron = { name: 'electron', message: 'services and engine are plain Node: no Electron imports.' }

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are deliberately unused (handler signatures, destructuring to omit a key).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', rendererLayer],
    },
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: [
                '**/services/**',
                '**/services',
                '**/main/**',
                '**/host/**',
                '**/cli/**',
                '**/renderer/**',
                '**/shared/**',
              ],
              message: 'The engine imports nothing from the rest of the app.',
            },
            {
              group: ['@aws-sdk/*'],
              message: 'The engine speaks DynamoDB JSON itself; the SDK is for clients.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**', '@aws-sdk/*'],
              message: 'shared/ is used by both sides: pure code only.',
            },
          ],
        },
      ],
    },
  },
  // After the blocks above, so for non-test files these replace them with the same rules plus noSamples.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        { ...rendererLayer, patterns: [...rendererLayer.patterns, noSamples] },
      ],
    },
  },
  {
    files: ['electron/services/**/*.ts'],
    ignores: [
      ...tests,
      // Temporary: the recipes work (wt-recipes) is deleting these two Cruddur-specific services.
      'electron/services/message.service.ts',
      'electron/services/simulator.service.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noSamples] }] },
  },
  {
    files: ['electron/cli/**/*.ts', 'electron/host/**/*.ts'],
    ignores: [
      ...tests,
      // Temporary: its send-message command goes with the recipes work (wt-recipes).
      'electron/cli/commands/patterns.commands.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSamples] }] },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: tests,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**', '@aws-sdk/*'],
              message: 'shared/ is used by both sides: pure code only.',
            },
            noSamples,
          ],
        },
      ],
    },
  },
)
