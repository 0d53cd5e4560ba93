/**
 * Semantic checks of parsed expressions: placeholders, reserved words, function names and arity, operand types,
 * overlapping paths. DynamoDB reports one error per expression, chosen by category in a fixed order rather than by
 * position, so each check records the first error of its category and the caller picks by priority.
 */
import Decimal from 'decimal.js'
import type { AttributeValue } from '../types'
import { validation } from '../types'
import { compareAttributeValues, typeOf } from '../values'
import type { AttributeType } from '../values'
import { pathToString } from './ast'
import type { Condition, DocPath, Operand, Projection, UpdateProgram, UpdateValue } from './ast'
import { isReservedWord } from './reserved-words'
import type { RawCondition, RawOperand, RawPathPart, RawUpdate } from './syntax'

/** Placeholders of one request, shared by all its expressions so unused ones can be reported at the end. */
export interface PlaceholderContext {
  names: Record<string, string>
  values: Record<string, AttributeValue>
  unusedNames: Set<string>
  unusedValues: Set<string>
}

class ErrorSet {
  private readonly errors = new Map<string, string>()
  /** Records the first error of a category, or with `last` the latest one (DynamoDB's choice differs by category). */
  add(category: string, message: string, last = false): void {
    if (last || !this.errors.has(category)) this.errors.set(category, message)
  }
  has(category: string): boolean {
    return this.errors.has(category)
  }
  throwFirst(exprName: string, order: readonly string[]): void {
    for (const category of order) {
      const message = this.errors.get(category)
      if (message !== undefined) throw validation(`Invalid ${exprName}: ${message}`)
    }
  }
}

// Undefined placeholders, arity, repeated operands and operand types share one category: the first in the text wins
// (DynamoDB Local: "a = a AND a < :t" reports the repeated operand, "a < :t AND a = a" the type).
const CONDITION_ERROR_ORDER = [
  'parens',
  'unknownFunction',
  'misusedFunction',
  'reserved',
  'condition',
] as const
// Operand-type errors share one category where the last in the text wins ("ADD a :s DELETE b :n" reports DELETE).
const UPDATE_ERROR_ORDER = [
  'reserved',
  'unknownFunction',
  'section',
  'attrName',
  'attrVal',
  'pathOverlap',
  'pathConflict',
  'typing',
] as const
const PROJECTION_ERROR_ORDER = ['reserved', 'attrNameVal', 'pathOverlap', 'pathConflict'] as const

/** Function names may be used as bare attribute names even where they are reserved words. */
const FUNCTION_NAMES: ReadonlySet<string> = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
  'if_not_exists',
  'list_append',
])

/** https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-parameters */
const MAX_IN_OPERANDS = 100

const CONDITION_FUNCTIONS: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
}
const UPDATE_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 }

const VALID_TYPE_NAMES: ReadonlySet<string> = new Set([
  'S',
  'N',
  'B',
  'NULL',
  'SS',
  'BOOL',
  'L',
  'BS',
  'NS',
  'M',
])
// DynamoDB Local's listing; dynalite records {B,NULL,SS,BOOL,L,BS,N,NS,S,M} for real DynamoDB at one time.
const VALID_TYPES_TEXT = '{N,BS,L,B,NULL,M,S,SS,NS,BOOL}'

const LONG_TYPE_NAMES: Partial<Record<AttributeType, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  NULL: 'NULL',
  BOOL: 'BOOLEAN',
  L: 'LIST',
  M: 'MAP',
}

function samePath(a: DocPath, b: DocPath): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i])
}

/**
 * Path bookkeeping shared by update and projection: the first overlap or conflict is an error. Paths are kept in a
 * trie keyed by their elements, so each new path costs its own length rather than a pass over every earlier path
 * (an AttributeUpdates of 100k entries becomes 100k SET actions).
 */
interface PathEntry {
  path: DocPath
  order: number
}

interface PathNode {
  /** The first path that ends here. */
  end?: PathEntry
  /** The first path that passes through (or ends at) this node. */
  through?: PathEntry
  /** The first path that continues from here with a map key, and with a list index. */
  byKey?: PathEntry
  byIndex?: PathEntry
  children: Map<string | number, PathNode>
}

