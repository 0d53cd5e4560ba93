import { main } from './program'

// The SDK warns on every run that versions from 2027 on need Node 22; our lockfile pins versions that support
// Node 20, so the warning is noise in a CLI's stderr (the README says Node 22 is the way forward).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const keepsRunning = new Set(['web', 'engine'])
const code = await main(process.argv)
if (code !== 0 || !keepsRunning.has(process.argv[2] ?? '')) process.exit(code)
