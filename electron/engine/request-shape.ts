import { DynamoError, jsonToken, readBoolean, validation, wrongJsonType } from './types'

/**
 * Wire-type checks of request members. DynamoDB answers a member of the wrong JSON type with a
 * SerializationException before any validation, and ignores members it does not know.
 */
const serialization = (message: string) => new DynamoError('SerializationException', message)

export type Req = Record<string, unknown>

export function asRequest(request: unknown): Req {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw serialization('Start of structure or map found where not expected')
  }
  return request as Req
}

export function optString(req: Req, name: string): string | undefined {
  const v = req[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw wrongJsonType(v, 'String')
  return v
}

export function reqString(req: Req, name: string, message?: string): string {
  const v = optString(req, name)
  if (v === undefined) {
    throw validation(
      message ??
        `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    )
  }
  return v
}

export function optInt(req: Req, name: string): number | undefined {
  const v = req[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongJsonType(v, 'Integer')
  // DynamoDB's reader truncates a fractional integer member (Limit 1.5 reads as 1), as DynamoDB Local does.
  return Math.floor(v)
}

export function optNumber(req: Req, name: string): number | undefined {
  const v = req[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongJsonType(v, 'Long')
  return Math.floor(v)
}

export function optBool(req: Req, name: string): boolean | undefined {
  const v = req[name]
  if (v === undefined || v === null) return undefined
  return readBoolean(v)
}

export function optObject(req: Req, name: string): Req | undefined {
  const v = req[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v))
    throw serialization(`${jsonToken(v)} cannot be converted to a structure`)
  return v as Req
}

export function optArray(req: Req, name: string): unknown[] | undefined {
  const v = req[name]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw serialization(`${jsonToken(v)} cannot be converted to a list`)
  return v
}

export function asObject(v: unknown, what: string): Req {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw serialization(`Unexpected value type in payload: ${what}`)
  return v as Req
}

export function optStringMap(req: Req, name: string): Record<string, string> | undefined {
  const m = optObject(req, name)
  if (!m) return undefined
  for (const k in m) if (typeof m[k] !== 'string') throw wrongJsonType(m[k], 'String')
  return m as Record<string, string>
}

export function optStringList(req: Req, name: string): string[] | undefined {
  const a = optArray(req, name)
  if (!a) return undefined
  for (const x of a) if (typeof x !== 'string') throw wrongJsonType(x, 'String')
  return a as string[]
}

/** Enum member check, worded as DynamoDB's constraint message. */
export function optEnum<T extends string>(req: Req, name: string, allowed: readonly T[]): T | undefined {
  const v = optString(req, name)
  if (v === undefined) return undefined
  if (!(allowed as readonly string[]).includes(v)) {
    throw validation(
      `1 validation error detected: Value '${v}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    )
  }
  return v as T
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1)
}

/** DynamoDB's table and index name rule. */
export function checkTableName(name: string, member = 'tableName'): void {
  const errors: string[] = []
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) {
    errors.push(
      `Value '${name}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
    )
  }
  if (name.length < 3)
    errors.push(
      `Value '${name}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 3`,
    )
  if (name.length > 255)
    errors.push(
      `Value '${name}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to 255`,
    )
  if (errors.length > 0)
    throw validation(
      `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`,
    )
}
