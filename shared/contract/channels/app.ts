import { z } from 'zod'

export const AppInfo = z.object({
  name: z.literal('Tablewright'),
  version: z.string(),
  host: z.enum(['desktop', 'browser']),
})

export const appChannels = {
  'app:info': { input: z.object({}).strict(), output: AppInfo },
} as const
