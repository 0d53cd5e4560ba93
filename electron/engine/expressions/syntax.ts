/**
 * Recursive-descent parsers producing raw syntax trees (names and values not yet resolved). Semantic checks live in
 * analyze.ts so their errors can be ordered the way DynamoDB orders them, after the whole text has parsed.
 * Grammar: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import { SyntaxErrorAt, syntaxError, tokenize } from './tokenizer'
import type { Token } from './tokenizer'
import type { CompareOp } from './ast'
import { validation } from '../types'

export type RawPathPart =
  { kind: 'ident'; text: string } | { kind: 'name'; text: string } | { kind: 'index'; index: number }

export type RawOperand =
  | { t: 'path'; parts: RawPathPart[] }
  | { t: 'value'; name: string }
  | { t: 'call'; name: string; args: RawOperand[] }
  | { t: 'paren'; inner: RawOperand }
  | { t: 'arith'; op: '+' | '-'; a: RawOperand; b: RawOperand }

export type RawCondition =
  | { t: 'cmp'; op: CompareOp; a: RawOperand; b: RawOperand }
  | { t: 'between'; a: RawOperand; lo: RawOperand; hi: RawOperand }
  | { t: 'in'; a: RawOperand; list: RawOperand[] }
  | { t: 'and' | 'or'; l: RawCondition; r: RawCondition }
  | { t: 'not'; c: RawCondition }
  | { t: 'fn'; call: Extract<RawOperand, { t: 'call' }> }
  | { t: 'paren'; c: RawCondition }

export type ClauseKind = 'SET' | 'REMOVE' | 'ADD' | 'DELETE'
export type RawUpdateAction =
  | { clause: 'SET'; path: Extract<RawOperand, { t: 'path' }>; value: RawOperand }
  | { clause: 'REMOVE'; path: Extract<RawOperand, { t: 'path' }> }
  | { clause: 'ADD' | 'DELETE'; path: Extract<RawOperand, { t: 'path' }>; value: string }
export interface RawUpdate {
  clauses: { kind: ClauseKind; actions: RawUpdateAction[] }[]
}

const CONDITION_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN'])

/**
 * An expression may hold 300 operators (comparisons, BETWEEN, IN, AND, OR, NOT; not functions, parentheses or
 * SET's `=`), and a document path 32 levels; DynamoDB reports the first one past either limit while parsing.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-parameters
 * (texts and what counts: DynamoDB Local 3.3.1, and real DynamoDB as quoted in github.com/scylladb/scylladb/issues/14473)
 */
export const MAX_OPERATORS = 300
export const MAX_PATH_DEPTH = 32

/** A limit reached while parsing: reported at once, whatever syntax error might follow. */
class LimitReached {
  constructor(readonly message: string) {}
}
const CLAUSE_KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE'])
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>='])

class Parser {
  readonly tokens: Token[]
  pos = 0
  /** Furthest failure, for reporting when alternatives were tried. */
  furthest = -1
  /** Operators counted so far; a position is counted once even when backtracking parses it again. */
  private readonly operatorsAt = new Set<number>()
  /** Whether the operator limit applies (not to expressions translated from legacy parameters). */
  limitOperators = true

  constructor(
    readonly input: string,
    readonly exprName: string,
    readonly keywords: ReadonlySet<string>,
  ) {
    this.tokens = tokenize(input)
  }

  get tok(): Token {
    return this.tokens[this.pos]!
  }

