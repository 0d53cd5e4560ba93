import { writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { formatIssuePath } from '../../../shared/domain/model'
import { WorkbenchError } from '../errors'

/** Every importer's failure: model.invalid, its message naming the file and the field at fault. */
export const fail = (message: string, details?: Record<string, unknown>) =>
  new WorkbenchError('model.invalid', message, details)

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

export const nonEmpty = z.string().min(1)

/** A model index's projection as DynamoDB's requests (and NoSQL Workbench's files) spell it. */
export const projectionRequest = (p: {
  projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'
  nonKeyAttributes?: string[] | undefined
}) =>
  p.nonKeyAttributes
    ? { ProjectionType: p.projectionType, NonKeyAttributes: p.nonKeyAttributes }
    : { ProjectionType: p.projectionType }
export const ProjectionTypeShape = z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE'])
export const ThroughputShape = z.object({ ReadCapacityUnits: z.number(), WriteCapacityUnits: z.number() })
export const StreamViewTypeShape = z.enum(['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'])

/**
 * Checks a file's shape before anything is converted, so a missing or wrong-typed field is a model.invalid naming
 * its path (`prefix` places a nested document, e.g. a CloudFormation resource's Properties, in the file).
 */
export function checkShape<T>(schema: z.ZodType<T>, input: unknown, source: string, prefix = ''): T {
  const r = schema.safeParse(input)
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => {
    const p = formatIssuePath(i.path)
    return {
      path: prefix ? (p === '(root)' ? prefix : `${prefix}${p.startsWith('[') ? '' : '.'}${p}`) : p,
      message: i.message,
    }
  })
  const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`)
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''
  throw fail(`${source}: ${shown.join('; ')}${more}`, { source, issues })
}

/** A model name or parameter name made from free text (a file name, an alias): letters, digits and "_". */
export function identifier(text: string, fallback: string): string {
  const id = text.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1')
  return id || fallback
}

/** Writes an output file; a path that cannot be written is the user's input at fault (input.invalid), not a crash. */
export async function writeTextFile(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, 'utf8')
  } catch (err) {
    throw new WorkbenchError('input.invalid', `cannot write ${file}: ${(err as Error).message}`, { file })
  }
}
