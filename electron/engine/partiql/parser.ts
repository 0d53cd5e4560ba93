/**
 * DynamoDB's PartiQL subset: tokens, then one statement as a tree. Only the grammar DynamoDB accepts is parsed:
 * SELECT, INSERT, UPDATE, DELETE and (inside ExecuteTransaction) EXISTS(SELECT ...).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.statements.html
 *
 * A statement that does not parse is answered as DynamoDB Local 3.3.1 answers it, "Statement wasn't well formed,
 * can't be processed: " followed by the statement text (no capture of real DynamoDB's wording for the same input
 * was found).
 */
import { validation } from '../types'

export interface Token {
  kind: 'ident' | 'qident' | 'string' | 'number' | 'punct' | 'param' | 'eof'
  text: string
  /** Offset in the statement. */
  start: number
  end: number
}

/** The position DynamoDB prints in some messages: line:column:length, 1-based. */
export function positionOf(statement: string, t: { start: number; end: number }): string {
  let line = 1
  let col = 1
  for (let i = 0; i < t.start; i++) {
    if (statement[i] === '\n') {
      line++
      col = 1
    } else col++
  }
  return `${line}:${col}:${t.end - t.start}`
}

export const notWellFormed = (statement: string) =>
  validation(`Statement wasn't well formed, can't be processed: ${statement}`)

const PUNCT = [
  '<<',
  '>>',
  '<>',
  '!=',
  '<=',
  '>=',
  '||',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ':',
  '*',
  '=',
  '<',
  '>',
  '+',
  '-',
  ';',
]

export function tokenize(statement: string): Token[] {
  const tokens: Token[] = []
  const n = statement.length
  let i = 0
  const fail = () => notWellFormed(statement)
  while (i < n) {
    const c = statement[i] as string
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++
      continue
    }
    const start = i
    if (/[A-Za-z_]/.test(c)) {
      while (i < n && /[A-Za-z0-9_$]/.test(statement[i] as string)) i++
      tokens.push({ kind: 'ident', text: statement.slice(start, i), start, end: i })
      continue
    }
    if (c === '"' || c === "'") {
      // A doubled quote inside is the quote itself, as in SQL.
      let text = ''
      i++
      for (;;) {
        if (i >= n) throw fail()
        const d = statement[i] as string
        if (d === c) {
          if (statement[i + 1] === c) {
            text += c
            i += 2
            continue
          }
          i++
          break
        }
        text += d
        i++
      }
      tokens.push({ kind: c === '"' ? 'qident' : 'string', text, start, end: i })
      continue
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(statement[i + 1] ?? ''))) {
      while (i < n && /[0-9]/.test(statement[i] as string)) i++
      if (statement[i] === '.' && /[0-9]/.test(statement[i + 1] ?? '')) {
        i++
        while (i < n && /[0-9]/.test(statement[i] as string)) i++
      } else if (statement[i] === '.' && !/[A-Za-z_"]/.test(statement[i + 1] ?? '')) i++
      if ((statement[i] === 'e' || statement[i] === 'E') && /[-+0-9]/.test(statement[i + 1] ?? '')) {
        i++
        if (statement[i] === '+' || statement[i] === '-') i++
        if (!/[0-9]/.test(statement[i] ?? '')) throw fail()
        while (i < n && /[0-9]/.test(statement[i] as string)) i++
      }
      tokens.push({ kind: 'number', text: statement.slice(start, i), start, end: i })
      continue
    }
    if (c === '?') {
      tokens.push({ kind: 'param', text: '?', start, end: i + 1 })
      i++
      continue
    }
    const p = PUNCT.find((x) => statement.startsWith(x, i))
    if (!p) throw fail()
    i += p.length
    tokens.push({ kind: 'punct', text: p, start, end: i })
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n })
  return tokens
}

// ---------------------------------------------------------------------------------------------------------------
// The tree

export type PathStep = { name: string } | { index: number }

