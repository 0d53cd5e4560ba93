import { createHash } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type {
  ModelSourceView,
  OpenModelView,
  RecentModel,
  SaveModelRequest,
} from '../../shared/contract/channels/models'
import { parseModel, type Model, type ModelIssue } from '../../shared/domain/model'
import { toWorkbenchError, WorkbenchError } from './errors'
import type { EventBus } from './event-bus'
import { resolveHandlerFiles } from './handlers/handler-files'
import { parseRowsText } from './item-json'
import { importModelText, type ModelFileFormat } from './model-import'
import type { ModelRegistry } from './model.registry'
import { loadSampleItems, type SampleItems } from './model.service'
import type { RecentModelsStore } from './recent-models.store'

/** A model read from a file, with its sample items (checked against its tables). */
export interface ModelSource {
  file: string
  format: ModelFileFormat
  model: Model
  items: SampleItems
}

/**
 * Reads, detects the format of, and validates a model file and its sample items. Anything wrong is refused here,
 * at load: `model.notFound` when the file cannot be read, `model.invalid` naming the file and the field otherwise.
 */
export async function loadModelSource(file: string): Promise<ModelSource> {
  const abs = path.resolve(file)
  let text: string
  try {
    text = await readFile(abs, 'utf8')
  } catch (err) {
    throw new WorkbenchError('model.notFound', `cannot read model file ${abs}: ${(err as Error).message}`, {
      file: abs,
    })
  }
  const imported = importModelText(text, abs)
  const format = imported.format
  // Handler files resolve against the model's folder; a binding to a missing file is refused here, at load.
  const model = resolveHandlerFiles(imported.model, abs)
  const items = await loadSampleItems(model, abs)
  return { file: abs, format, model, items }
}

/** Validates model text (the editor's) and lists every field at fault; never throws for bad input. */
export function validateModelText(text: string): { valid: boolean; issues: ModelIssue[] } {
  let json: unknown
  try {
    // The exact reader: a UTF-8 BOM is accepted and numbers keep every digit.
    json = parseRowsText(text)
  } catch (err) {
    return {
      valid: false,
      issues: [{ path: '(root)', message: `not valid JSON: ${(err as Error).message}` }],
    }
  }
  const parsed = parseModel(json)
  return parsed.ok ? { valid: true, issues: [] } : { valid: false, issues: parsed.issues }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile()
  } catch {
    return false
  }
}

/**
 * What `--model X` names: a built-in sample by its id, else a model file. A name that is neither lists the
 * built-in samples; anything that looks like a path is taken as a file (and fails as one if it cannot be read).
 */
export async function resolveModelRef(
  ref: string,
  registry: ModelRegistry,
): Promise<{ kind: 'builtin'; modelId: string } | { kind: 'file'; file: string }> {
  const builtins = registry.list().filter((m) => m.source === 'builtin')
  if (builtins.some((m) => m.id === ref) && !(await isFile(ref))) return { kind: 'builtin', modelId: ref }
  if (await isFile(ref)) return { kind: 'file', file: path.resolve(ref) }
  if (/[\\/]/.test(ref) || /\.json$/i.test(ref)) return { kind: 'file', file: path.resolve(ref) }
  throw new WorkbenchError(
    'model.notFound',
    `no built-in sample or model file "${ref}" (built-in samples: ${builtins.map((m) => m.id).join(', ')})`,
    { model: ref, builtins: builtins.map((m) => m.id) },
  )
}

/** Lists the built-in sample models. */
export function listSamples(registry: ModelRegistry) {
  return registry.list().filter((m) => m.source === 'builtin')
}

interface WatchedFile {
  file: string
  revision: number
  error?: OpenModelView['error']
  watcher?: FSWatcher
  timer?: NodeJS.Timeout
  /** Reloads run one after another, so an older read never lands after a newer one. */
  reloading: Promise<void>
}

/** Editors save in bursts (truncate + write, or write a temp file and rename it): reload once the burst is over. */
const SETTLE_MS = 120

