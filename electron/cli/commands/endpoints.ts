// Imported by the `engine` bundle entry too: keep this module free of services and SDK imports.

/** DynamoDB Local's default port, and `tablewright engine`'s. */
export const DEFAULT_ENDPOINT = 'http://localhost:8000'
export const DEFAULT_REGION = 'us-east-1'
