import { statSync } from 'node:fs'
import path from 'node:path'
import type { Model } from '../../../shared/domain/model'
import { WorkbenchError } from '../errors'

const isFile = (file: string) => {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * The model with each stream handler's and command's `file` resolved against the model file's folder, refusing a model that
 * names a file that is not there ('model.invalid', naming the field and the file), so a bad binding is found at
 * load and not at the first stream record.
 */
export function resolveHandlerFiles(model: Model, modelFile: string): Model {
  const dir = path.dirname(path.resolve(modelFile))
  const issues: { path: string; message: string }[] = []
  const streamHandlers = model.streamHandlers.map((h, i) => {
    const file = path.resolve(dir, h.file)
    if (!isFile(file)) issues.push({ path: `streamHandlers[${i}].file`, message: `no handler file ${file}` })
    return { ...h, file }
  })
  const commands = model.commands.map((c, i) => {
    const file = path.resolve(dir, c.file)
    if (!isFile(file)) issues.push({ path: `commands[${i}].file`, message: `no command file ${file}` })
    return { ...c, file }
  })
  if (issues.length) {
    const first = issues[0]!
    throw new WorkbenchError(
      'model.invalid',
      `${modelFile}: ${issues.map((x) => `${x.path}: ${x.message}`).join('; ')}`,
      {
        source: modelFile,
        issues,
        file: first.message.replace(/^no (handler|command) file /, ''),
      },
    )
  }
  return { ...model, streamHandlers, commands }
}
