/**
 * Applying an update program: every SET value is read from the item as it was before the update, then SET, REMOVE,
 * ADD and DELETE apply in that order whatever order the clauses were written in (DynamoDB Local behaves so:
 * "SET l[1] = :x REMOVE l[0]" sets, then removes).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 */
import type { AttributeValue, Item } from '../types'
import { validation } from '../types'
import {
  attributeValuesEqual,
  checkNumberRange,
  cloneAttributeValue,
  cloneItem,
  formatNumber,
  normalizeNumber,
  setAttr,
} from '../values'
import type { DocPath, UpdateProgram, UpdateValue } from './ast'
import { ExactDecimal } from './analyze'
import { getPath } from './evaluate'

export const UPDATE_MESSAGES = {
  missingOperand: 'The provided expression refers to an attribute that does not exist in the item',
  wrongType: 'An operand in the update expression has an incorrect data type',
  invalidPath: 'The document path provided in the update expression is invalid for update',
} as const

/** A path that names nothing; reported as a missing operand, but only after every type error (see applyUpdate). */
const MISSING = Symbol('missing')
type Evaluated = AttributeValue | typeof MISSING

interface EvalState {
  /** A path inside a function (if_not_exists fallback, list_append, + and -) named nothing... */
  functionOperandMissing: boolean
  /** ...and its top-level attribute is absent too (reported before other missing operands and bad paths). */
  functionOperandAbsent: boolean
  /** Report a missing operand at once instead of deferring it. */
  immediate: boolean
}

function evaluateValue(
  v: UpdateValue,
  item: Item,
  st: EvalState,
  inFunction: boolean,
  inFallback = false,
): Evaluated {
  switch (v.kind) {
    case 'value':
      return v.value
    case 'path': {
      const found = getPath(item, v.path)
      if (found !== undefined) return found
      const absent = item[v.path[0] as string] === undefined
      // Under a nested target, an operand that names nothing fails at once, unless its top-level attribute is
      // absent too and it is not an if_not_exists fallback.
      if (st.immediate && (!absent || inFallback)) throw validation(UPDATE_MESSAGES.missingOperand)
      if (inFunction) {
        st.functionOperandMissing = true
        if (absent) st.functionOperandAbsent = true
      }
      return MISSING
    }
    case 'if_not_exists': {
      // The fallback is read even when the attribute exists: if_not_exists(a, missing) fails either way.
      const fallback = evaluateValue(v.fallback, item, st, true, true)
      return getPath(item, v.path) ?? fallback
    }
    case 'list_append': {
      // Operands are read in order and the first problem stops the function: list_append(missing, 3) is a
      // missing operand, list_append(3, missing) a type error.
      const a = evaluateValue(v.left, item, st, true)
      if (a === MISSING) return MISSING
      if (!('L' in a)) throw validation(UPDATE_MESSAGES.wrongType)
      const b = evaluateValue(v.right, item, st, true)
      if (b === MISSING) return MISSING
      if (!('L' in b)) throw validation(UPDATE_MESSAGES.wrongType)
      return { L: [...a.L, ...b.L] }
    }
    case '+':
    case '-': {
      const a = evaluateValue(v.left, item, st, true)
      if (a === MISSING) return MISSING
      if (!('N' in a)) throw validation(UPDATE_MESSAGES.wrongType)
      const b = evaluateValue(v.right, item, st, true)
      if (b === MISSING) return MISSING
      if (!('N' in b)) throw validation(UPDATE_MESSAGES.wrongType)
      const x = new ExactDecimal(a.N)
      const y = new ExactDecimal(b.N)
      return { N: computedNumber(v.kind === '+' ? x.plus(y) : x.minus(y)) }
    }
  }
}

/** The container holding the last element of `path`, or undefined when the path cannot be written. */
function parentOf(item: Item, path: DocPath): AttributeValue | Item | undefined {
  if (path.length === 1) return item
  const parent = getPath(item, path.slice(0, -1))
  if (!parent) return undefined
  const last = path[path.length - 1]!
  if (typeof last === 'number') return 'L' in parent ? parent : undefined
  return 'M' in parent ? parent : undefined
}

function setAt(item: Item, path: DocPath, value: AttributeValue): void {
  const parent = parentOf(item, path)
  if (!parent) throw validation(UPDATE_MESSAGES.invalidPath)
  const last = path[path.length - 1]!
  if (path.length === 1) setAttr(parent as Item, last as string, value)
  else if ('L' in parent && typeof last === 'number') {
    const list = parent.L as AttributeValue[]
    // Past the end appends: DynamoDB does not pad lists.
    if (last < list.length) list[last] = value
    else list.push(value)
  } else if ('M' in parent) setAttr(parent.M as Record<string, AttributeValue>, last as string, value)
}

