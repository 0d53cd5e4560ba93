/**
 * Every channel and event name as plain strings, with no zod behind them. The sandboxed preload bundles its imports
 * into one file, and needs only the names to refuse unknown channels, so it imports this list rather than the
 * contract (which would pull zod, ~180 kB, into the preload). contract.ts and events.ts check at compile time that
 * these lists equal their keys, and names.test.ts checks it again at run time, so the lists cannot drift.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'connections:list',
  'connections:connect',
  'connections:save',
  'connections:remove',
  'connections:awsProfiles',
  'connections:test',
  'connections:allowWrites',
  'connections:writeAccess',
  'engine:storage',
  'engine:setStorage',
  'tables:list',
  'tables:create',
  'tables:drop',
  'tables:describe',
  'models:list',
  'models:get',
  'models:validate',
  'models:open',
  'models:current',
  'models:recent',
  'models:openDialog',
  'models:source',
  'models:save',
  'models:fromTable',
  'models:diff',
  'models:applyDiff',
  'ops:run',
  'ops:history',
  'ops:save',
  'ops:forget',
  'schema:load',
  'data:seed',
  'params:suggest',
  'data:export',
  'data:importCheck',
  'data:import',
  'items:deleteMany',
  'items:page',
  'items:load',
  'items:view',
  'items:viewRows',
  'items:put',
  'items:delete',
  'patterns:run',
  'recipes:run',
  'stream:replay',
  'recipes:history',
  'recipes:historyGet',
  'check:run',
  'cost:estimate',
] as const

export const EVENT_NAMES = [
  'progress',
  'tables:changed',
  'connections:changed',
  'stream:record',
  'model:changed',
] as const

export type ChannelName = (typeof CHANNEL_NAMES)[number]
export type EventNameLiteral = (typeof EVENT_NAMES)[number]

/** `true` only when A and B are the same set of string literals; used to fail the typecheck on drift. */
export type SameNames<A extends string, B extends string> = [A] extends [B]
  ? [B] extends [A]
    ? true
    : false
  : false

/** The one IPC channel main pushes every event on (`name, payload`); the preload fans it out to subscribers. */
export const EVENT_CHANNEL = 'tablewright:event'
