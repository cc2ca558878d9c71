// Generates content/drills/retransmit-test.d.ts, the typings of the `retransmit:test` module,
// from src/main/drills/sandbox/harness-api.ts: its HarnessApi methods become the module's
// functions, and every type they use that is declared in src/ (followed through re-exports and
// into the types those use) is copied with its doc comments. Run after changing those types:
//   node scripts/harness-dts.ts          (writes the file; test/main/drills/harness-dts.test.ts checks it)
import { writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import ts from 'typescript'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const HARNESS_API = join(ROOT, 'src/main/drills/sandbox/harness-api.ts')
export const HARNESS_DTS = join(ROOT, 'content/drills/retransmit-test.d.ts')

type Declaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration

const docOf = (node: ts.Node): string =>
  ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => doc.getText() + '\n')
    .join('')

const exported = (node: Declaration): string => {
  const text = node.getText().replace(/^export\s+/, '')
  return `${docOf(node)}export ${text}`
}

/** The text of the generated file, formatted as the repository's Prettier settings say. */
export async function generateHarnessDts(): Promise<string> {
  const program = ts.createProgram([HARNESS_API], {
    strict: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2023,
    types: ['node'],
    noEmit: true
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(HARNESS_API)
  if (!source) throw new Error(`cannot read ${HARNESS_API}`)
  const api = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'HarnessApi'
  )
  if (!api) throw new Error('harness-api.ts declares no HarnessApi interface')

  // Types declared in src/, in the order first met, followed through every reference.
  const seen = new Map<string, Declaration>()
  const inSource = (file: ts.SourceFile) => file.fileName.startsWith(join(ROOT, 'src') + '/')
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const at = ts.isTypeReferenceNode(node) ? node.typeName : node.expression
      let symbol = checker.getSymbolAtLocation(at)
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
      const declaration = symbol?.declarations?.find(
        (d): d is Declaration => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d)
      )
      if (declaration && inSource(declaration.getSourceFile()) && declaration !== api) {
        const name = declaration.name.text
        const known = seen.get(name)
        if (known && known !== declaration) throw new Error(`two types named ${name}: rename one`)
        if (!known) {
          seen.set(name, declaration)
          visit(declaration)
        }
      }
    }
    ts.forEachChild(node, visit)
  }
  // The re-exported types first (authors import them by name), then what the methods use.
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause))
      for (const element of statement.exportClause.elements) {
        let symbol = checker.getSymbolAtLocation(element.name)
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol)
        const declaration = symbol?.declarations?.[0]
        const isType = declaration && (ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration))
        if (isType && !seen.has(declaration.name.text)) {
          seen.set(declaration.name.text, declaration)
          visit(declaration)
        }
      }
    else if (ts.isInterfaceDeclaration(statement) && statement !== api && !seen.has(statement.name.text)) {
      seen.set(statement.name.text, statement)
      visit(statement)
    }
  }
  visit(api)

  const nodeImports = source.statements
    .filter((s): s is ts.ImportDeclaration => ts.isImportDeclaration(s))
    .filter((s) => ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text.startsWith('node:'))
    .map((s) => s.getText())
  const functions = api.members.filter(ts.isMethodSignature).map((m) => `${docOf(m)}export function ${m.getText()}`)
  const from = relative(ROOT, HARNESS_API)
  const text = [
    `// Generated from ${from} by scripts/harness-dts.ts: do not edit by hand.`,
    `// Types of the 'retransmit:test' module that drill tests (and solutions) import.`,
    `declare module 'retransmit:test' {`,
    ...nodeImports,
    '',
    ...functions,
    '',
    ...[...seen.values()].map(exported).join('\n\n').split('\n'),
    '}',
    ''
  ].join('\n')
  const options = (await prettier.resolveConfig(HARNESS_DTS)) ?? {}
  return prettier.format(text, { ...options, filepath: HARNESS_DTS })
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(HARNESS_DTS, await generateHarnessDts())
  console.log(`wrote ${relative(ROOT, HARNESS_DTS)}`)
}
