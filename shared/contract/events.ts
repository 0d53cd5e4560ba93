import { z } from 'zod'
import { OpenModelView } from './channels/models'
import { EVENT_NAMES, type EventNameLiteral, type SameNames } from './names'

/** Push events from the services to the renderer (IPC `event` messages or the browser host's SSE stream). */
export const events = {
  progress: z.object({
    operationId: z.string(),
    label: z.string(),
    done: z.number(),
    total: z.number().optional(),
    finished: z.boolean().default(false),
  }),
  'tables:changed': z.object({ connectionId: z.string() }),
  'connections:changed': z.object({}),
  'stream:record': z.object({
    connectionId: z.string(),
    tableName: z.string(),
    record: z.record(z.string(), z.unknown()),
  }),
  /** The open model changed: another was opened, its file was saved and reloaded, or a save failed validation. */
  'model:changed': OpenModelView,
} as const

export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>
// An event added here but not to names.ts (or the reverse) fails the typecheck.
const eventNamesMatch: SameNames<EventNameLiteral, EventName> = true
void eventNamesMatch

export const eventNames: readonly EventName[] = EVENT_NAMES
