/**
 * Tokenizer shared by the condition, update, projection and key-condition parsers. Tokens keep their offsets so a
 * syntax error can quote the text around the offending token exactly as DynamoDB does.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */
import { validation } from '../types'

export type TokenKind =
  | 'ident' // bare attribute name, keyword or function name
  | 'name' // #placeholder
  | 'value' // :placeholder
  | 'number' // list index
  | 'punct'
  | 'invalid'
  | 'eof'

export interface Token {
  kind: TokenKind
  text: string
  start: number
  end: number
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
const isDigit = (c: number) => c >= 48 && c <= 57
const isWordChar = (c: number) => isLetter(c) || isDigit(c) || c === 95
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13

export function tokenize(input: string): Token[] {
  const tokens: Token[] = []
  const n = input.length
  let i = 0
  while (i < n) {
    const c = input.charCodeAt(i)
    if (isSpace(c)) {
      i++
      continue
    }
    const start = i
    if (isLetter(c)) {
      i++
      while (i < n && isWordChar(input.charCodeAt(i))) i++
      tokens.push({ kind: 'ident', text: input.slice(start, i), start, end: i })
    } else if ((c === 35 || c === 58) && i + 1 < n && isWordChar(input.charCodeAt(i + 1))) {
      // #name or :value
      i += 2
      while (i < n && isWordChar(input.charCodeAt(i))) i++
      tokens.push({ kind: c === 35 ? 'name' : 'value', text: input.slice(start, i), start, end: i })
    } else if (isDigit(c)) {
      // "01" lexes as "0" then "1": an index is 0 or has no leading zero.
      i++
      if (c !== 48) while (i < n && isDigit(input.charCodeAt(i))) i++
      tokens.push({ kind: 'number', text: input.slice(start, i), start, end: i })
    } else {
      const two = input.slice(i, i + 2)
      if (two === '<=' || two === '>=' || two === '<>') {
        i += 2
        tokens.push({ kind: 'punct', text: two, start, end: i })
      } else {
        // One token per UTF-16 unit, as DynamoDB: a character outside the BMP is quoted by its first half.
        i++
        const ch = input[start]!
        const kind = '()[],.=<>+-'.includes(ch) ? 'punct' : 'invalid'
        tokens.push({ kind, text: ch, start, end: i })
      }
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: n, end: n })
  return tokens
}

/** A syntax error carrying where it happened, so the caller can pick the furthest one when backtracking. */
export class SyntaxErrorAt {
  constructor(readonly index: number) {}
}

/**
 * DynamoDB's syntax-error text: the offending token, and the source from the start of the token before it to the end
 * of the token after it.
 */
export function syntaxErrorMessage(input: string, tokens: Token[], index: number): string {
  const tok = tokens[index]!
  const prev = index > 0 ? tokens[index - 1]! : undefined
  const next = tokens[index + 1]
  const from = prev ? prev.start : 0
  const to = !next || next.kind === 'eof' ? input.length : next.end
  return `Syntax error; token: "${tok.text}", near: "${input.slice(from, to)}"`
}

export function syntaxError(exprName: string, input: string, tokens: Token[], index: number) {
  return validation(`Invalid ${exprName}: ${syntaxErrorMessage(input, tokens, index)}`)
}
