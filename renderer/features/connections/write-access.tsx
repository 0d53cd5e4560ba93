import { useState, type ReactNode } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ConnectionView, WriteAccessPreview } from '../../../shared/contract/channels/connections'
import { call } from '../../bridge/bridge'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorNote } from '../../components/ErrorNote'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'

/** The active connection, and whether it refuses writes (an AWS connection until writes are allowed). */
export function useActiveConnection(): { connection: ConnectionView | undefined; readOnly: boolean } {
  return useAppStore(
    useShallow((st) => {
      const connection = st.connections.find((c) => c.id === st.activeConnectionId)
      return { connection, readOnly: connection?.readOnly ?? false }
    }),
  )
}

const ACCOUNT_SOURCE: Record<WriteAccessPreview['accountSource'], string> = {
  sts: 'from STS GetCallerIdentity',
  'table-arn': "from a table's ARN",
  none: 'unknown',
}

/**
 * The allow-writes flow: ask the services what writes would open (account, region), show it, and have the user
 * type `<account>/<region>` back; the services check the typed text again. Errors stay in `allowError`.
 */
export function useAllowWrites(): {
  requestAllow(): void
  allowDialog: ReactNode
  allowError?: UiError
  checking: boolean
} {
  const { allowWrites, activeConnectionId } = useAppStore(
    useShallow((st) => ({ allowWrites: st.allowWrites, activeConnectionId: st.activeConnectionId })),
  )
  const [preview, setPreview] = useState<WriteAccessPreview | undefined>()
  const [allowError, setAllowError] = useState<UiError | undefined>()
  const [checking, setChecking] = useState(false)
  const requestAllow = () => {
    if (!activeConnectionId) return
    setAllowError(undefined)
    setChecking(true)
    call('connections:writeAccess', { connectionId: activeConnectionId })
      .then((p) => {
        if (useAppStore.getState().activeConnectionId === p.connectionId) setPreview(p)
      })
      .catch((e: unknown) => setAllowError(toUiError(e)))
      .finally(() => setChecking(false))
  }
  const allowDialog = preview ? (
    <ConfirmDialog
      title={`Allow writes on ${preview.name}?`}
      body={
        <>
          <p>
            Every save, seed, drop and message from here on changes this AWS account until you go back to
            read-only.
          </p>
          <dl className="facts" aria-label="What writes would change">
            <dt>Account</dt>
            <dd>
              <code aria-label="account">{preview.account ?? 'unknown'}</code>{' '}
              <span className="muted small">({ACCOUNT_SOURCE[preview.accountSource]})</span>
            </dd>
            <dt>Region</dt>
            <dd>
              <code aria-label="region">{preview.region}</code>
            </dd>
          </dl>
          {preview.note ? <p className="muted small">{preview.note}</p> : null}
        </>
      }
      expected={preview.expected}
      actionLabel="Allow writes"
      onCancel={() => setPreview(undefined)}
      onConfirm={(typed) => {
        setPreview(undefined)
        allowWrites(true, typed).catch((e: unknown) => setAllowError(toUiError(e)))
      }}
    />
  ) : null
  return { requestAllow, allowDialog, allowError, checking }
}

/** Why a write button is off, placed next to it (and linked with aria-describedby), with the way to turn writes on. */
export function ReadOnlyReason({ id, what }: { id: string; what: string }) {
  const { connection, readOnly } = useActiveConnection()
  const { requestAllow, allowDialog, allowError, checking } = useAllowWrites()
  if (!readOnly) return null
  return (
    <span className="readonly-reason small">
      <span id={id}>
        Read-only: {connection?.name} is an AWS connection. Off until you allow writes: {what}.
      </span>{' '}
      <button type="button" className="subtle" disabled={checking} onClick={requestAllow}>
        Allow writes…
      </button>
      {allowError ? <ErrorNote error={allowError} /> : null}
      {allowDialog}
    </span>
  )
}

/** While writes are on for an AWS connection: a banner in its colour, on every screen, with the one-click way back. */
export function WritesBanner() {
  const { connection } = useActiveConnection()
  const allowWrites = useAppStore((st) => st.allowWrites)
  const [error, setError] = useState<UiError | undefined>()
  if (!connection || connection.kind !== 'aws' || connection.readOnly) return null
  const colour = connection.color ?? '#dc2626'
  return (
    <div
      role="region"
      aria-label="Writes allowed"
      className="writes-banner"
      style={{ background: colour, color: readableOn(colour) }}
    >
      <strong>Writes are on</strong>
      <span>
        {connection.name}: AWS account {connection.account ?? '(unknown)'}, {connection.region}. Saves, seeds,
        drops and recipes change it.
      </span>
      <span className="grow" />
      <button type="button" onClick={() => allowWrites(false).catch((e: unknown) => setError(toUiError(e)))}>
        Back to read-only
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </div>
  )
}

/** Black or white text, whichever reads better on the connection's colour (WCAG relative luminance). */
export function readableOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
  return luminance > 0.179 ? '#000000' : '#ffffff'
}
