import path from 'node:path'
import type { ModelSummary } from '../../shared/contract/channels/workbench'
import type { Model } from '../../shared/domain/model'
import cruddurItems from '../../seeds/cruddur/items.json'
import cruddurModelJson from '../../seeds/cruddur/model.json'
import { generateCruddurData, type GeneratorOptions } from '../../seeds/generator'
import { WorkbenchError } from './errors'
import { appRoot } from './handlers/handler-runner'
import { resolveHandlerFiles } from './handlers/handler-files'
import { validateModel, type SampleItems } from './model.service'

interface RegisteredModel {
  model: Model
  source: 'builtin' | 'file'
  /** Absolute path of a file model. */
  file?: string
  items: () => SampleItems
  /** Generated sample data of the size the user asks for (models with a generator). */
  generate?: (params: GeneratorOptions) => SampleItems
}

/**
 * The models the workbench knows. Built-in models are bundled as data (not read from disk), so the desktop app, the
 * browser host and the CLI carry them wherever the build goes.
 */
export class ModelRegistry {
  private readonly models = new Map<string, RegisteredModel>()

  constructor() {
    // The model is bundled as data; its handler module is user-style code that runs from the seed's folder on disk.
    const cruddur = resolveHandlerFiles(
      validateModel(cruddurModelJson, 'seeds/cruddur/model.json'),
      path.join(appRoot(), 'seeds/cruddur/model.json'),
    )
    this.models.set('cruddur', {
      model: cruddur,
      source: 'builtin',
      items: () => cruddurItems as SampleItems,
      generate: (params) => ({ 'cruddur-messages': generateCruddurData(params).items }),
    })
  }

  /** Adds (or replaces, on reload) a model opened from a file. */
  register(
    id: string,
    model: Model,
    items: SampleItems = {},
    extra: { file?: string; generate?: (params: GeneratorOptions) => SampleItems } = {},
  ): void {
    this.models.set(id, { model, source: 'file', items: () => items, ...extra })
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
      ...(m.file ? { file: m.file } : {}),
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