  peek(offset = 1): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!
  }

  fail(at = this.pos): never {
    if (at > this.furthest) this.furthest = at
    throw new SyntaxErrorAt(at)
  }

  isPunct(text: string, tok = this.tok): boolean {
    return tok.kind === 'punct' && tok.text === text
  }

  isKeyword(word: string, tok = this.tok): boolean {
    return tok.kind === 'ident' && tok.text.toUpperCase() === word
  }

  expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail()
    this.pos++
  }

  /**
   * Where to report nesting too deep to parse: with more "(" than ")" the text cannot close, and DynamoDB reports
   * the end (`token: "<EOF>"`); otherwise the furthest point reached.
   */
  tooDeepAt(): number {
    let depth = 0
    for (const t of this.tokens) if (t.kind === 'punct') depth += t.text === '(' ? 1 : t.text === ')' ? -1 : 0
    return depth > 0 ? this.tokens.length - 1 : Math.max(this.furthest, this.pos, 0)
  }

  /** Counts the operator at the current token against the limit. */
  operator(): void {
    if (!this.limitOperators) return
    this.operatorsAt.add(this.pos)
    if (this.operatorsAt.size > MAX_OPERATORS) {
      throw new LimitReached(
        `The expression contains too many operators; operator count: ${this.operatorsAt.size}`,
      )
    }
  }

  /**
   * Runs a parse, turning the internal failure into DynamoDB's syntax error. Nesting deep enough to exhaust the
   * stack (4,096 open parentheses fit in an expression's 4 KB) is a syntax error at the furthest point reached,
   * as DynamoDB reports an unclosed "((((": never an internal error.
   */
  run<T>(fn: () => T): T {
    try {
      const out = fn()
      if (this.tok.kind !== 'eof') this.fail()
      return out
    } catch (e) {
      if (e instanceof LimitReached) throw validation(`Invalid ${this.exprName}: ${e.message}`)
      if (e instanceof SyntaxErrorAt) {
        throw syntaxError(this.exprName, this.input, this.tokens, Math.max(this.furthest, e.index))
      }
      if (e instanceof RangeError) throw syntaxError(this.exprName, this.input, this.tokens, this.tooDeepAt())
      throw e
    }
  }

  // path := (ident | #name) ( '.' (ident | #name) | '[' number ']' )*
  path(): Extract<RawOperand, { t: 'path' }> {
    const parts: RawPathPart[] = [this.pathName()]
    for (;;) {
      if (parts.length > MAX_PATH_DEPTH) {
        throw new LimitReached(
          `The document path has too many nesting levels; nesting levels: ${parts.length}`,
        )
      }
      if (this.isPunct('.')) {
        this.pos++
        parts.push(this.pathName(true))
      } else if (this.isPunct('[')) {
        this.pos++
        if (this.tok.kind !== 'number') this.fail()
        parts.push({ kind: 'index', index: Number(this.tok.text) })
        this.pos++
        this.expectPunct(']')
      } else {
        return { t: 'path', parts }
      }
    }
  }

  pathName(afterDot = false): RawPathPart {
    const tok = this.tok
    if (tok.kind === 'ident' && !this.keywords.has(tok.text.toUpperCase())) {
      this.pos++
      return { kind: 'ident', text: tok.text }
    }
    // DynamoDB resolves ":x" after a dot as an attribute-name placeholder (and reports it undefined).
    if (tok.kind === 'name' || (afterDot && tok.kind === 'value')) {
      this.pos++
      return { kind: 'name', text: tok.text }
    }
    return this.fail()
  }

  // operand := path | :value | function '(' operand (',' operand)* ')' | '(' operand ')'
  operand(inner: () => RawOperand = () => this.operand()): RawOperand {
    const tok = this.tok
    if (tok.kind === 'value') {
      this.pos++
      return { t: 'value', name: tok.text }
    }
    if (tok.kind === 'ident' && this.isPunct('(', this.peek())) {
      this.pos += 2
      const args: RawOperand[] = [this.operand()]
      while (this.isPunct(',')) {
        this.pos++
        args.push(this.operand())
      }
      this.expectPunct(')')
      return { t: 'call', name: tok.text, args }
    }
    if (this.isPunct('(')) {
      this.pos++
      const innerOperand = inner()
      this.expectPunct(')')
      return { t: 'paren', inner: innerOperand }
    }
    return this.path()
  }

  // condition := and (OR and)*
  // AND and OR chains become balanced trees: their depth (and so the analyzer's and evaluator's recursion) grows
  // with the log of the chain's length, so legacy conditions of any width evaluate (AND and OR are associative).
  condition(): RawCondition {
    const terms = [this.andCondition()]
    while (this.isKeyword('OR')) {
      this.operator()
      this.pos++
      terms.push(this.andCondition())
    }
    return balanced('or', terms)
  }

  andCondition(): RawCondition {
    const terms = [this.notCondition()]
    while (this.isKeyword('AND')) {
      this.operator()
      this.pos++
      terms.push(this.notCondition())
    }
    return balanced('and', terms)
  }

  notCondition(): RawCondition {
    if (this.isKeyword('NOT')) {
      this.operator()
      this.pos++
      return { t: 'not', c: this.notCondition() }
    }
    if (this.isPunct('(')) {
      // "(a = b)" groups a condition, "(a) = b" parenthesizes an operand: try the first, fall back to the second.
      const start = this.pos
      try {
        this.pos++
        const c = this.condition()
        this.expectPunct(')')
        return { t: 'paren', c }
      } catch (e) {
        if (!(e instanceof SyntaxErrorAt)) throw e
        this.pos = start
      }
    }
    return this.comparison()
  }

  comparison(): RawCondition {
    const a = this.operand()
    const tok = this.tok
    if (tok.kind === 'punct' && COMPARATORS.has(tok.text)) {
      this.operator()
      this.pos++
      return { t: 'cmp', op: tok.text as CompareOp, a, b: this.operand() }
    }
    if (this.isKeyword('BETWEEN')) {
      this.operator()
      this.pos++
      const lo = this.operand()
      if (!this.isKeyword('AND')) this.fail()
      this.pos++
      return { t: 'between', a, lo, hi: this.operand() }
    }
    if (this.isKeyword('IN')) {
      this.operator()
      this.pos++
      this.expectPunct('(')
      const list = [this.operand()]
      while (this.isPunct(',')) {
        this.pos++
        list.push(this.operand())
      }
      this.expectPunct(')')
      return { t: 'in', a, list }
    }
    if (a.t === 'call') return { t: 'fn', call: a }
    return this.fail()
  }

  // update := clause+ ; clause := SET set-action, ... | REMOVE path, ... | ADD path :v, ... | DELETE path :v, ...
  update(): RawUpdate {
    const clauses: RawUpdate['clauses'] = []
    do {
      const tok = this.tok
      const kind = tok.kind === 'ident' ? tok.text.toUpperCase() : ''
      if (!CLAUSE_KEYWORDS.has(kind)) this.fail()
      this.pos++
      const actions: RawUpdateAction[] = []
      do {
        if (actions.length) this.pos++ // the comma
        actions.push(this.updateAction(kind as ClauseKind))
      } while (this.isPunct(','))
      clauses.push({ kind: kind as ClauseKind, actions })
    } while (this.tok.kind !== 'eof')
    return { clauses }
  }

  updateAction(kind: ClauseKind): RawUpdateAction {
    const path = this.path()
    if (kind === 'SET') {
      this.expectPunct('=')
      return { clause: 'SET', path, value: this.setValue() }
    }
    if (kind === 'REMOVE') return { clause: 'REMOVE', path }
    if (this.tok.kind !== 'value') this.fail()
    const value = this.tok.text
    this.pos++
    return { clause: kind, path, value }
  }

  // set-value := operand (('+' | '-') operand)?   where "(" set-value ")" is an operand
  setValue(): RawOperand {
    const a = this.setOperand()
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.tok.text as '+' | '-'
      this.pos++
      return { t: 'arith', op, a, b: this.setOperand() }
    }
    return a
  }

  setOperand(): RawOperand {
    return this.operand(() => this.setValue())
  }

  projection(): Extract<RawOperand, { t: 'path' }>[] {
    const paths = [this.path()]
    while (this.isPunct(',')) {
      this.pos++
      paths.push(this.path())
    }
    return paths
  }
}

/** Joins terms left to right as a balanced tree: in-order, the terms keep their order. */
function balanced(t: 'and' | 'or', terms: RawCondition[], from = 0, to = terms.length): RawCondition {
  if (to - from === 1) return terms[from] as RawCondition
  const mid = (from + to) >>> 1
  return { t, l: balanced(t, terms, from, mid), r: balanced(t, terms, mid, to) }
}

/** `unlimited`: translated from legacy parameters, which DynamoDB evaluates at any width (no operator limit). */
export function parseConditionSyntax(input: string, exprName: string, unlimited = false): RawCondition {
  const p = new Parser(input, exprName, CONDITION_KEYWORDS)
  p.limitOperators = !unlimited
  return p.run(() => p.condition())
}

export function parseUpdateSyntax(input: string): RawUpdate {
  const p = new Parser(input, 'UpdateExpression', CLAUSE_KEYWORDS)
  return p.run(() => p.update())
}

export function parseProjectionSyntax(input: string): Extract<RawOperand, { t: 'path' }>[] {
  const p = new Parser(input, 'ProjectionExpression', new Set())
  return p.run(() => p.projection())
}
