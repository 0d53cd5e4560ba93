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
    expect(py).toContain('"KeyConditionExpression"'.replace(/"/g, '') + '="pk = :pk AND begins_with(sk, :year)"')
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
