import { describe, expect, it } from 'vitest'
import { generateCode, toAwsCli, toPython, toTypeScript } from './codegen'

const query = {
  TableName: 'cruddur-messages',
  KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
  ExpressionAttributeValues: { ':pk': { S: "MSG#it's" }, ':year': { S: '2026' } },
  ScanIndexForward: false,
  Limit: 20,
}

describe('codegen', () => {
  it('writes an SDK v3 command carrying the exact input', () => {
    const ts = toTypeScript('Query', query)
    expect(ts).toContain('new QueryCommand(')
    const json = ts.slice(ts.indexOf('QueryCommand(') + 'QueryCommand('.length, ts.lastIndexOf('))'))
    expect(JSON.parse(json)).toEqual(query)
  })

  it('writes boto3 keyword arguments with Python literals', () => {
    const py = toPython('Query', query)
    expect(py).toContain('client.query(')
    expect(py).toContain('ScanIndexForward=False')
    expect(py).toContain('Limit=20')
    expect(py).toContain(
      '"KeyConditionExpression"'.replace(/"/g, '') + '="pk = :pk AND begins_with(sk, :year)"',
    )
  })

  it('writes CLI flags, quoting JSON for the shell and pairing boolean flags', () => {
    const cli = toAwsCli('Query', query)
    expect(cli.startsWith('aws dynamodb query')).toBe(true)
    expect(cli).toContain("--table-name 'cruddur-messages'")
    expect(cli).toContain('--no-scan-index-forward')
    expect(cli).toContain(`--expression-attribute-values '{":pk":{"S":"MSG#it'\\''s"}`)
    expect(toAwsCli('Scan', { TableName: 't', ConsistentRead: true })).toContain('--consistent-read')
  })

  it('names each dialect', () => {
    const all = generateCode('GetItem', { TableName: 't', Key: { pk: { S: 'a' } } })
    expect(Object.keys(all)).toEqual(['typescript', 'python', 'cli'])
    expect(all.cli).toContain('get-item')
    expect(all.python).toContain('client.get_item(')
  })
})

describe('codegen with numbers beyond JS precision', () => {
  // 38 significant digits, the smallest and the largest DynamoDB number.
  const numbers = [
    '12345678901234567890.123456789012345678',
    '1E-130',
    '9.9999999999999999999999999999999999999E+125',
  ]
  const put = {
    TableName: 't',
    Item: { pk: { S: 'a' }, big: { N: numbers[0]! }, tiny: { N: numbers[1]! }, huge: { N: numbers[2]! } },
  }

  it('every dialect carries each number digit for digit', () => {
    const code = generateCode('PutItem', put)
    for (const n of numbers)
      for (const dialect of [code.typescript, code.python, code.cli]) expect(dialect).toContain(n)
  })
})
