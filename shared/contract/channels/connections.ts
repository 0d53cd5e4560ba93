import { z } from 'zod'

export const ConnectionKind = z.enum(['embedded', 'dynamodb-local', 'aws'])
export type ConnectionKind = z.infer<typeof ConnectionKind>

export const ConnectionStatus = z.enum(['idle', 'starting', 'connected', 'error'])

/** What the renderer may know of a connection: never credentials. */
export const ConnectionView = z.object({
  id: z.string(),
  name: z.string(),
  kind: ConnectionKind,
  endpoint: z.string().optional(),
  region: z.string(),
  profile: z.string().optional(),
  color: z.string().optional(),
  status: ConnectionStatus,
  statusMessage: z.string().optional(),
  /** AWS connections open read-only; writes need the per-connection switch. */
  readOnly: z.boolean(),
  active: z.boolean(),
})
export type ConnectionView = z.infer<typeof ConnectionView>

export const ConnectionId = z.object({ connectionId: z.string().min(1) })

export const connectionChannels = {
  'connections:list': { input: z.object({}).strict(), output: z.array(ConnectionView) },
  'connections:connect': { input: ConnectionId.strict(), output: ConnectionView },
} as const