export class PathSet {
  private readonly root: PathNode = { children: new Map() }
  private count = 0

  /**
   * Adds a path, recording an overlap (a path that is a prefix of another, or equal) or a conflict (a map key
   * where another path has a list index). Each names the earliest path it clashes with, as a scan of the earlier
   * paths in order would; a path that overlaps is not added.
   */
  add(path: DocPath, errors: ErrorSet): void {
    if (errors.has('pathOverlap')) return
    let overlap: PathEntry | undefined
    let conflict: PathEntry | undefined
    const earlier = (a: PathEntry | undefined, b: PathEntry | undefined) =>
      !a || (b && b.order < a.order) ? b : a
    let node: PathNode | undefined = this.root
    for (let i = 0; i < path.length && node; i++) {
      overlap = earlier(overlap, node.end)
      const element = path[i] as string | number
      conflict = earlier(conflict, typeof element === 'number' ? node.byKey : node.byIndex)
      node = node.children.get(element)
    }
    if (node) overlap = earlier(earlier(overlap, node.end), node.through)
    if (conflict && (!overlap || conflict.order < overlap.order)) {
      errors.add(
        'pathConflict',
        `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathToString(conflict.path)}, path two: ${pathToString(path)}`,
      )
    }
    if (overlap) {
      errors.add(
        'pathOverlap',
        `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathToString(overlap.path)}, path two: ${pathToString(path)}`,
      )
      return
    }
    const entry: PathEntry = { path, order: this.count++ }
    let at = this.root
    for (const element of path) {
      if (typeof element === 'number') at.byIndex ??= entry
      else at.byKey ??= entry
      let child = at.children.get(element)
      if (!child) {
        child = { children: new Map() }
        at.children.set(element, child)
      }
      child.through ??= entry
      at = child
    }
    at.end ??= entry
  }
}

class Analyzer {
  readonly errors = new ErrorSet()

  constructor(
    readonly ctx: PlaceholderContext,
    /** Conditions report undefined names and values in one category; updates in two. */
    readonly nameCategory: string,
    readonly valueCategory: string,
  ) {}

  path(parts: RawPathPart[]): DocPath {
    const out: DocPath = []
    for (const part of parts) {
      if (part.kind === 'index') {
        out.push(part.index)
      } else if (part.kind === 'ident') {
        if (isReservedWord(part.text) && !FUNCTION_NAMES.has(part.text)) {
          this.errors.add('reserved', `Attribute name is a reserved keyword; reserved keyword: ${part.text}`)
        }
        out.push(part.text)
      } else {
        const resolved = this.ctx.names[part.text]
        if (resolved === undefined) {
          this.errors.add(
            this.nameCategory,
            `An expression attribute name used in the document path is not defined; attribute name: ${part.text}`,
          )
          out.push(part.text)
        } else {
          this.ctx.unusedNames.delete(part.text)
          out.push(resolved)
        }
      }
    }
    return out
  }

