import { useState, type ReactNode } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useAppStore } from '../../store/store'

export interface DropTarget {
  name: string
  items: number
}

/**
 * The one drop-table flow: ask for the table name typed back, then the store drops it (the host checks `confirm`
 * again), reloads the tables and keeps any failure in `actionError`. `onDropped` runs only after a drop that
 * succeeded.
 */
export function useDropTable(onDropped?: (tableName: string) => Promise<void> | void): {
  requestDrop(target: DropTarget): void
  cancelDrop(): void
  dropDialog: ReactNode
} {
  const dropTable = useAppStore((st) => st.dropTable)
  const [target, setTarget] = useState<DropTarget | undefined>()
  const dropDialog = target ? (
    <ConfirmDialog
      title={`Drop ${target.name}?`}
      body={`This deletes the table and its ${target.items.toLocaleString()} items. It cannot be undone.`}
      expected={target.name}
      actionLabel="Drop table"
      onCancel={() => setTarget(undefined)}
      onConfirm={(typed) => {
        setTarget(undefined)
        void dropTable(target.name, typed).then(async (dropped) => {
          if (dropped) await onDropped?.(target.name)
        })
      }}
    />
  ) : null
  return { requestDrop: setTarget, cancelDrop: () => setTarget(undefined), dropDialog }
}