export const fileModelId = (file: string) => `file:${file}`

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * The workbench's open model. Built-in samples and model files share the registry; a file model is watched,
 * reloads when saved, and a save that fails validation leaves the previous good model in place with an error
 * that names the file and the field. Every change is announced as `model:changed`.
 */
export class OpenModels {
  private currentId: string
  private readonly files = new Map<string, WatchedFile>()

  constructor(
    private readonly registry: ModelRegistry,
    private readonly bus: EventBus,
    private readonly recents: RecentModelsStore,
    /** The host's file dialog (desktop); absent in the browser host, where the user types a path. */
    private readonly pickFile?: () => Promise<string | undefined>,
  ) {
    const first = listSamples(registry)[0]
    if (!first) throw new WorkbenchError('internal', 'no built-in model')
    this.currentId = first.id
  }

  view(modelId: string): OpenModelView {
    const entry = this.registry.entry(modelId)
    const watched = this.files.get(modelId)
    return {
      modelId,
      name: entry.model.name,
      source: entry.source,
      ...(entry.source === 'file' && entry.file ? { file: entry.file } : {}),
      revision: watched?.revision ?? 0,
      ...(watched?.error ? { error: watched.error } : {}),
    }
  }

  current(): OpenModelView {
    return this.view(this.currentId)
  }

  recent(): RecentModel[] {
    return this.recents.list()
  }

  /** Opens a built-in sample (or a model already open) by id, or a model file by path; a bad file is refused. */
  async open(request: { modelId?: string; file?: string }): Promise<OpenModelView> {
    let id: string
    if (request.file !== undefined) {
      const loaded = await loadModelSource(request.file)
      id = fileModelId(loaded.file)
      this.registry.register(id, loaded.model, loaded.items, { file: loaded.file })
      const watched = this.files.get(id)
      if (watched) {
        watched.revision++
        delete watched.error
      } else this.watch(id, loaded.file)
      this.recents.add(loaded.file, loaded.model.name)
    } else {
      id = request.modelId ?? this.currentId
      this.registry.entry(id) // model.notFound, naming what is open
    }
    this.currentId = id
    const view = this.view(id)
    this.bus.emit('model:changed', view)
    return view
  }

  /** A built-in sample name or a model file path, as `--model` takes it. */
  async openRef(ref: string): Promise<OpenModelView> {
    const target = await resolveModelRef(ref, this.registry)
    return target.kind === 'builtin'
      ? this.open({ modelId: target.modelId })
      : this.open({ file: target.file })
  }

  async openDialog(): Promise<OpenModelView | null> {
    if (!this.pickFile)
      throw new WorkbenchError(
        'input.invalid',
        'This host has no file dialog: type the path of the model file instead.',
      )
    const file = await this.pickFile()
    return file ? this.open({ file }) : null
  }

  /**
   * Watches the file's folder rather than the file: editors that save by writing a new file and renaming it over
   * the old one would leave a watch on the old file's inode silent.
   */
  private watch(id: string, file: string): void {
    const entry: WatchedFile = { file, revision: 0, reloading: Promise.resolve() }
    this.files.set(id, entry)
    try {
      entry.watcher = watch(path.dirname(file), (_event, name) => {
        if (name !== null && name.toString() !== path.basename(file)) return
        clearTimeout(entry.timer)
        entry.timer = setTimeout(() => {
          entry.reloading = entry.reloading.then(() => this.reload(id, entry))
        }, SETTLE_MS)
      })
      // A folder that goes away ends the watch; the last good model stays open.
      entry.watcher.on('error', () => entry.watcher?.close())
    } catch {
      // Without a watch the model still works; it just does not follow saves.
    }
  }

  private async reload(id: string, entry: WatchedFile): Promise<void> {
    try {
      const loaded = await loadModelSource(entry.file)
      this.registry.register(id, loaded.model, loaded.items, { file: loaded.file })
      delete entry.error
    } catch (err) {
      const e = toWorkbenchError(err)
      const issues = Array.isArray(e.details?.issues) ? (e.details.issues as ModelIssue[]) : []
      entry.error = {
        code: e.code,
        message: e.message,
        file: entry.file,
        issues: issues.map((i) => ({ path: i.path, message: i.message })),
      }
    }
    entry.revision++
    this.bus.emit('model:changed', this.view(id))
  }

