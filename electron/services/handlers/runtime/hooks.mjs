// Module hooks for a stream handler's worker (registered by worker.mjs with node:module's register()).
//
// 1. Lambda's Node.js runtimes ship AWS SDK v3, so a handler deployed alone can `import '@aws-sdk/…'` with no
//    node_modules of its own (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html). Here such an
//    import falls back to the app's copy when the handler's folder cannot resolve it. Only @aws-sdk/* falls
//    back: anything else would work here and then fail on Lambda.
// 2. `.ts` handlers are transpiled (types stripped, no type check) with TypeScript's transpileModule, with an
//    inline source map so stacks name the .ts file's lines. Node 20 has no type stripping of its own.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

/** @type {string} */
let appBase = ''

/** @param {{ appBase: string }} data */
export async function initialize(data) {
  appBase = data.appBase
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string; conditions: string[] }} context
 * @param {(s: string, c?: object) => Promise<{ url: string; format?: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context)
  } catch (err) {
    const code = /** @type {{ code?: string }} */ (err).code
    if (code === 'ERR_MODULE_NOT_FOUND' && specifier.startsWith('@aws-sdk/') && appBase)
      return nextResolve(specifier, { ...context, parentURL: appBase })
    throw err
  }
}

/** @type {any} */
let ts

/**
 * @param {string} url
 * @param {{ format?: string }} context
 * @param {(u: string, c?: object) => Promise<{ format: string; source?: string | ArrayBuffer | Uint8Array; shortCircuit?: boolean }>} nextLoad
 */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !/\.(ts|mts)$/.test(new URL(url).pathname)) return nextLoad(url, context)
  const file = fileURLToPath(url)
  const text = await readFile(file, 'utf8')
  if (!ts) {
    try {
      ts = (await import('typescript')).default
    } catch {
      throw new Error(
        `${file}: a .ts handler needs the "typescript" package next to Tablewright; install it, or use .mjs`,
      )
    }
  }
  const out = ts.transpileModule(text, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      inlineSourceMap: true,
      inlineSources: true,
      verbatimModuleSyntax: false,
    },
  })
  const diag = (out.diagnostics ?? []).find((d) => d.category === ts.DiagnosticCategory.Error && d.file)
  if (diag) {
    const { line, character } = diag.file.getLineAndCharacterOfPosition(diag.start ?? 0)
    const err = new SyntaxError(
      `${file}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(diag.messageText, '\n')}`,
    )
    throw err
  }
  return { format: 'module', source: out.outputText, shortCircuit: true }
}