/**
 * A total order on paths with list indexes ascending: SETs past a list's end then append in index order, as DynamoDB
 * does. The order between unrelated attributes is irrelevant since update paths never overlap.
 */
function pathOrder(a: DocPath, b: DocPath): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x - y
    if (typeof x === 'number') return -1
    if (typeof y === 'number') return 1
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

/**
 * A computed number must fit like a stored one. Magnitude is checked first, as for stored numbers: real DynamoDB
 * lists "Number overflow" among UpdateItem's failures (API_TransactWriteItems, TransactionCanceledException), where
 * DynamoDB Local 3.3.1 reports a result beyond 1E+126 as a precision error (KNOWN-DIFFERENCES.md, expr-number-overflow).
 */
function computedNumber(r: InstanceType<typeof ExactDecimal>): string {
  checkNumberRange(r)
  return formatNumber(r)
}

function addNumbers(a: string, b: string): string {
  return computedNumber(new ExactDecimal(a).plus(new ExactDecimal(b)))
}

function union(existing: string[], added: string[], same: (x: string, y: string) => boolean): string[] {
  const out = [...existing]
  for (const x of added) if (!out.some((y) => same(x, y))) out.push(x)
  return out
}

const sameNumber = (x: string, y: string) => normalizeNumber(x) === normalizeNumber(y)
const sameBinary = (x: string, y: string) => attributeValuesEqual({ B: x }, { B: y })
const sameString = (x: string, y: string) => x === y

function addTo(existing: AttributeValue | undefined, v: AttributeValue): AttributeValue {
  if (existing === undefined) return cloneAttributeValue(v)
  if ('N' in existing && 'N' in v) return { N: addNumbers(existing.N, v.N) }
  if ('SS' in existing && 'SS' in v) return { SS: union(existing.SS, v.SS, sameString) }
  if ('NS' in existing && 'NS' in v) return { NS: union(existing.NS, v.NS, sameNumber) }
  if ('BS' in existing && 'BS' in v) return { BS: union(existing.BS, v.BS, sameBinary) }
  throw validation(UPDATE_MESSAGES.wrongType)
}

/** Returns the remaining set, or undefined when nothing is left (DynamoDB then removes the attribute). */
function deleteFrom(existing: AttributeValue, v: AttributeValue): AttributeValue | undefined {
  let left: AttributeValue
  if ('SS' in existing && 'SS' in v)
    left = { SS: existing.SS.filter((x) => !v.SS.some((y) => sameString(x, y))) }
  else if ('NS' in existing && 'NS' in v)
    left = { NS: existing.NS.filter((x) => !v.NS.some((y) => sameNumber(x, y))) }
  else if ('BS' in existing && 'BS' in v)
    left = { BS: existing.BS.filter((x) => !v.BS.some((y) => sameBinary(x, y))) }
  else throw validation(UPDATE_MESSAGES.wrongType)
  const rest = 'SS' in left ? left.SS : 'NS' in left ? left.NS : (left as { BS: string[] }).BS
  return rest.length ? left : undefined
}

function removeAt(item: Item, path: DocPath): void {
  const parent = parentOf(item, path)
  if (!parent) throw validation(UPDATE_MESSAGES.invalidPath)
  const last = path[path.length - 1]!
  if (path.length === 1) delete (parent as Item)[last as string]
  else if ('L' in parent && typeof last === 'number') {
    const list = parent.L as AttributeValue[]
    if (last < list.length) list.splice(last, 1)
  } else if ('M' in parent) delete (parent.M as Record<string, AttributeValue>)[last as string]
}

/** Removal order: list elements from the highest index down, so indexes refer to the list before the update. */
function removeOrder(a: DocPath, b: DocPath): number {
  return -pathOrder(a, b)
}

/** ADD and DELETE on an attribute of another type fail before anything else is evaluated. */
function checkClauseTypes(u: UpdateProgram, item: Item): void {
  for (const a of u.add) {
    const existing = getPath(item, a.path)
    if (existing === undefined) continue
    const ok =
      ('N' in existing && 'N' in a.value) ||
      ('SS' in existing && 'SS' in a.value) ||
      ('NS' in existing && 'NS' in a.value) ||
      ('BS' in existing && 'BS' in a.value)
    if (!ok) throw validation(UPDATE_MESSAGES.wrongType)
  }
  for (const d of u.delete) {
    const existing = getPath(item, d.path)
    if (existing === undefined) continue
    const ok =
      ('SS' in existing && 'SS' in d.value) ||
      ('NS' in existing && 'NS' in d.value) ||
      ('BS' in existing && 'BS' in d.value)
    if (!ok) throw validation(UPDATE_MESSAGES.wrongType)
  }
}

