/**
 * Starting points for a new model. The adjacency list is the single-table pattern of the DynamoDB developer guide
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-adjacency-graphs.html): generic PK/SK keys,
 * one item collection per entity, and an inverted index (GSI1: SK → PK) to walk the relationships backwards.
 */
export const MODEL_TEMPLATES = {
  empty: {
    label: 'Empty (one table, PK/SK)',
    model: {
      name: 'my-model',
      description: 'A new model.',
      tables: [
        {
          name: 'my-table',
          attributeDefinitions: [
            { attributeName: 'PK', attributeType: 'S' },
            { attributeName: 'SK', attributeType: 'S' },
          ],
          keySchema: [
            { attributeName: 'PK', keyType: 'HASH' },
            { attributeName: 'SK', keyType: 'RANGE' },
          ],
          billingMode: 'PAY_PER_REQUEST',
        },
      ],
      entities: [],
      accessPatterns: [],
    },
  },
  adjacency: {
    label: 'Single-table adjacency list',
    model: {
      name: 'adjacency-list',
      description:
        'Users and the groups they belong to in one table: each user and group is an item collection, each membership an edge item, and the inverted index reads the edges from the other side.',
      tables: [
        {
          name: 'app-table',
          attributeDefinitions: [
            { attributeName: 'PK', attributeType: 'S' },
            { attributeName: 'SK', attributeType: 'S' },
          ],
          keySchema: [
            { attributeName: 'PK', keyType: 'HASH' },
            { attributeName: 'SK', keyType: 'RANGE' },
          ],
          globalSecondaryIndexes: [
            {
              indexName: 'GSI1',
              keySchema: [
                { attributeName: 'SK', keyType: 'HASH' },
                { attributeName: 'PK', keyType: 'RANGE' },
              ],
              projection: { projectionType: 'ALL' },
            },
          ],
          billingMode: 'PAY_PER_REQUEST',
        },
      ],
      entities: [
        {
          name: 'User',
          table: 'app-table',
          keys: { PK: 'USER#{user_id}', SK: 'USER#{user_id}' },
          attributes: [{ name: 'name', type: 'S' }],
          colour: '#3b82f6',
        },
        {
          name: 'Group',
          table: 'app-table',
          keys: { PK: 'GROUP#{group_id}', SK: 'GROUP#{group_id}' },
          attributes: [{ name: 'title', type: 'S' }],
          colour: '#10b981',
        },
        {
          name: 'Membership',
          table: 'app-table',
          keys: { PK: 'USER#{user_id}', SK: 'GROUP#{group_id}' },
          attributes: [{ name: 'role', type: 'S' }],
          colour: '#f59e0b',
        },
      ],
      sampleData: {
        items: {
          'app-table': [
            { PK: 'USER#ann', SK: 'USER#ann', name: 'Ann' },
            { PK: 'USER#bob', SK: 'USER#bob', name: 'Bob' },
            { PK: 'GROUP#dev', SK: 'GROUP#dev', title: 'Developers' },
            { PK: 'USER#ann', SK: 'GROUP#dev', role: 'owner' },
            { PK: 'USER#bob', SK: 'GROUP#dev', role: 'member' },
          ],
        },
      },
      accessPatterns: [
        {
          id: 'user-groups',
          name: "A user's groups",
          operation: 'Query',
          table: 'app-table',
          entity: 'Membership',
          params: [{ name: 'user_id', type: 'string', default: 'ann' }],
          keyCondition: 'PK = :pk AND begins_with(SK, :group)',
          values: { ':pk': 'USER#{user_id}', ':group': 'GROUP#' },
          expectations: { servedBy: 'Query' },
        },
        {
          id: 'group-members',
          name: "A group's members",
          operation: 'Query',
          table: 'app-table',
          index: 'GSI1',
          entity: 'Membership',
          params: [{ name: 'group_id', type: 'string', default: 'dev' }],
          keyCondition: 'SK = :sk AND begins_with(PK, :user)',
          values: { ':sk': 'GROUP#{group_id}', ':user': 'USER#' },
          expectations: { servedBy: 'Query' },
        },
      ],
      recipes: [
        {
          id: 'join-group',
          name: 'Join a group',
          description: 'Adds a membership edge, only if the group exists and the user is not a member yet.',
          params: [
            { name: 'user_id', type: 'string' },
            { name: 'group_id', type: 'string' },
            { name: 'role', type: 'string', default: 'member' },
          ],
          mode: 'auto',
          steps: [
            {
              op: 'ConditionCheck',
              table: 'app-table',
              entity: 'Group',
              key: { PK: 'GROUP#{group_id}', SK: 'GROUP#{group_id}' },
              condition: 'attribute_exists(PK)',
            },
            {
              op: 'Put',
              table: 'app-table',
              entity: 'Membership',
              item: { PK: 'USER#{user_id}', SK: 'GROUP#{group_id}', role: '{role}' },
              condition: 'attribute_not_exists(PK)',
            },
          ],
        },
      ],
    },
  },
} as const

export type ModelTemplateId = keyof typeof MODEL_TEMPLATES
