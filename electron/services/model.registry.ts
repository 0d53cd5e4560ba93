import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { ModelSummary } from '../../shared/contract/channels/workbench'
import type { Model } from '../../shared/domain/model'
import { toWorkbenchError, WorkbenchError } from './errors'
import { appRoot } from './handlers/handler-runner'
import { resolveHandlerFiles } from './handlers/handler-files'
import { loadSampleItems, validateModel, type SampleItems } from './model.service'

interface RegisteredModel {
  model: Model
  source: 'builtin' | 'file'
  /** Absolute path of the model file (built-in samples have one too, in the app's seeds/ folder). */
  file?: string
  items: () => Promise<SampleItems>
}

/** A built-in sample that could not be loaded: left out of the list, and reported. */
export interface SampleProblem {
  file: string
  code: string
  message: string
}

/** The app's folder of built-in samples: one folder per sample, each with a model.json. */
export const samplesDir = () => path.join(appRoot(), 'seeds')

/**
 * The models the workbench knows. Built-in samples are discovered at run time, not imported: each folder of the
 * app's seeds/ holding a model.json is one, loaded like a model file (its items, handler modules and generator
 * beside it), so the core names no sample and a new sample needs no code.
 */
export class ModelRegistry {
  private readonly models = new Map<string, RegisteredModel>()
  readonly problems: SampleProblem[] = []

  constructor(dir: string = samplesDir()) {
    let names: string[] = []
    try {
      names = readdirSync(dir).sort()
    } catch {
      // No seeds folder: no built-in samples, only models the user opens.
    }
    for (const name of names) {
      const file = path.join(dir, name, 'model.json')
      try {
        if (!statSync(file).isFile()) continue
      } catch {
        continue
      }
      try {
        const model = resolveHandlerFiles(
          validateModel(JSON.parse(readFileSync(file, 'utf8')), `seeds/${name}/model.json`),
          file,
        )
        let items: Promise<SampleItems> | undefined
        this.models.set(name, {
          model,
          source: 'builtin',
          file,
          items: () => (items ??= loadSampleItems(model, file)),
        })
      } catch (err) {
        // One broken sample must not take the others (or the app) down with it.
        const e = toWorkbenchError(err)
        this.problems.push({ file, code: e.code, message: e.message })
      }
    }
  }

  /** Adds (or replaces, on reload) a model opened from a file. */
  register(id: string, model: Model, items: SampleItems = {}, extra: { file?: string } = {}): void {
    this.models.set(id, { model, source: 'file', items: async () => items, ...extra })
  }

  has(id: string): boolean {
    return this.models.has(id)
  }

  list(): ModelSummary[] {
    return [...this.models.entries()].map(([id, m]) => ({
      id,
      name: m.model.name,
      description: m.model.description,
      source: m.source,
      ...(m.file && m.source === 'file' ? { file: m.file } : {}),
      tables: m.model.tables.map((t) => t.name),
    }))
  }

  entry(id: string): RegisteredModel {
    const entry = this.models.get(id)
    if (!entry)
      throw new WorkbenchError(
        'model.notFound',
        `No model with id "${id}" (open: ${[...this.models.keys()].join(', ')}).`,
        { modelId: id },
      )
    return entry
  }

  get(id: string): Model {
    return this.entry(id).model
  }
}
