import { main } from './program'

const keepsRunning = new Set(['web', 'engine'])
const code = await main(process.argv)
if (code !== 0 || !keepsRunning.has(process.argv[2] ?? '')) process.exit(code)