/**
 * Error precedence, pieced together from DynamoDB Local's answers to updates with several errors
 * (KNOWN-DIFFERENCES.md lists the combinations it does not explain):
 * A. actions on a nested path under an existing attribute, in text order: the target path, then the SET value;
 * B. ADD/DELETE on an attribute of another type;
 * C. the other SET values, in text order: operands of the wrong type (an action whose own target cannot be
 *    written is left for D);
 * D. a function operand under an absent top-level attribute names nothing;
 * E. from the last action written back to the first: a target path that cannot be written, then a missing operand
 *    ("SET a = q.r, q.r = :n" reports the path, "SET q.r = :n, a = q.r" the operand).
 * All SET values are read from the item as it was; SET, ADD and DELETE then apply, and REMOVE last
 * ("REMOVE l[0] ADD l[1] :n" adds to the old l[1]).
 */
export function applyUpdate(u: UpdateProgram, item: Item): Item {
  const targetOf = (a: UpdateProgram['order'][number]): DocPath =>
    a.clause === 'set'
      ? u.set[a.index]!.path
      : a.clause === 'remove'
        ? u.remove[a.index]!
        : (a.clause === 'add' ? u.add : u.delete)[a.index]!.path
  const nestedUnderExisting = (path: DocPath) => path.length > 1 && item[path[0] as string] !== undefined
  const values: Evaluated[] = new Array<Evaluated>(u.set.length)
  const pending: { missing: boolean; absent: boolean; badTarget: boolean }[] = []
  // A
  for (const a of u.order) {
    const path = targetOf(a)
    if (!nestedUnderExisting(path)) continue
    if (!parentOf(item, path)) throw validation(UPDATE_MESSAGES.invalidPath)
    if (a.clause === 'set') {
      const st: EvalState = { functionOperandMissing: false, functionOperandAbsent: false, immediate: true }
      values[a.index] = evaluateValue(u.set[a.index]!.value, item, st, false)
      pending[a.index] = {
        missing: values[a.index] === MISSING || st.functionOperandMissing,
        absent: st.functionOperandAbsent,
        badTarget: false,
      }
    }
  }
  // B
  checkClauseTypes(u, item)
  // C
  for (const [i, s] of u.set.entries()) {
    if (nestedUnderExisting(s.path)) continue
    const badTarget = !parentOf(item, s.path)
    const st: EvalState = { functionOperandMissing: false, functionOperandAbsent: false, immediate: false }
    if (!badTarget) values[i] = evaluateValue(s.value, item, st, false)
    pending[i] = {
      missing: values[i] === MISSING || st.functionOperandMissing,
      absent: st.functionOperandAbsent,
      badTarget,
    }
  }
  // D
  if (pending.some((p) => p?.absent && !p.badTarget)) throw validation(UPDATE_MESSAGES.missingOperand)
  // E
  for (let i = u.order.length - 1; i >= 0; i--) {
    const a = u.order[i]!
    const path = targetOf(a)
    if (!nestedUnderExisting(path) && !parentOf(item, path)) throw validation(UPDATE_MESSAGES.invalidPath)
    if (a.clause === 'set' && pending[a.index]?.missing) throw validation(UPDATE_MESSAGES.missingOperand)
  }
  const out = cloneItem(item)
  const sets = u.set.map((s, i) => ({
    path: s.path,
    value: cloneAttributeValue(values[i] as AttributeValue),
  }))
  for (const s of sets.sort((a, b) => pathOrder(a.path, b.path))) setAt(out, s.path, s.value)
  for (const a of u.add) setAt(out, a.path, addTo(getPath(out, a.path), a.value))
  for (const d of u.delete) {
    const existing = getPath(out, d.path)
    if (existing === undefined) continue
    const left = deleteFrom(existing, d.value)
    if (left) setAt(out, d.path, left)
    else removeAt(out, d.path)
  }
  for (const path of [...u.remove].sort(removeOrder)) removeAt(out, path)
  return out
}

/** Top-level attribute names an update writes (for ReturnValues UPDATED_OLD / UPDATED_NEW and key checks). */
export function updatedAttributeNames(u: UpdateProgram): string[] {
  const names = new Set<string>()
  for (const s of u.set) names.add(s.path[0] as string)
  for (const p of u.remove) names.add(p[0] as string)
  for (const a of u.add) names.add(a.path[0] as string)
  for (const d of u.delete) names.add(d.path[0] as string)
  return [...names]
}