  value(name: string): AttributeValue {
    const v = this.ctx.values[name]
    if (v === undefined) {
      this.errors.add(
        this.valueCategory,
        `An expression attribute value used in expression is not defined; attribute value: ${name}`,
      )
      return { NULL: true }
    }
    this.ctx.unusedValues.delete(name)
    return v
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions

/** Static type of an operand when known: a literal's type, or N for size(). */
function staticType(o: Operand): AttributeType | undefined {
  if (o.kind === 'value') return typeOf(o.value)
  if (o.kind === 'size') return 'N'
  return undefined
}

function immediateType(o: Operand): AttributeType | undefined {
  return o.kind === 'value' ? typeOf(o.value) : undefined
}

function valueText(v: AttributeValue): string {
  const t = typeOf(v)
  const inner = (v as Record<string, unknown>)[t]
  return `{${t}:${Array.isArray(inner) ? `[${inner.join(', ')}]` : String(inner)}}`
}

class ConditionAnalyzer extends Analyzer {
  constructor(ctx: PlaceholderContext) {
    super(ctx, 'condition', 'condition')
  }

  condition(raw: RawCondition): Condition {
    switch (raw.t) {
      case 'paren':
        if (raw.c.t === 'paren') this.errors.add('parens', 'The expression has redundant parentheses;')
        return this.condition(raw.c)
      case 'and':
      case 'or':
        return { kind: raw.t, left: this.condition(raw.l), right: this.condition(raw.r) }
      case 'not':
        return { kind: 'not', condition: this.condition(raw.c) }
      case 'fn': {
        if (raw.call.name === 'size') {
          this.errors.add(
            'misusedFunction',
            'The function is not allowed to be used this way in an expression; function: size',
          )
        }
        return this.functionCondition(raw.call)
      }
      case 'cmp': {
        const left = this.operand(raw.a)
        const right = this.operand(raw.b)
        this.checkMisused([raw.a, raw.b])
        this.checkDistinct(raw.op, [left, right])
        if (raw.op !== '=' && raw.op !== '<>') this.checkOrderable(raw.op, [left, right])
        return { kind: 'compare', op: raw.op, left, right }
      }
      case 'between': {
        const operand = this.operand(raw.a)
        const low = this.operand(raw.lo)
        const high = this.operand(raw.hi)
        this.checkMisused([raw.a, raw.lo, raw.hi])
        // Types before distinctness: "c BETWEEN :ss AND c" reports the set operand.
        this.checkOrderable('BETWEEN', [operand, low, high])
        this.checkDistinct('BETWEEN', [operand, low, high])
        const lt = immediateType(low)
        const ht = immediateType(high)
        if (low.kind === 'value' && high.kind === 'value' && lt && ht) {
          const bounds = `lower bound operand: AttributeValue: ${valueText(low.value)}, upper bound operand: AttributeValue: ${valueText(high.value)}`
          if (lt !== ht) {
            this.errors.add(
              'condition',
              `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`,
            )
          } else if (
            (lt === 'S' || lt === 'N' || lt === 'B') &&
            compareAttributeValues(low.value, high.value) > 0
          ) {
            this.errors.add(
              'condition',
              `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
            )
          }
        }
        return { kind: 'between', operand, low, high }
      }
      case 'in': {
        const operand = this.operand(raw.a)
        const list = raw.list.map((o) => this.operand(o))
        this.checkMisused([raw.a, ...raw.list])
        if (list.length > MAX_IN_OPERANDS) {
          this.errors.add(
            'condition',
            `The IN operator is provided with too many operands; number of operands: ${list.length}`,
          )
        }
        this.checkDistinct('IN', [operand, ...list])
        return { kind: 'in', operand, list }
      }
    }
  }

  functionCondition(call: Extract<RawOperand, { t: 'call' }>): Condition {
    const args = call.args.map((a) => this.operand(a))
    this.checkFunction(call.name, args, call.args)
    const [a, b] = args as [Operand, Operand]
    switch (call.name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        return { kind: call.name, path: a?.kind === 'path' ? a.path : [] }
      case 'attribute_type':
        return { kind: 'attribute_type', operand: a, type: b }
      case 'begins_with':
      case 'contains':
        return { kind: call.name, left: a, right: b }
      default:
        // size as a condition, or an unknown function: an error was recorded; keep a harmless node.
        return { kind: 'attribute_exists', path: [] }
    }
  }

  operand(raw: RawOperand): Operand {
    switch (raw.t) {
      case 'path':
        return { kind: 'path', path: this.path(raw.parts) }
      case 'value':
        return { kind: 'value', value: this.value(raw.name) }
      case 'paren':
        return this.operand(raw.inner)
      case 'arith':
        // Only the update grammar builds arithmetic; unreachable for conditions.
        return this.operand(raw.a)
      case 'call': {
        const args = raw.args.map((a) => this.operand(a))
        this.checkFunction(raw.name, args, raw.args)
        return { kind: 'size', arg: args[0] ?? { kind: 'value', value: { NULL: true } } }
      }
    }
  }

  checkFunction(name: string, args: Operand[], rawArgs: RawOperand[]): void {
    const arity = CONDITION_FUNCTIONS[name]
    if (arity === undefined) {
      this.errors.add(
        'unknownFunction',
        UPDATE_FUNCTIONS[name] !== undefined
          ? `The function is not allowed in a condition expression; function: ${name}`
          : `Invalid function name; function: ${name}`,
      )
      return
    }
    if (arity !== args.length) {
      this.errors.add(
        'condition',
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
      )
      return
    }
    this.checkMisused(rawArgs)
    if (args.length === 2) this.checkDistinct(name, args)
    const typeError = (type: string) =>
      this.errors.add(
        'condition',
        `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`,
      )
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (args[0]!.kind !== 'path') {
          this.errors.add(
            'condition',
            `Operator or function requires a document path; operator or function: ${name}`,
          )
        }
        return
      case 'begins_with':
        for (const arg of args) {
          const t = staticType(arg)
          if (t && t !== 'S' && t !== 'B') return typeError(t)
        }
        return
      case 'attribute_type': {
        const typeArg = args[1]!
        const t = staticType(typeArg)
        if (t !== 'S' || typeArg.kind !== 'value') return typeError(t ?? 'S')
        const name = (typeArg.value as { S: string }).S
        if (!VALID_TYPE_NAMES.has(name)) {
          this.errors.add(
            'condition',
            `Invalid attribute type name found; type: ${name}, valid types: ${VALID_TYPES_TEXT}`,
          )
        }
        return
      }
      case 'size': {
        const t = staticType(args[0]!)
        if (t === 'N' || t === 'BOOL' || t === 'NULL') typeError(t)
        return
      }
    }
  }

  /** Functions other than size() cannot be operands of a comparison or argument of a function. */
  checkMisused(raws: RawOperand[]): void {
    for (const raw of raws) {
      let r = raw
      while (r.t === 'paren') r = r.inner
      if (r.t === 'call' && r.name !== 'size' && CONDITION_FUNCTIONS[r.name] !== undefined) {
        this.errors.add(
          'misusedFunction',
          `The function is not allowed to be used this way in an expression; function: ${r.name}`,
        )
      }
    }
  }

  checkDistinct(op: string, operands: Operand[]): void {
    const [first, ...rest] = operands
    if (!first || first.kind !== 'path') return
    for (const o of rest) {
      if (o.kind === 'path' && samePath(o.path, first.path)) {
        this.errors.add(
          'condition',
          `The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${pathToString(first.path)}`,
        )
        return
      }
    }
  }

  /** <, <=, >, >= and BETWEEN only order strings, numbers and binaries. */
  checkOrderable(op: string, operands: Operand[]): void {
    for (const o of operands) {
      const t = immediateType(o)
      if (t && t !== 'S' && t !== 'N' && t !== 'B') {
        this.errors.add(
          'condition',
          `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${t}`,
        )
        return
      }
    }
  }
}

export function analyzeCondition(raw: RawCondition, ctx: PlaceholderContext, exprName: string): Condition {
  const a = new ConditionAnalyzer(ctx)
  const out = a.condition(raw)
  a.errors.throwFirst(exprName, CONDITION_ERROR_ORDER)
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// Updates

class UpdateAnalyzer extends Analyzer {
  readonly paths = new PathSet()

  constructor(ctx: PlaceholderContext) {
    super(ctx, 'attrName', 'attrVal')
  }

  target(parts: RawPathPart[]): DocPath {
    const path = this.path(parts)
    this.paths.add(path, this.errors)
    return path
  }

  setValue(raw: RawOperand): UpdateValue {
    switch (raw.t) {
      case 'path':
        return { kind: 'path', path: this.path(raw.parts) }
      case 'value':
        return { kind: 'value', value: this.value(raw.name) }
      case 'paren':
        return this.setValue(raw.inner)
      case 'arith': {
        const left = this.setValue(raw.a)
        const right = this.setValue(raw.b)
        this.checkImmediate(raw.op, [left, right], 'N')
        return { kind: raw.op, left, right }
      }
      case 'call': {
        const args = raw.args.map((a) => this.setValue(a))
        const arity = UPDATE_FUNCTIONS[raw.name]
        if (arity === undefined) {
          this.errors.add(
            'unknownFunction',
            CONDITION_FUNCTIONS[raw.name] !== undefined
              ? `The function is not allowed in an update expression; function: ${raw.name}`
              : `Invalid function name; function: ${raw.name}`,
          )
          return { kind: 'value', value: { NULL: true } }
        }
        if (arity !== args.length) {
          this.errors.add(
            'typing',
            `Incorrect number of operands for operator or function; operator or function: ${raw.name}, number of operands: ${args.length}`,
            true,
          )
          return { kind: 'value', value: { NULL: true } }
        }
        const [a, b] = args as [UpdateValue, UpdateValue]
        if (raw.name === 'if_not_exists') {
          if (a.kind !== 'path') {
            this.errors.add(
              'typing',
              'Operator or function requires a document path; operator or function: if_not_exists',
              true,
            )
            return b
          }
          if (b.kind === 'path' && samePath(a.path, b.path)) {
            this.errors.add(
              'typing',
              `The first operand must be distinct from the remaining operands for this operator or function; operator: if_not_exists, first operand: ${pathToString(a.path)}`,
              true,
            )
          }
          return { kind: 'if_not_exists', path: a.path, fallback: b }
        }
        this.checkImmediate('list_append', args, 'L')
        return { kind: 'list_append', left: a, right: b }
      }
    }
  }

  checkImmediate(op: string, args: UpdateValue[], want: AttributeType): void {
    for (const arg of args) {
      if (arg.kind !== 'value') continue
      const t = typeOf(arg.value)
      if (t !== want) {
        this.errors.add(
          'typing',
          `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${t}`,
          true,
        )
        return
      }
    }
  }

  /** ADD takes a number or a set; DELETE a set. */
  checkClauseOperand(clause: 'ADD' | 'DELETE', v: AttributeValue): void {
    const t = typeOf(v)
    const long = LONG_TYPE_NAMES[t]
    if (long && !(clause === 'ADD' && t === 'N')) {
      this.errors.add(
        'typing',
        `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${long}, typeSet: ALLOWED_FOR_${clause}_OPERAND`,
        true,
      )
    }
  }
}

export function analyzeUpdate(raw: RawUpdate, ctx: PlaceholderContext): UpdateProgram {
  const a = new UpdateAnalyzer(ctx)
  const program: UpdateProgram = { set: [], remove: [], add: [], delete: [], order: [] }
  const seen = new Set<string>()
  for (const clause of raw.clauses) {
    if (seen.has(clause.kind)) {
      a.errors.add('section', `The "${clause.kind}" section can only be used once in an update expression;`)
    }
    seen.add(clause.kind)
    for (const action of clause.actions) {
      if (action.clause === 'SET') {
        const path = a.target(action.path.parts)
        program.order.push({ clause: 'set', index: program.set.length })
        program.set.push({ path, value: a.setValue(action.value) })
      } else if (action.clause === 'REMOVE') {
        program.order.push({ clause: 'remove', index: program.remove.length })
        program.remove.push(a.target(action.path.parts))
      } else {
        const path = a.target(action.path.parts)
        const value = a.value(action.value)
        if (ctx.values[action.value] !== undefined) a.checkClauseOperand(action.clause, value)
        const list = action.clause === 'ADD' ? program.add : program.delete
        program.order.push({ clause: action.clause === 'ADD' ? 'add' : 'delete', index: list.length })
        list.push({ path, value })
      }
    }
  }
  a.errors.throwFirst('UpdateExpression', UPDATE_ERROR_ORDER)
  return program
}

// ---------------------------------------------------------------------------------------------------------------
// Projections

export function analyzeProjection(
  raw: Extract<RawOperand, { t: 'path' }>[],
  ctx: PlaceholderContext,
): Projection {
  const a = new Analyzer(ctx, 'attrNameVal', 'attrNameVal')
  const paths: DocPath[] = []
  const seen = new PathSet()
  for (const p of raw) {
    const path = a.path(p.parts)
    seen.add(path, a.errors)
    paths.push(path)
  }
  a.errors.throwFirst('ProjectionExpression', PROJECTION_ERROR_ORDER)
  return { paths }
}

/** Numbers in updates are computed exactly, then checked against DynamoDB's range like stored numbers. */
export const ExactDecimal = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN })
