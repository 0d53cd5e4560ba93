import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { accessPatternMatrix, matrixCsv, matrixMarkdown } from './matrix'
import { parseModel, type Model } from './model'

const parsed = parseModel(
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../seeds/cruddur/model.json'), 'utf8')),
)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const cruddur = parsed.model

function withPatterns(model: Model, patterns: unknown[]): Model {
  const r = parseModel({ ...model, recipes: [], accessPatterns: patterns })
  if (!r.ok) throw new Error(JSON.stringify(r.issues))
  return r.model
}

describe('access-pattern matrix', () => {
  test('each Query row splits its key condition into partition key and sort key, in the model words', () => {
    const rows = accessPatternMatrix(cruddur)
    const a = rows.find((r) => r.id === 'A')!
    expect(a).toMatchObject({
      kind: 'pattern',
      table: 'cruddur-messages',
      operation: 'Query',
      partitionKey: 'pk = "MSG#{message_group_uuid}"',
      sortKey: 'begins_with(sk, "{year}")',
      expectations: 'served by Query; ordered by sk desc; at most 20 items',
    })
    expect(a.scan).toBeUndefined()
    // BETWEEN keeps its own AND.
    expect(rows.find((r) => r.id === 'A2')!.sortKey).toBe('sk BETWEEN "{from}" AND "{to}"')
    expect(rows.find((r) => r.id === 'D')).toMatchObject({
      table: 'cruddur-messages / message-group-sk-index',
      partitionKey: 'message_group_uuid = "{message_group_uuid}"',
      sortKey: '',
    })
    expect(rows.find((r) => r.id === 'C')).toMatchObject({
      operation: 'PutItem',
      partitionKey: 'pk = "MSG#{message_group_uuid}"',
      sortKey: 'sk = "{created_at}"',
    })
  })

  test('write recipes follow the patterns, with their steps and conditions', () => {
    const rows = accessPatternMatrix(cruddur)
    expect(rows.map((r) => `${r.kind}:${r.id}`)).toEqual([
      'pattern:A',
      'pattern:A2',
      'pattern:B',
      'pattern:C',
      'pattern:D',
      'recipe:send-message',
      'recipe:start-conversation',
    ])
    expect(rows.at(-1)).toMatchObject({
      operation: 'TransactWriteItems: Put, Put, Put',
      filter: 'attribute_not_exists(pk); attribute_not_exists(pk); attribute_not_exists(pk)',
    })
    expect(rows.at(-2)).toMatchObject({ operation: 'PutItem', expectations: 'carries out pattern C' })
  })

  test('a pattern only a Scan could serve is flagged with the reason', () => {
    const model = withPatterns(cruddur, [
      { id: 'all', name: 'everything', operation: 'Scan', table: 'cruddur-messages' },
      {
        id: 'byText',
        name: 'messages by text',
        operation: 'Query',
        table: 'cruddur-messages',
        keyCondition: 'message = :m',
        values: { ':m': 'hi' },
      },
      {
        id: 'ok',
        name: 'one conversation',
        operation: 'Query',
        table: 'cruddur-messages',
        keyCondition: '#pk = :pk',
        values: { ':pk': 'GRP#1' },
      },
    ])
    const [all, byText, ok] = accessPatternMatrix(model)
    expect(all!.scan).toMatch(/^a Scan reads every item of cruddur-messages; a key condition on pk/)
    expect(byText!.scan).toBe(
      'the key condition fixes no value for pk; message is not a key of cruddur-messages (keys: pk, sk): DynamoDB refuses this Query, and only a Scan with a filter could answer it',
    )
    expect(ok!.scan).toBeUndefined()
    expect(ok!.partitionKey).toBe('pk = "GRP#1"')
  })

  test('Markdown escapes pipes; CSV quotes commas and quotes (RFC 4180)', () => {
    const model = withPatterns(cruddur, [
      {
        id: 'p',
        name: 'a | b, "quoted"',
        operation: 'Query',
        table: 'cruddur-messages',
        keyCondition: 'pk = :pk',
        values: { ':pk': 'X' },
      },
    ])
    const rows = accessPatternMatrix(model)
    const md = matrixMarkdown(rows).split('\n')
    expect(md[0]).toBe(
      '| Pattern | Name | Table / index | Operation | Partition key | Sort key condition | Filter | Parameters | Expectations | Needs a Scan |',
    )
    expect(md[2]).toContain('| a \\| b, "quoted" |')
    const csv = matrixCsv(rows).split('\r\n')
    expect(csv[1]).toBe('p,"a | b, ""quoted""",cruddur-messages,Query,"pk = ""X""",,,,,')
    expect(csv.at(-1)).toBe('')
  })
})
