/**
 * DynamoDB's expression language: parse and check every expression of a request once, then evaluate the compiled
 * trees per item. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */
import type { AttributeValue } from '../types'
import { DynamoError, validation } from '../types'
import { validateAttributeValue } from '../values'
import { analyzeCondition, analyzeProjection, analyzeUpdate } from './analyze'
import type { PlaceholderContext } from './analyze'
import type { Condition, KeyConditionAst, Projection, UpdateProgram } from './ast'
import { parseConditionSyntax, parseProjectionSyntax, parseUpdateSyntax } from './syntax'

export type {
  Condition,
  KeyConditionAst,
  Projection,
  UpdateProgram,
  UpdateValue,
  Operand,
  DocPath,
} from './ast'
export { pathToString } from './ast'
export { evaluateCondition, getPath } from './evaluate'
export { applyUpdate, updatedAttributeNames, UPDATE_MESSAGES } from './update'
export { applyProjection, projectionTopLevelNames } from './projection'
export {
  toKeyCondition,
  sortKeyMatches,
  checkFilterAvoidsKeys,
  conditionAttributeNames,
  keyConditionTerms,
} from './key-condition'
export type { KeyCondition, KeySchemaNames, SortKeyOp } from './key-condition'
export { isReservedWord, RESERVED_WORDS } from './reserved-words'

/** Operations whose expression parameters differ; used for DynamoDB's "can only be specified" messages. */
export type ExpressionOperation =
  'PutItem' | 'UpdateItem' | 'DeleteItem' | 'GetItem' | 'Query' | 'Scan' | 'ConditionCheck'

export interface ExpressionRequest {
  ConditionExpression?: string
  FilterExpression?: string
  UpdateExpression?: string
  ProjectionExpression?: string
  KeyConditionExpression?: string
  ExpressionAttributeNames?: Record<string, string>
  ExpressionAttributeValues?: Record<string, AttributeValue>
  /** The operation the request belongs to; only shapes the text of "can only be specified" errors. */
  operation?: ExpressionOperation
  /** Expressions translated from legacy parameters (../legacy-params.ts), which have no size limit in DynamoDB. */
  unlimitedSize?: boolean
}

export interface CompiledExpressions {
  condition?: Condition
  filter?: Condition
  update?: UpdateProgram
  projection?: Projection
  keyCondition?: KeyConditionAst
}

/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-parameters */
export const MAX_EXPRESSION_LENGTH = 4096

/** The expressions that take values, per operation, in the order DynamoDB lists them. */
const VALUE_EXPRESSIONS: Record<ExpressionOperation, (keyof ExpressionRequest)[]> = {
  PutItem: ['ConditionExpression'],
  DeleteItem: ['ConditionExpression'],
  ConditionCheck: ['ConditionExpression'],
  UpdateItem: ['UpdateExpression', 'ConditionExpression'],
  GetItem: [],
  Query: ['FilterExpression', 'KeyConditionExpression'],
  Scan: ['FilterExpression'],
}

