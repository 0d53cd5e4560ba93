/**
 * A new item's first draft from one of the model's entities: its key attributes composed from the entity's key
 * templates (table and index keys alike) and its declared attributes with an empty value of their type, so a user
 * creating an item by hand starts from the shape the model says the entity has.
 */

import { LosslessNumber } from 'lossless-json'
import { isExactInJs, stringifyExactJson } from './attribute-json'
import { formatKeyTemplate, parseKeyTemplate } from './key-template'
import type { EntitySpec } from './model'

/** The parameters the entity's key templates name, each once, in the order they first appear. */
export function entityParams(entity: Pick<EntitySpec, 'keys'>): string[] {
  const seen: string[] = []
  for (const template of Object.values(entity.keys))
    for (const p of parseKeyTemplate(template).params) if (!seen.includes(p)) seen.push(p)
  return seen
}

/** An empty value of a declared type; undefined where DynamoDB has none (binary and sets cannot be empty). */
function emptyOf(type: string): unknown {
  switch (type) {
    case 'S':
      return ''
    case 'N':
      return 0
    case 'BOOL':
      return false
    case 'M':
      return {}
    case 'L':
      return []
    default:
      return undefined
  }
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/**
 * The draft as plain JSON text. `keyTypes` gives each key attribute's type (from the table's attribute
 * definitions): a number key whose template is exactly one parameter gets the value as a number, digit for digit.
 * Parameters without a value are left as `{name}` in the text, and listed in `missing`.
 */
export function entityItemDraft(
  entity: Pick<EntitySpec, 'keys' | 'attributes'>,
  values: Record<string, string>,
  keyTypes: Record<string, string>,
): { text: string; missing: string[] } {
  const item: Record<string, unknown> = {}
  const missing = entityParams(entity).filter((p) => (values[p] ?? '') === '')
  for (const [attribute, source] of Object.entries(entity.keys)) {
    const template = parseKeyTemplate(source)
    const only = template.segments.length === 1 && template.segments[0]!.kind === 'param'
    const filled: Record<string, string> = {}
    for (const p of template.params) filled[p] = (values[p] ?? '') === '' ? `{${p}}` : values[p]!
    const text = String(formatKeyTemplate(template, filled))
    item[attribute] =
      keyTypes[attribute] === 'N' && only && NUMBER.test(text)
        ? isExactInJs(text)
          ? Number(text)
          : new LosslessNumber(text)
        : text
  }
  for (const a of entity.attributes ?? []) {
    if (a.name in item) continue
    const empty = emptyOf(a.type)
    if (empty !== undefined) item[a.name] = empty
  }
  return { text: stringifyExactJson(item, 2), missing }
}
