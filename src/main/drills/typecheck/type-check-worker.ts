// Runs in a worker thread of the host: a TypeScript language service over one virtual file,
// /drill/solution.ts, kept warm between checks so a re-check costs tens of milliseconds.
import { parentPort, workerData } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import type * as TS from 'typescript'

interface Data {
  typescriptPath: string
  typesNodeDir: string
  harnessDts: string
}

export interface CheckRequest {
  id: number
  code: string
}

export interface CheckResponse {
  id: number
  errors: string[]
}

const data = workerData as Data
const ts = createRequire(data.typescriptPath)(data.typescriptPath) as typeof TS
const SOLUTION = '/drill/solution.ts'
const HARNESS = '/drill/retransmit-test.d.ts'
/** Errors reported per check; more than this is noise for a learner. */
const MAX_ERRORS = 10

const options: TS.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  typeRoots: [dirname(data.typesNodeDir)],
  skipLibCheck: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true
}

let code = ''
let version = 0
const virtual = (name: string): string | undefined =>
  name === SOLUTION ? code : name === HARNESS ? data.harnessDts : undefined

const host: TS.LanguageServiceHost = {
  getScriptFileNames: () => [SOLUTION, HARNESS],
  getScriptVersion: (name) => (name === SOLUTION ? String(version) : '0'),
  getScriptSnapshot: (name) => {
    const text = virtual(name) ?? ts.sys.readFile(name)
    return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text)
  },
  getCurrentDirectory: () => '/drill',
  getCompilationSettings: () => options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: (name) => virtual(name) !== undefined || ts.sys.fileExists(name),
  readFile: (name) => virtual(name) ?? ts.sys.readFile(name),
  directoryExists: (name) => name === '/drill' || ts.sys.directoryExists(name),
  getDirectories: (name) => ts.sys.getDirectories(name)
}
const service = ts.createLanguageService(host, ts.createDocumentRegistry())

function check(source: string): string[] {
  code = source
  version += 1
  const diagnostics = [...service.getSyntacticDiagnostics(SOLUTION), ...service.getSemanticDiagnostics(SOLUTION)]
  return diagnostics.slice(0, MAX_ERRORS).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (!d.file || d.start === undefined) return `solution.ts: TS${d.code}: ${text}`
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
    return `solution.ts:${line + 1}:${character + 1}: TS${d.code}: ${text}`
  })
}

parentPort?.on('message', (request: CheckRequest) => {
  let errors: string[]
  try {
    errors = check(request.code)
  } catch (err) {
    // A crash in the checker must not block runs: report nothing rather than a false error.
    errors = []
    void err
  }
  parentPort?.postMessage({ id: request.id, errors } satisfies CheckResponse)
})