const PLACEHOLDER_KEY = /^[#:][0-9a-zA-Z_]+$/

function checkLength(name: string, text: string, unlimited = false): void {
  if (text === '') throw validation(`Invalid ${name}: The expression can not be empty;`)
  if (text.length > MAX_EXPRESSION_LENGTH && !unlimited) {
    // Condition-like expressions state the size; update and projection expressions do not (DynamoDB Local).
    const conditionLike = name !== 'UpdateExpression' && name !== 'ProjectionExpression'
    throw validation(
      `Invalid ${name}: Expression size has exceeded the maximum allowed size;${conditionLike ? ` expression size: ${text.length}` : ''}`,
    )
  }
}

function buildContext(req: ExpressionRequest): PlaceholderContext {
  const names = req.ExpressionAttributeNames
  const values = req.ExpressionAttributeValues
  const ctx: PlaceholderContext = { names: {}, values: {}, unusedNames: new Set(), unusedValues: new Set() }
  if (names != null) {
    const keys = Object.keys(names)
    if (!keys.length) throw validation('ExpressionAttributeNames must not be empty')
    for (const k of keys) {
      if (!PLACEHOLDER_KEY.test(k) || k[0] !== '#') {
        throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${k}"`)
      }
      const v = names[k]
      if (v === '')
        throw validation(`ExpressionAttributeNames contains invalid value: Empty attribute name for key ${k}`)
      if (typeof v === 'string') {
        ctx.names[k] = v
        ctx.unusedNames.add(k)
      }
    }
  }
  if (values != null) {
    const keys = Object.keys(values)
    if (!keys.length) throw validation('ExpressionAttributeValues must not be empty')
    for (const k of keys) {
      if (!PLACEHOLDER_KEY.test(k) || k[0] !== ':') {
        throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${k}"`)
      }
    }
    for (const k of keys) {
      try {
        ctx.values[k] = validateAttributeValue(values[k], k)
      } catch (e) {
        if (e instanceof DynamoError && e.type === 'ValidationException') {
          throw validation(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${k}`)
        }
        throw e
      }
      ctx.unusedValues.add(k)
    }
  }
  return ctx
}

const CONDITION_FIELDS = [
  ['ConditionExpression', 'condition'],
  ['KeyConditionExpression', 'keyCondition'],
  ['FilterExpression', 'filter'],
] as const

/**
 * Parses and checks every expression of a request, as DynamoDB does before touching any item: parameter misuse,
 * then Update, Condition, KeyCondition, Filter and Projection in that order, then unused placeholders.
 */
export function compileExpressions(req: ExpressionRequest): CompiledExpressions {
  const present = (
    [
      'UpdateExpression',
      'ConditionExpression',
      'KeyConditionExpression',
      'FilterExpression',
      'ProjectionExpression',
    ] as const
  ).filter((k) => req[k] != null)
  if (req.ExpressionAttributeNames != null && present.length === 0) {
    throw validation('ExpressionAttributeNames can only be specified when using expressions')
  }
  const valueExprs = req.operation
    ? VALUE_EXPRESSIONS[req.operation]
    : (['UpdateExpression', 'ConditionExpression', 'KeyConditionExpression', 'FilterExpression'] as const)
  if (
    req.ExpressionAttributeValues != null &&
    valueExprs.length > 0 &&
    valueExprs.every((k) => req[k] == null)
  ) {
    throw validation(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExprs.join(' and ')} ${valueExprs.length > 1 ? 'are' : 'is'} null`,
    )
  }

  const ctx = buildContext(req)
  const out: CompiledExpressions = {}
  if (req.UpdateExpression != null) {
    checkLength('UpdateExpression', req.UpdateExpression, req.unlimitedSize)
    out.update = analyzeUpdate(parseUpdateSyntax(req.UpdateExpression), ctx)
  }
  // The three condition-grammar expressions, checked in this order (it decides which error a request reports).
  for (const [field, key] of CONDITION_FIELDS) {
    const text = req[field]
    if (text == null) continue
    checkLength(field, text, req.unlimitedSize)
    out[key] = analyzeCondition(parseConditionSyntax(text, field, req.unlimitedSize), ctx, field)
  }
  if (req.ProjectionExpression != null) {
    checkLength('ProjectionExpression', req.ProjectionExpression, req.unlimitedSize)
    out.projection = analyzeProjection(parseProjectionSyntax(req.ProjectionExpression), ctx)
  }
  if (ctx.unusedNames.size) {
    throw validation(
      `Value provided in ExpressionAttributeNames unused in expressions: keys: {${[...ctx.unusedNames].join(', ')}}`,
    )
  }
  if (ctx.unusedValues.size) {
    throw validation(
      `Value provided in ExpressionAttributeValues unused in expressions: keys: {${[...ctx.unusedValues].join(', ')}}`,
    )
  }
  return out
}