  /**
   * The text the model editor edits: a file model's file exactly as saved, or a built-in sample as JSON whose
   * handler and items files are absolute paths, so a Save As anywhere still finds them. `sha` is what a save
   * checks to refuse overwriting a file changed on disk since.
   */
  async source(modelId: string): Promise<ModelSourceView> {
    const entry = this.registry.entry(modelId)
    if (entry.source === 'file' && entry.file) {
      const text = await readFile(entry.file, 'utf8').catch((err: unknown) => {
        throw new WorkbenchError(
          'model.notFound',
          `cannot read model file ${entry.file}: ${(err as Error).message}`,
          {
            file: entry.file,
          },
        )
      })
      return { modelId, file: entry.file, text, sha: sha256(text), saveInPlace: true }
    }
    const m = entry.model
    // A built-in sample is registered with its file in seeds/<name>/; its items file lies beside it.
    const dir = path.dirname(entry.file!)
    const sampleData = m.sampleData?.itemsFile
      ? { ...m.sampleData, itemsFile: path.resolve(dir, m.sampleData.itemsFile) }
      : m.sampleData
    const text = JSON.stringify({ ...m, ...(sampleData ? { sampleData } : {}) }, null, 2) + '\n'
    return { modelId, text, sha: sha256(text), saveInPlace: false }
  }

  /**
   * Saves editor text as a model file, then opens it. The text is checked first, exactly as opening checks a file
   * (format, fields, handler and items files relative to where it goes), by writing it beside the target and
   * loading that; only a good model replaces the target, by rename, so a failed save never leaves half a file.
   * Saving over the open file refuses when the file changed on disk since the editor read it (`baseSha`).
   */
  async save(request: SaveModelRequest): Promise<OpenModelView> {
    const entry = this.registry.entry(request.modelId)
    const target =
      request.file !== undefined
        ? path.resolve(request.file)
        : entry.source === 'file'
          ? entry.file
          : undefined
    if (!target)
      throw new WorkbenchError(
        'input.invalid',
        'A built-in sample cannot be saved in place: use Save As with a file path.',
      )
    if (!/\.json$/i.test(target))
      throw new WorkbenchError('input.invalid', `A model file is saved as .json: ${target}`, { file: target })
    if (request.baseSha !== undefined) {
      const onDisk = await readFile(target, 'utf8').catch(() => undefined)
      if (onDisk !== undefined && sha256(onDisk) !== request.baseSha)
        throw new WorkbenchError(
          'model.conflict',
          `${target} changed on disk since the editor read it: reload it, or Save As another file.`,
          { file: target },
        )
    } else if (request.file !== undefined && !request.overwrite) {
      const exists = await stat(target).then(
        () => true,
        () => false,
      )
      if (exists)
        throw new WorkbenchError('confirm.required', `${target} exists: confirm to overwrite it.`, {
          file: target,
        })
    }
    const temp = path.join(
      path.dirname(target),
      `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp.json`,
    )
    try {
      await writeFile(temp, request.text, { encoding: 'utf8', flag: 'wx' })
    } catch (err) {
      throw new WorkbenchError(
        'input.invalid',
        `cannot write in ${path.dirname(target)}: ${(err as Error).message}`,
        {
          file: target,
        },
      )
    }
    try {
      await loadModelSource(temp).catch((err: unknown) => {
        const e = toWorkbenchError(err)
        // The check ran on the temporary copy; the user knows the file by the name they gave.
        throw new WorkbenchError(e.code, e.message.split(temp).join(target), { ...e.details, file: target })
      })
      await rename(temp, target)
    } finally {
      await rm(temp, { force: true })
    }
    return this.open({ file: target })
  }

  /** Resolves once pending reloads have finished (tests, and shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.reloading))
  }

  dispose(): void {
    for (const f of this.files.values()) {
      clearTimeout(f.timer)
      f.watcher?.close()
    }
    this.files.clear()
  }
}
