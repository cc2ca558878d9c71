// Lint: correctness rules only. Layout belongs to Prettier (eslint-config-prettier turns off
// every rule that would fight it); `npm run lint` runs both checks.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import svelte from 'eslint-plugin-svelte'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'bench/results.json', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // A leading underscore marks a parameter or binding kept on purpose (a callback's shape).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_'
        }
      ],
      // Parsers and sanitizers match control characters on purpose (NUL, C0 ranges).
      'no-control-regex': 'off'
    }
  },
  {
    // Drill folders hold learner-facing code: starters keep the parameters the learner will use,
    // and each mutant carries a deliberate bug, often a value it forgets to use.
    files: ['content/drills/**'],
    rules: { '@typescript-eslint/no-unused-vars': 'off', 'preserve-caught-error': 'off' }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } }
  }
)