export type Expr =
  | { k: 'path'; root: string; steps: PathStep[]; tok: Token }
  | { k: 'string'; v: string; tok: Token }
  | { k: 'number'; v: string; tok: Token }
  | { k: 'bool'; v: boolean; tok: Token }
  | { k: 'null'; tok: Token }
  | { k: 'missing'; tok: Token }
  | { k: 'param'; i: number; tok: Token }
  | { k: 'list'; items: Expr[]; tok: Token }
  | { k: 'tuple'; entries: { key: Expr; value: Expr }[]; tok: Token }
  | { k: 'bag'; items: Expr[]; tok: Token }
  | { k: 'call'; name: string; args: Expr[]; tok: Token }
  | { k: 'arith'; op: '+' | '-'; l: Expr; r: Expr; tok: Token }
  | { k: 'neg'; e: Expr; tok: Token }
  | { k: 'cmp'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; l: Expr; r: Expr; tok: Token }
  | { k: 'and' | 'or'; l: Expr; r: Expr; tok: Token }
  | { k: 'not'; e: Expr; tok: Token }
  | { k: 'between'; e: Expr; lo: Expr; hi: Expr; tok: Token }
  | { k: 'in'; e: Expr; list: Expr; tok: Token }
  | { k: 'is'; e: Expr; what: 'MISSING' | 'NULL'; not: boolean; tok: Token }

export interface From {
  table: string
  index: string | undefined
}

export type Returning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW'

export interface SelectStatement {
  kind: 'select'
  /** undefined for `*`. */
  projection: Expr[] | undefined
  from: From
  where: Expr | undefined
  orderBy: { path: Expr; desc: boolean }[]
}

export type UpdateAction = { k: 'set'; path: Expr; value: Expr } | { k: 'remove'; path: Expr }

export type Statement =
  | SelectStatement
  | { kind: 'insert'; from: From; value: Expr }
  | {
      kind: 'update'
      from: From
      actions: UpdateAction[]
      where: Expr | undefined
      returning: Returning | undefined
    }
  | { kind: 'delete'; from: From; where: Expr | undefined; returning: Returning | undefined }
  | { kind: 'exists'; select: SelectStatement }

export interface Parsed {
  statement: Statement
  /** How many `?` the statement holds. */
  params: number
}

const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'BETWEEN',
  'INSERT',
  'INTO',
  'VALUE',
  'VALUES',
  'UPDATE',
  'SET',
  'REMOVE',
  'DELETE',
  'RETURNING',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'MISSING',
  'NULL',
  'TRUE',
  'FALSE',
  'EXISTS',
])

const MAX_NESTING = 100

class Parser {
  private i = 0
  private depth = 0
  params = 0

  constructor(
    private readonly statement: string,
    private readonly tokens: Token[],
  ) {}

  private get peek(): Token {
    return this.tokens[this.i] as Token
  }

  private next(): Token {
    const t = this.peek
    if (t.kind !== 'eof') this.i++
    return t
  }

  fail(): Error {
    return notWellFormed(this.statement)
  }

  private isWord(word: string, t = this.peek): boolean {
    return t.kind === 'ident' && t.text.toUpperCase() === word
  }

  private isPunct(p: string, t = this.peek): boolean {
    return t.kind === 'punct' && t.text === p
  }

  private word(word: string): Token {
    if (!this.isWord(word)) throw this.fail()
    return this.next()
  }

  private punct(p: string): Token {
    if (!this.isPunct(p)) throw this.fail()
    return this.next()
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false
    this.i++
    return true
  }

