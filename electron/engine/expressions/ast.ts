/** Compiled expression trees: names and values already resolved, validated once per request. */
import type { AttributeValue } from '../types'

/** A document path: attribute/map-key names and list indexes. */
export type PathElement = string | number
export type DocPath = PathElement[]

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>='

export type Operand =
  { kind: 'path'; path: DocPath } | { kind: 'value'; value: AttributeValue } | { kind: 'size'; arg: Operand }

export type Condition =
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'attribute_exists' | 'attribute_not_exists'; path: DocPath }
  | { kind: 'attribute_type'; operand: Operand; type: Operand }
  | { kind: 'begins_with' | 'contains'; left: Operand; right: Operand }

/** The key condition is a condition tree; toKeyCondition checks it against the key schema. */
export type KeyConditionAst = Condition

export type UpdateValue =
  | { kind: 'path'; path: DocPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'if_not_exists'; path: DocPath; fallback: UpdateValue }
  | { kind: 'list_append'; left: UpdateValue; right: UpdateValue }
  | { kind: '+' | '-'; left: UpdateValue; right: UpdateValue }

export interface UpdateProgram {
  set: { path: DocPath; value: UpdateValue }[]
  remove: DocPath[]
  add: { path: DocPath; value: AttributeValue }[]
  delete: { path: DocPath; value: AttributeValue }[]
  /** Every action in the order written: which clause, and its index in that clause's list. */
  order: { clause: 'set' | 'remove' | 'add' | 'delete'; index: number }[]
}

export interface Projection {
  paths: DocPath[]
}

/** DynamoDB prints paths in messages as [a, b, [2]]. */
export function pathToString(path: DocPath): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`
}
