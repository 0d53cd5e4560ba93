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

export const modelChannels = {
  /** Opens a model and makes it the workbench's current one; a file is watched and reloads when saved. */
  'models:open': { input: OpenModelRequest, output: OpenModelView },
  /** The current model (at start: the one given with --model, else the first built-in sample). */
  'models:current': { input: z.object({}).strict(), output: OpenModelView },
  /** Model files opened before, newest first (kept in the user data folder). */
  'models:recent': { input: z.object({}).strict(), output: z.array(RecentModel) },
  /** Desktop only: the host's file dialog, then models:open; `null` when the user cancels. */
  'models:openDialog': { input: z.object({}).strict(), output: OpenModelView.nullable() },
} as const