  private acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false
    this.i++
    return true
  }

  parse(): Statement {
    const s = this.statementBody()
    this.acceptPunct(';')
    if (this.peek.kind !== 'eof') throw this.fail()
    return s
  }

  private statementBody(): Statement {
    if (this.isWord('SELECT')) return this.select()
    if (this.acceptWord('INSERT')) {
      this.word('INTO')
      const from = this.target()
      this.word('VALUE')
      const value = this.expr()
      return { kind: 'insert', from, value }
    }
    if (this.acceptWord('UPDATE')) {
      const from = this.target()
      const actions: UpdateAction[] = []
      for (;;) {
        if (this.acceptWord('SET')) {
          do {
            const path = this.path()
            this.punct('=')
            actions.push({ k: 'set', path, value: this.additive() })
          } while (this.acceptPunct(','))
        } else if (this.acceptWord('REMOVE')) {
          do actions.push({ k: 'remove', path: this.path() })
          while (this.acceptPunct(','))
        } else break
      }
      if (actions.length === 0) throw this.fail()
      const where = this.acceptWord('WHERE') ? this.expr() : undefined
      return { kind: 'update', from, actions, where, returning: this.returning() }
    }
    if (this.acceptWord('DELETE')) {
      this.word('FROM')
      const from = this.target()
      const where = this.acceptWord('WHERE') ? this.expr() : undefined
      return { kind: 'delete', from, where, returning: this.returning() }
    }
    if (this.acceptWord('EXISTS')) {
      this.punct('(')
      const select = this.select()
      this.punct(')')
      return { kind: 'exists', select }
    }
    throw this.fail()
  }

  private select(): SelectStatement {
    this.word('SELECT')
    let projection: Expr[] | undefined
    if (!this.acceptPunct('*')) {
      projection = []
      do projection.push(this.path())
      while (this.acceptPunct(','))
    }
    this.word('FROM')
    const from = this.target(true)
    const where = this.acceptWord('WHERE') ? this.expr() : undefined
    const orderBy: SelectStatement['orderBy'] = []
    if (this.acceptWord('ORDER')) {
      this.word('BY')
      do {
        const path = this.path()
        const desc = this.acceptWord('DESC') ? true : (this.acceptWord('ASC'), false)
        orderBy.push({ path, desc })
      } while (this.acceptPunct(','))
    }
    return { kind: 'select', projection, from, where, orderBy }
  }

  private returning(): Returning | undefined {
    if (!this.acceptWord('RETURNING')) return undefined
    const scope = this.acceptWord('ALL') ? 'ALL' : this.acceptWord('MODIFIED') ? 'UPDATED' : undefined
    if (!scope) throw this.fail()
    const when = this.acceptWord('OLD') ? 'OLD' : this.acceptWord('NEW') ? 'NEW' : undefined
    if (!when) throw this.fail()
    this.punct('*')
    return `${scope}_${when}` as Returning
  }

  /** A table name, bare or quoted, optionally followed by ."index" (a bare index name is a path step in PartiQL). */
  private target(indexAllowed = false): From {
    const t = this.next()
    if (t.kind !== 'ident' && t.kind !== 'qident') throw this.fail()
    if (t.kind === 'ident' && KEYWORDS.has(t.text.toUpperCase())) throw this.fail()
    let index: string | undefined
    if (indexAllowed && this.isPunct('.')) {
      this.next()
      const x = this.next()
      if (x.kind !== 'ident' && x.kind !== 'qident') throw this.fail()
      index = x.text
    }
    return { table: t.text, index }
  }

  /** A document path: name, then .name, ."name" and [n] steps. */
  private path(): Expr {
    const t = this.next()
    if (t.kind !== 'ident' && t.kind !== 'qident') throw this.fail()
    if (t.kind === 'ident' && KEYWORDS.has(t.text.toUpperCase())) throw this.fail()
    const steps: PathStep[] = []
    for (;;) {
      if (this.isPunct('.')) {
        this.next()
        const s = this.next()
        if (s.kind !== 'ident' && s.kind !== 'qident') throw this.fail()
        steps.push({ name: s.text })
      } else if (this.isPunct('[')) {
        this.next()
        const s = this.next()
        if (s.kind === 'number' && /^\d+$/.test(s.text)) steps.push({ index: Number(s.text) })
        else if (s.kind === 'string') steps.push({ name: s.text })
        else throw this.fail()
        this.punct(']')
      } else break
    }
    return { k: 'path', root: t.text, steps, tok: t }
  }

  expr(): Expr {
    // Nesting is bounded (the statement is at most 8192 characters) so a hostile statement cannot exhaust the stack.
    if (++this.depth > MAX_NESTING) throw this.fail()
    try {
      return this.orExpr()
    } finally {
      this.depth--
    }
  }

  private orExpr(): Expr {
    let l = this.andExpr()
    while (this.isWord('OR')) {
      const tok = this.next()
      l = { k: 'or', l, r: this.andExpr(), tok }
    }
    return l
  }

  private andExpr(): Expr {
    let l = this.notExpr()
    while (this.isWord('AND')) {
      const tok = this.next()
      l = { k: 'and', l, r: this.notExpr(), tok }
    }
    return l
  }

  private notExpr(): Expr {
    if (this.isWord('NOT')) {
      const tok = this.next()
      if (++this.depth > MAX_NESTING) throw this.fail()
      const e = this.notExpr()
      this.depth--
      return { k: 'not', e, tok }
    }
    return this.predicate()
  }

  private predicate(): Expr {
    const e = this.additive()
    const t = this.peek
    if (t.kind === 'punct' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next()
      const op = (t.text === '!=' ? '<>' : t.text) as '='
      return { k: 'cmp', op, l: e, r: this.additive(), tok: t }
    }
    const negated =
      this.isWord('NOT') &&
      (this.isWord('IN', this.tokens[this.i + 1]) || this.isWord('BETWEEN', this.tokens[this.i + 1]))
    if (negated) this.next()
    if (this.isWord('IN')) {
      const tok = this.next()
      const list = this.primary()
      const inExpr: Expr = { k: 'in', e, list, tok }
      return negated ? { k: 'not', e: inExpr, tok } : inExpr
    }
    if (this.isWord('BETWEEN')) {
      const tok = this.next()
      const lo = this.additive()
      this.word('AND')
      const between: Expr = { k: 'between', e, lo, hi: this.additive(), tok }
      return negated ? { k: 'not', e: between, tok } : between
    }
    if (this.isWord('IS')) {
      const tok = this.next()
      const not = this.acceptWord('NOT')
      const what = this.acceptWord('MISSING') ? 'MISSING' : this.acceptWord('NULL') ? 'NULL' : undefined
      if (!what) throw this.fail()
      return { k: 'is', e, what, not, tok }
    }
    return e
  }

  private additive(): Expr {
    let l = this.unary()
    while (this.isPunct('+') || this.isPunct('-')) {
      const tok = this.next()
      l = { k: 'arith', op: tok.text as '+' | '-', l, r: this.unary(), tok }
    }
    return l
  }

  private unary(): Expr {
    if (this.isPunct('-')) {
      const tok = this.next()
      if (++this.depth > MAX_NESTING) throw this.fail()
      const e = this.unary()
      this.depth--
      if (e.k === 'number') return { k: 'number', v: e.v.startsWith('-') ? e.v.slice(1) : `-${e.v}`, tok }
      return { k: 'neg', e, tok }
    }
    return this.primary()
  }

  private primary(): Expr {
    if (++this.depth > MAX_NESTING) throw this.fail()
    try {
      return this.primaryInner()
    } finally {
      this.depth--
    }
  }

  private primaryInner(): Expr {
    const t = this.peek
    switch (t.kind) {
      case 'string':
        this.next()
        return { k: 'string', v: t.text, tok: t }
      case 'number':
        this.next()
        return { k: 'number', v: t.text, tok: t }
      case 'param':
        this.next()
        return { k: 'param', i: this.params++, tok: t }
      case 'qident':
        return this.path()
      case 'ident': {
        const upper = t.text.toUpperCase()
        if (upper === 'TRUE' || upper === 'FALSE') {
          this.next()
          return { k: 'bool', v: upper === 'TRUE', tok: t }
        }
        if (upper === 'NULL') {
          this.next()
          return { k: 'null', tok: t }
        }
        if (upper === 'MISSING') {
          this.next()
          return { k: 'missing', tok: t }
        }
        if (this.isPunct('(', this.tokens[this.i + 1])) {
          this.next()
          this.next()
          const args: Expr[] = []
          if (!this.acceptPunct(')')) {
            do args.push(this.additive())
            while (this.acceptPunct(','))
            this.punct(')')
          }
          return { k: 'call', name: t.text, args, tok: t }
        }
        return this.path()
      }
      case 'punct':
        if (t.text === '(') {
          this.next()
          // A parenthesised list (IN ('a', 'b')) or a parenthesised condition.
          const first = this.expr()
          if (this.acceptPunct(',')) {
            const items = [first]
            do items.push(this.additive())
            while (this.acceptPunct(','))
            this.punct(')')
            return { k: 'list', items, tok: t }
          }
          this.punct(')')
          return first
        }
        if (t.text === '[') {
          this.next()
          const items: Expr[] = []
          if (!this.acceptPunct(']')) {
            do items.push(this.additive())
            while (this.acceptPunct(','))
            this.punct(']')
          }
          return { k: 'list', items, tok: t }
        }
        if (t.text === '<<') {
          this.next()
          const items: Expr[] = []
          if (!this.acceptPunct('>>')) {
            do items.push(this.additive())
            while (this.acceptPunct(','))
            this.punct('>>')
          }
          return { k: 'bag', items, tok: t }
        }
        if (t.text === '{') {
          this.next()
          const entries: { key: Expr; value: Expr }[] = []
          if (!this.acceptPunct('}')) {
            do {
              const key = this.additive()
              this.punct(':')
              entries.push({ key, value: this.additive() })
            } while (this.acceptPunct(','))
            this.punct('}')
          }
          return { k: 'tuple', entries, tok: t }
        }
        throw this.fail()
      default:
        throw this.fail()
    }
  }
}

export function parseStatement(statement: string): Parsed {
  const parser = new Parser(statement, tokenize(statement))
  const s = parser.parse()
  return { statement: s, params: parser.params }
}
