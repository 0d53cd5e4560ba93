import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { MAX_NESTING, nestedTooDeep } from '../../shared/domain/attribute-json'
import { formatIssuePath, parseModel, type Model, type ModelIssue } from '../../shared/domain/model'
import { WorkbenchError } from './errors'
import { resolveHandlerFiles } from './handlers/handler-files'
import { parseRowsText, rowsText } from './item-json'

export type SampleItems = Record<string, Record<string, unknown>[]>

/** Validates a parsed JSON value as a model; a failure names the field at fault in the message. */
export function validateModel(input: unknown, source = 'model'): Model {
  const r = parseModel(input)
  if (r.ok) return r.model
  throw modelInvalid(source, r.issues)
}

function modelInvalid(source: string, issues: ModelIssue[]): WorkbenchError {
  const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`)
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''
  return new WorkbenchError('model.invalid', `${source}: ${shown.join('; ')}${more}`, { source, issues })
}

/** Parses model text (JSON); bad JSON and bad shapes are both 'model.invalid'. */
export function parseModelText(text: string, source = 'model'): Model {
  let json: unknown
  try {
    json = parseRowsText(text)
  } catch (err) {
    throw new WorkbenchError('model.invalid', `${source}: not valid JSON: ${(err as Error).message}`, {
      source,
    })
  }
  return validateModel(json, source)
}

/** Loads and validates a model file. */
export async function loadModelFile(file: string): Promise<Model> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new WorkbenchError('model.notFound', `cannot read model file ${file}: ${(err as Error).message}`, {
      file,
    })
  }
  return resolveHandlerFiles(parseModelText(text, file), file)
}

export async function saveModelFile(file: string, model: Model): Promise<void> {
  validateModel(model, file)
  // Handler files are kept relative to the model, as a user writes them.
  const dir = path.dirname(path.resolve(file))
  model = {
    ...model,
    streamHandlers: model.streamHandlers.map((h) => ({
      ...h,
      file: path.isAbsolute(h.file) ? path.relative(dir, h.file) : h.file,
    })),
    commands: model.commands.map((c) => ({
      ...c,
      file: path.isAbsolute(c.file) ? path.relative(dir, c.file) : c.file,
    })),
  }
  await writeFile(file, rowsText(model, 2) + '\n', 'utf8')
}

/**
 * The model's sample items per table: inline `sampleData.items` merged with `sampleData.itemsFile` (resolved
 * next to the model file). Each item must carry its table's key attributes.
 */
export async function loadSampleItems(model: Model, modelFile?: string): Promise<SampleItems> {
  const out: SampleItems = {}
  const add = (from: SampleItems, source: string) => {
    for (const [table, items] of Object.entries(from)) {
      const spec = model.tables.find((t) => t.name === table)
      if (!spec)
        throw new WorkbenchError('model.invalid', `${source}: sample items for unknown table "${table}"`, {
          table,
        })
      items.forEach((item, i) => {
        const deep = nestedTooDeep(item)
        if (deep)
          throw new WorkbenchError(
            'model.invalid',
            `${source}: ${table}[${i}].${formatIssuePath(deep)}: nested more than ${MAX_NESTING} levels deep, which DynamoDB refuses`,
            { table, index: i },
          )
        for (const k of spec.keySchema)
          if (item[k.attributeName] === undefined)
            throw new WorkbenchError(
              'model.invalid',
              `${source}: ${table}[${i}].${k.attributeName}: key attribute missing`,
              { table, index: i },
            )
      })
      ;(out[table] ??= []).push(...items)
    }
  }
  if (model.sampleData?.items) add(model.sampleData.items, 'sampleData.items')
  if (model.sampleData?.itemsFile) {
    if (!modelFile)
      throw new WorkbenchError(
        'model.invalid',
        'sampleData.itemsFile needs the model file path to resolve against',
      )
    const file = path.resolve(path.dirname(modelFile), model.sampleData.itemsFile)
    let json: unknown
    try {
      json = parseRowsText(await readFile(file, 'utf8'))
    } catch (err) {
      throw new WorkbenchError(
        'model.invalid',
        `sampleData.itemsFile: cannot read ${file}: ${(err as Error).message}`,
        { file },
      )
    }
    if (!json || typeof json !== 'object' || Array.isArray(json))
      throw new WorkbenchError(
        'model.invalid',
        `sampleData.itemsFile: ${file} must map table names to arrays of items`,
        { file },
      )
    add(json as SampleItems, file)
  }
  return out
}
