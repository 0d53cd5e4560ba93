import { z } from 'zod'

/** One validation problem: the field at fault (`accessPatterns[0].entity`) and what is wrong with it. */
export const ModelIssueView = z.object({ path: z.string(), message: z.string() })

/**
 * The model the workbench has open: a built-in sample or a file, which is watched. When a save of the file fails
 * validation, `error` says why (naming the file and the field) and the previous good model stays open.
 */
export const OpenModelView = z.object({
  modelId: z.string(),
  name: z.string(),
  source: z.enum(['builtin', 'file']),
  /** Absolute path of the model file (file models only). */
  file: z.string().optional(),
  /** Counts reloads of the file, so a view can tell a fresh model from the one it shows. */
  revision: z.number().int(),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      file: z.string().optional(),
      issues: z.array(ModelIssueView),
    })
    .optional(),
})
export type OpenModelView = z.infer<typeof OpenModelView>

export const RecentModel = z.object({ file: z.string(), name: z.string(), openedAt: z.string() })
export type RecentModel = z.infer<typeof RecentModel>

/** Which model to open: a built-in sample (or an already-open model) by id, or a model file by path. */
export const OpenModelRequest = z
  .object({
    modelId: z.string().min(1).max(4096).optional(),
    file: z.string().min(1).max(4096).optional(),
  })
  .strict()
  .refine((r) => (r.modelId === undefined) !== (r.file === undefined), {
    message: 'give exactly one of modelId and file',
  })

export type OpenModelRequest = z.input<typeof OpenModelRequest>

/** What the model editor edits: the file's text (or a sample's JSON) and the hash a save checks against. */
export const ModelSourceView = z.object({
  modelId: z.string(),
  file: z.string().optional(),
  text: z.string(),
  sha: z.string(),
  /** False for built-in samples: they are saved with Save As. */
  saveInPlace: z.boolean(),
})
export type ModelSourceView = z.infer<typeof ModelSourceView>

/** Save (over the open file, refused if it changed on disk since `baseSha`) or Save As (`file`). */
export const SaveModelRequest = z
  .object({
    modelId: z.string().min(1).max(4096),
    text: z.string().max(64 * 1024 * 1024),
    file: z.string().min(1).max(4096).optional(),
    baseSha: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    /** Save As over an existing file the user has confirmed. */
    overwrite: z.boolean().optional(),
  })
  .strict()
export type SaveModelRequest = z.input<typeof SaveModelRequest>

export const modelChannels = {
  /** Opens a model and makes it the workbench's current one; a file is watched and reloads when saved. */
  'models:open': { input: OpenModelRequest, output: OpenModelView },
  /** The current model (at start: the one given with --model, else the first built-in sample). */
  'models:current': { input: z.object({}).strict(), output: OpenModelView },
  /** Model files opened before, newest first (kept in the user data folder). */
  'models:recent': { input: z.object({}).strict(), output: z.array(RecentModel) },
  /** Desktop only: the host's file dialog, then models:open; `null` when the user cancels. */
  'models:openDialog': { input: z.object({}).strict(), output: OpenModelView.nullable() },
  /** The open model's text for the editor. */
  'models:source': {
    input: z.object({ modelId: z.string().min(1).max(4096) }).strict(),
    output: ModelSourceView,
  },
  /** Checks editor text as opening would, writes it atomically, and opens the saved file. */
  'models:save': { input: SaveModelRequest, output: OpenModelView },
} as const
