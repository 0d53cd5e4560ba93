/**
 * Code for a DynamoDB request in three dialects: TypeScript (AWS SDK v3), Python (boto3) and the AWS CLI. The request
 * is the low-level input (AttributeValue maps), exactly as the workbench sent it, so every dialect says the same thing.
 */
export type Operation =
  | 'Query'
  | 'Scan'
  | 'GetItem'
  | 'PutItem'
  | 'DeleteItem'
  | 'UpdateItem'
  | 'BatchWriteItem'
  | 'TransactWriteItems'
  | 'ExecuteStatement'

const CLI_NAMES: Record<Operation, string> = {
  Query: 'query',
  Scan: 'scan',
  GetItem: 'get-item',
  PutItem: 'put-item',
  DeleteItem: 'delete-item',
  UpdateItem: 'update-item',
  BatchWriteItem: 'batch-write-item',
  TransactWriteItems: 'transact-write-items',
  ExecuteStatement: 'execute-statement',
}

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()

function pythonLiteral(value: unknown, indent = 0): string {
  const pad = '    '.repeat(indent + 1)
  const end = '    '.repeat(indent)
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[\n${value.map((v) => pad + pythonLiteral(v, indent + 1)).join(',\n')},\n${end}]`
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  if (entries.length === 0) return '{}'
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pythonLiteral(v, indent + 1)}`).join(',\n')},\n${end}}`
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

export function toTypeScript(operation: Operation, input: Record<string, unknown>): string {
  const body = JSON.stringify(input, null, 2).replace(/\n/g, '\n')
  return [
    `import { DynamoDBClient, ${operation}Command } from '@aws-sdk/client-dynamodb'`,
    '',
    `const client = new DynamoDBClient({})`,
    `const output = await client.send(new ${operation}Command(${body}))`,
  ].join('\n')
}

export function toPython(operation: Operation, input: Record<string, unknown>): string {
  const args = Object.entries(input)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `    ${k}=${pythonLiteral(v, 1)},`)
  return [
    'import boto3',
    '',
    "client = boto3.client('dynamodb')",
    `response = client.${snake(operation)}(`,
    ...args,
    ')',
  ].join('\n')
}

export function toAwsCli(operation: Operation, input: Record<string, unknown>): string {
  const parts = [`aws dynamodb ${CLI_NAMES[operation]}`]
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue
    const flag = `--${kebab(k)}`
    if (typeof v === 'boolean') {
      // The CLI spells booleans as paired flags, e.g. --scan-index-forward / --no-scan-index-forward.
      parts.push(v ? flag : `--no-${kebab(k)}`)
    } else if (typeof v === 'string' || typeof v === 'number') {
      parts.push(`${flag} ${shellQuote(String(v))}`)
    } else {
      parts.push(`${flag} ${shellQuote(JSON.stringify(v))}`)
    }
  }
  return parts.join(' \\\n  ')
}

export function generateCode(operation: Operation, input: Record<string, unknown>) {
  return {
    typescript: toTypeScript(operation, input),
    python: toPython(operation, input),
    cli: toAwsCli(operation, input),
  }
}
