import type { ConnectionKind } from '../../../shared/contract/channels/connections'

/** How each kind of connection is named in the UI. */
export const KIND_LABEL: Record<ConnectionKind, string> = {
  embedded: 'Embedded',
  'dynamodb-local': 'DynamoDB Local',
  aws: 'AWS',
  custom: 'Custom endpoint',
}
