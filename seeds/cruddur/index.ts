import path from 'node:path'
import { fileURLToPath } from 'node:url'

export {
  CRUDDUR_USERS,
  GROUP_ANDREW_BAYKO,
  GROUP_ANDREW_LONDO,
  buildCruddurItems,
  type CruddurUser,
} from './data'

/** Path of the committed Cruddur model (its sample items sit beside it in items.json). */
export const CRUDDUR_MODEL_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'model.json')
export const CRUDDUR_TABLE = 'cruddur-messages'
export const CRUDDUR_GSI = 'message-group-sk-index'
