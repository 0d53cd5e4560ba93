/**
 * Recursive-descent parsers producing raw syntax trees (names and values not yet resolved). Semantic checks live in
 * analyze.ts so their errors can be ordered the way DynamoDB orders them, after the whole text has parsed.
 * Grammar: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import { SyntaxErrorAt, syntaxError, tokenize } from './tokenizer'
import type { Token } from './tokenizer'
import type { CompareOp } from './ast'

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
const CLAUSE_KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE'])
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>='])

class Parser {
  readonly tokens: Token[]
  pos = 0
  /** Furthest failure, for reporting when alternatives were tried. */
  furthest = -1

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

  /** Runs a parse, turning the internal failure into DynamoDB's syntax error. */
  run<T>(fn: () => T): T {
    try {
      const out = fn()
      if (this.tok.kind !== 'eof') this.fail()
      return out
    } catch (e) {
      if (e instanceof SyntaxErrorAt) {
        throw syntaxError(this.exprName, this.input, this.tokens, Math.max(this.furthest, e.index))
      }
      throw e
    }
  }

  // path := (ident | #name) ( '.' (ident | #name) | '[' number ']' )*
  path(): Extract<RawOperand, { t: 'path' }> {
    const parts: RawPathPart[] = [this.pathName()]
    for (;;) {
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
  condition(): RawCondition {
    let left = this.andCondition()
    while (this.isKeyword('OR')) {
      this.pos++
      left = { t: 'or', l: left, r: this.andCondition() }
    }
    return left
  }

  andCondition(): RawCondition {
    let left = this.notCondition()
    while (this.isKeyword('AND')) {
      this.pos++
      left = { t: 'and', l: left, r: this.notCondition() }
    }
    return left
  }

  notCondition(): RawCondition {
    if (this.isKeyword('NOT')) {
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
      this.pos++
      return { t: 'cmp', op: tok.text as CompareOp, a, b: this.operand() }
    }
    if (this.isKeyword('BETWEEN')) {
      this.pos++
      const lo = this.operand()
      if (!this.isKeyword('AND')) this.fail()
      this.pos++
      return { t: 'between', a, lo, hi: this.operand() }
    }
    if (this.isKeyword('IN')) {
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

export function parseConditionSyntax(input: string, exprName: string): RawCondition {
  const p = new Parser(input, exprName, CONDITION_KEYWORDS)
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
