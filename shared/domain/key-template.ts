/**
 * Key templates such as `ORDER#{order_id}`: literal text with `{name}` placeholders. One template
 * describes how an entity's key attribute is composed, so the same text drives formatting a key, recognising
 * which entity an item belongs to, and pulling the parameters back out of a stored key.
 */

import type { LosslessNumber } from 'lossless-json'

export type TemplateSegment = { kind: 'literal'; text: string } | { kind: 'param'; name: string }

export interface KeyTemplate {
  source: string
  segments: TemplateSegment[]
  params: string[]
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export class KeyTemplateError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KeyTemplateError'
  }
}

const cache = new Map<string, KeyTemplate>()

export function parseKeyTemplate(source: string): KeyTemplate {
  const cached = cache.get(source)
  if (cached) return cached
  const segments: TemplateSegment[] = []
  let i = 0
  let literal = ''
  while (i < source.length) {
    const ch = source[i]!
    if (ch === '{') {
      const end = source.indexOf('}', i)
      if (end < 0) throw new KeyTemplateError(`unclosed "{" at ${i} in template "${source}"`)
      const name = source.slice(i + 1, end)
      if (!PARAM_NAME.test(name))
        throw new KeyTemplateError(`bad parameter name "${name}" in template "${source}"`)
      const prev = segments[segments.length - 1]
      if (!literal && prev?.kind === 'param') {
        // Two adjacent parameters cannot be told apart when matching a stored key.
        throw new KeyTemplateError(
          `parameters {${prev.name}}{${name}} need a literal between them in "${source}"`,
        )
      }
      if (literal) segments.push({ kind: 'literal', text: literal })
      literal = ''
      segments.push({ kind: 'param', name })
      i = end + 1
    } else if (ch === '}') {
      throw new KeyTemplateError(`unexpected "}" at ${i} in template "${source}"`)
    } else {
      literal += ch
      i++
    }
  }
  if (literal) segments.push({ kind: 'literal', text: literal })
  const params = segments.flatMap((s) => (s.kind === 'param' ? [s.name] : []))
  const template = { source, segments, params }
  cache.set(source, template)
  return template
}

/** A LosslessNumber is a number beyond JS precision (see attribute-json). */
export type TemplateValues = Record<string, string | number | LosslessNumber | undefined>

/** Fills a template. A template that is exactly one `{param}` keeps a number value as a number. */
export function formatKeyTemplate(
  template: string | KeyTemplate,
  values: TemplateValues,
): string | number | LosslessNumber {
  const t = typeof template === 'string' ? parseKeyTemplate(template) : template
  const only = t.segments.length === 1 ? t.segments[0] : undefined
  if (only?.kind === 'param') {
    const v = values[only.name]
    if (v === undefined) throw new KeyTemplateError(`missing value for {${only.name}} in "${t.source}"`)
    return v
  }
  return t.segments
    .map((s) => {
      if (s.kind === 'literal') return s.text
      const v = values[s.name]
      if (v === undefined) throw new KeyTemplateError(`missing value for {${s.name}} in "${t.source}"`)
      return String(v)
    })
    .join('')
}

/** A template's literal text before its first parameter: what a `begins_with` on that attribute can use. */
export function templatePrefix(template: string | KeyTemplate): string {
  const t = typeof template === 'string' ? parseKeyTemplate(template) : template
  const first = t.segments[0]
  return first?.kind === 'literal' ? first.text : ''
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Extracts the parameters from a stored value, or returns undefined when the value does not fit the template.
 * Parameters match lazily except the last, so `A#{x}#{y}` on `A#1#2#3` gives x=1, y=2#3.
 */
export function matchKeyTemplate(
  template: string | KeyTemplate,
  value: string | number,
): Record<string, string> | undefined {
  const t = typeof template === 'string' ? parseKeyTemplate(template) : template
  const text = String(value)
  const lastParam = t.segments.findLastIndex((s) => s.kind === 'param')
  const pattern = t.segments
    .map((s, i) => (s.kind === 'literal' ? escapeRegex(s.text) : i === lastParam ? '(.+)' : '(.+?)'))
    .join('')
  const m = new RegExp(`^${pattern}$`, 's').exec(text)
  if (!m) return undefined
  const out: Record<string, string> = {}
  t.params.forEach((name, i) => {
    out[name] = m[i + 1] ?? ''
  })
  return out
}

/** Entity key templates: attribute name → template (for example `{ pk: 'CUST#{customer_id}', sk: 'ORDER#{created_at}' }`). */
export type EntityKeys = Record<string, string>

/**
 * Matches an item against an entity's key templates; returns the extracted parameters when every key
 * attribute is present and fits, else undefined. A template with no literal (`{created_at}`) fits anything,
 * so entities are told apart by their literal prefixes.
 */
export function matchEntityKeys(
  keys: EntityKeys,
  item: Record<string, unknown>,
): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  for (const [attr, template] of Object.entries(keys)) {
    const value = item[attr]
    if (typeof value !== 'string' && typeof value !== 'number') return undefined
    const found = matchKeyTemplate(template, value)
    if (!found) return undefined
    Object.assign(params, found)
  }
  return params
}

/** The literal characters of all templates: the more literal text, the more specific an entity. */
export function entitySpecificity(keys: EntityKeys): number {
  return Object.values(keys).reduce(
    (n, tpl) =>
      n + parseKeyTemplate(tpl).segments.reduce((m, s) => m + (s.kind === 'literal' ? s.text.length : 0), 0),
    0,
  )
}
