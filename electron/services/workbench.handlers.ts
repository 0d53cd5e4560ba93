import type { Handlers } from '../../shared/contract/contract'
import type { workbenchChannels } from '../../shared/contract/channels/workbench'
import { codedError } from './coded-error'
import type { Workbench } from './workbench'

type WorkbenchHandlers = Pick<Handlers, keyof typeof workbenchChannels>

const notWired = (channel: string) => async (): Promise<never> => {
  throw codedError('internal', `${channel} is not wired to its service yet.`)
}

/** Handlers for the workbench channels (models, schema, data, patterns, messages, streams). */
export function createWorkbenchHandlers(_wb: Workbench): WorkbenchHandlers {
  return {
    'connections:allowWrites': notWired('connections:allowWrites'),
    'tables:describe': notWired('tables:describe'),
    'models:list': notWired('models:list'),
    'models:get': notWired('models:get'),
    'models:validate': notWired('models:validate'),
    'schema:load': notWired('schema:load'),
    'data:seed': notWired('data:seed'),
    'items:page': notWired('items:page'),
    'items:put': notWired('items:put'),
    'items:delete': notWired('items:delete'),
    'data:export': notWired('data:export'),
    'patterns:run': notWired('patterns:run'),
    'data:participants': notWired('data:participants'),
    'messages:send': notWired('messages:send'),
    'messages:sendRandom': notWired('messages:sendRandom'),
    'stream:replay': notWired('stream:replay'),
  }
}
