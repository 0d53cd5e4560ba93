import { useEffect, useId, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { FlowStep } from '../../../shared/contract/channels/workbench'
import { displayValue } from '../../../shared/domain/attribute-json'
import { diffItems } from '../../../shared/domain/diff'
import { CodeBlock, pretty } from '../../components/JsonBlock'
import { ErrorNote } from '../../components/ErrorNote'
import { useAppStore } from '../../store/store'
import { ReadOnlyReason, useActiveConnection } from '../connections/write-access'
import { SampleButton } from '../shell/EmptyStates'

const STEP_LABEL: Record<FlowStep['kind'], string> = {
  'put-message': 'PutItem',
  'stream-record': 'Stream record',
  'gsi-query': 'GSI query',
  'delete-row': 'DeleteItem',
  'put-row': 'PutItem',
  skip: 'Skipped',
  transaction: 'Transaction',
  'handler-log': 'Handler log',
}

/** Send a message and watch pattern D ripple through the table, step by step. */
export function Messages() {
  const s = useAppStore(
    useShallow((st) => ({
      participants: st.participants,
      participantsError: st.participantsError,
      draft: st.draft,
      flow: st.flow,
      flowShown: st.flowShown,
      recordsProcessed: st.recordsProcessed,
      busy: st.messageBusy,
      error: st.messageError,
      random: st.randomResult,
      tablesCount: st.tables.length,
    })),
  )
  const { setDraft, sendMessage, sendRandom, showSteps, loadParticipants, setTab } = useAppStore.getState()
  const ids = { from: useId(), to: useId(), group: useId(), text: useId(), count: useId(), readOnly: useId() }
  const { readOnly } = useActiveConnection()
  const describedBy = readOnly ? ids.readOnly : undefined
  const [count, setCount] = useState('25')
  const [playing, setPlaying] = useState(false)

  useEffect(() => {
    void loadParticipants()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per mount
  }, [])

  const total = s.flow?.steps.length ?? 0
  const isPlaying = playing && s.flowShown < total
  useEffect(() => {
    if (!isPlaying) return
    // A visual pace for the replay of steps that already happened; nothing waits on it.
    const t = setTimeout(() => showSteps(s.flowShown + 1), 700)
    return () => clearTimeout(t)
  }, [isPlaying, s.flowShown, showSteps])

  const users = s.participants?.users ?? []
  const sender = users.find((u) => u.handle === s.draft.fromHandle)
  const groups = (s.participants?.groups ?? []).filter((g) => !sender || g.ownerUuid === sender.uuid)
  const canSend =
    Boolean(s.draft.fromHandle && s.draft.text.trim()) &&
    (s.draft.mode === 'existing' ? Boolean(s.draft.groupUuid) : Boolean(s.draft.toHandle)) &&
    !s.busy &&
    !readOnly

  return (
    <section aria-label="Messages and stream" className="messages">
      {s.tablesCount === 0 ? (
        <div className="empty-state">
          <p>No tables yet — load the model's sample to send messages.</p>
          <SampleButton />
        </div>
      ) : null}
      {s.participantsError ? (
        <ErrorNote error={s.participantsError} hint="Load the model's sample, then come back." />
      ) : null}
      <div className="messages-layout">
        <form
          aria-label="Send a message"
          className="compose"
          onSubmit={(e) => {
            e.preventDefault()
            if (canSend) void sendMessage()
          }}
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && canSend) {
              e.preventDefault()
              void sendMessage()
            }
          }}
        >
          <h2>Send a message</h2>
          <div className="field-row">
            <label htmlFor={ids.from}>Sender</label>
            <select
              id={ids.from}
              value={s.draft.fromHandle}
              onChange={(e) => setDraft({ fromHandle: e.target.value, groupUuid: '' })}
            >
              <option value="">Choose a sender…</option>
              {users.map((u) => (
                <option key={u.uuid} value={u.handle}>
                  @{u.handle} ({u.displayName})
                </option>
              ))}
            </select>
          </div>
          <fieldset className="inline">
            <legend>To</legend>
            <label>
              <input
                type="radio"
                name="mode"
                checked={s.draft.mode === 'existing'}
                onChange={() => setDraft({ mode: 'existing' })}
              />{' '}
              An existing conversation
            </label>
            <label>
              <input
                type="radio"
                name="mode"
                checked={s.draft.mode === 'new'}
                onChange={() => setDraft({ mode: 'new' })}
              />{' '}
              A receiver
            </label>
          </fieldset>
          {s.draft.mode === 'existing' ? (
            <div className="field-row">
              <label htmlFor={ids.group}>Conversation</label>
              <select
                id={ids.group}
                value={s.draft.groupUuid}
                onChange={(e) => setDraft({ groupUuid: e.target.value })}
              >
                <option value="">{sender ? 'Choose a conversation…' : 'Choose a sender first'}</option>
                {groups.map((g) => (
                  <option key={`${g.ownerUuid}-${g.uuid}`} value={g.uuid}>
                    with @{g.otherHandle} — “{g.lastMessage.slice(0, 40)}”
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <div className="field-row">
              <label htmlFor={ids.to}>Receiver</label>
              <select
                id={ids.to}
                value={s.draft.toHandle}
                onChange={(e) => setDraft({ toHandle: e.target.value })}
              >
                <option value="">Choose a receiver…</option>
                {users
                  .filter((u) => u.handle !== s.draft.fromHandle)
                  .map((u) => (
                    <option key={u.uuid} value={u.handle}>
                      @{u.handle} ({u.displayName})
                    </option>
                  ))}
              </select>
            </div>
          )}
          <div className="field-row">
            <label htmlFor={ids.text}>Message</label>
            <textarea
              id={ids.text}
              rows={3}
              value={s.draft.text}
              onChange={(e) => setDraft({ text: e.target.value })}
            />
          </div>
          <button
            type="submit"
            className="primary"
            disabled={!canSend}
            aria-describedby={describedBy}
            title="Ctrl+Enter"
          >
            Send message
          </button>
          <ReadOnlyReason id={ids.readOnly} what="sending messages and replaying stream records" />
          {s.busy ? (
            <span role="status" className="muted small">
              {' '}
              {s.busy}
            </span>
          ) : null}
          {s.error ? (
            <ErrorNote error={s.error} hint="What you typed is kept; fix it and send again." />
          ) : null}

          <hr />
          <h3>Verification</h3>
          <div className="field-row inline">
            <label htmlFor={ids.count}>Random messages</label>
            <input
              id={ids.count}
              type="number"
              min={1}
              max={1000}
              value={count}
              onChange={(e) => setCount(e.target.value)}
            />
            <button
              type="button"
              disabled={Boolean(s.busy) || !(Number(count) >= 1) || readOnly}
              aria-describedby={describedBy}
              onClick={() => void sendRandom(Number(count))}
            >
              Send {count} random messages
            </button>
          </div>
          {s.random ? (
            <div
              role="status"
              aria-label="Verification result"
              className={s.random.wrong.length ? 'bad' : 'ok'}
            >
              Sent {s.random.sent} messages; {s.random.recordsProcessed} stream records processed; checked{' '}
              {s.random.conversationsChecked} conversation rows in {(s.random.durationMs / 1000).toFixed(1)}{' '}
              s:{' '}
              {s.random.wrong.length === 0
                ? "every conversation's last message is correct."
                : `${s.random.wrong.length} conversation rows are wrong.`}
              {s.random.wrong.length ? (
                <ul>
                  {s.random.wrong.map((w) => (
                    <li key={w.pk}>
                      {w.pk}: expected “{w.expected}”, found “{w.actual}”
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
        </form>

        <section aria-label="Timeline" className="timeline">
          <div className="toolbar">
            <h2 className="grow">{s.flow ? s.flow.title : 'Timeline'}</h2>
            <span aria-label="Records processed">Records processed: {s.recordsProcessed}</span>
          </div>
          {!s.flow ? (
            <p className="muted">
              Send a message to see its PutItem, the stream record, the handler's GSI query and the
              conversation rows it moves.
            </p>
          ) : (
            <>
              <div className="toolbar">
                <button
                  type="button"
                  onClick={() => {
                    if (isPlaying) return setPlaying(false)
                    if (s.flowShown >= total) showSteps(1)
                    setPlaying(true)
                  }}
                >
                  {isPlaying ? 'Pause' : 'Play'}
                </button>
                <button type="button" disabled={s.flowShown <= 1} onClick={() => showSteps(s.flowShown - 1)}>
                  Previous step
                </button>
                <button
                  type="button"
                  disabled={s.flowShown >= total}
                  onClick={() => showSteps(s.flowShown + 1)}
                >
                  Next step
                </button>
                <button type="button" disabled={s.flowShown >= total} onClick={() => showSteps(total)}>
                  Show all steps
                </button>
                <span className="muted small">
                  Step {s.flowShown} of {total}
                  {s.flow.mode
                    ? ` · handler ran ${s.flow.mode === 'stream' ? 'from the stream' : 'in-process'}`
                    : ''}
                </span>
                <span className="grow" />
                <button type="button" onClick={() => setTab('visualizer')}>
                  Show in visualizer
                </button>
              </div>
              <ol aria-label="Steps" className="steps">
                {s.flow.steps.slice(0, s.flowShown).map((step, i) => (
                  <StepView key={i} step={step} n={i + 1} />
                ))}
              </ol>
            </>
          )}
        </section>
      </div>
    </section>
  )
}

function sequenceNumberOf(record: Record<string, unknown> | undefined): string | undefined {
  if (!record) return undefined
  const direct = record.SequenceNumber ?? record.sequenceNumber
  if (typeof direct === 'string') return direct
  const ddb = record.dynamodb as Record<string, unknown> | undefined
  const nested = ddb?.SequenceNumber
  return typeof nested === 'string' ? nested : undefined
}

function StepView({ step, n }: { step: FlowStep; n: number }) {
  const replay = useAppStore((st) => st.replay)
  const inspect = useAppStore((st) => st.inspect)
  const busy = useAppStore((st) => Boolean(st.messageBusy))
  const { readOnly } = useActiveConnection()
  const diff = step.before || step.after ? diffItems(step.before, step.after) : undefined
  const seq = step.kind === 'stream-record' ? sequenceNumberOf(step.record) : undefined
  return (
    <li className={`step step-${step.kind}`} aria-label={`Step ${n}: ${step.title}`}>
      <div className="step-head">
        <span className="badge neutral">{STEP_LABEL[step.kind]}</span> <strong>{step.title}</strong>
        <button
          type="button"
          className="subtle"
          onClick={() => inspect({ title: `Step ${n}: ${STEP_LABEL[step.kind]}`, value: step })}
        >
          Inspect
        </button>
        {seq ? (
          <button
            type="button"
            className="subtle"
            disabled={busy || readOnly}
            title={readOnly ? 'Read-only connection: allow writes to replay' : undefined}
            onClick={() => void replay(seq)}
          >
            Replay this record
          </button>
        ) : null}
      </div>
      {step.detail ? <p className="small muted">{step.detail}</p> : null}
      {diff && diff.changes.length ? (
        <table className="grid diff" aria-label={`Step ${n} changes`}>
          <thead>
            <tr>
              <th scope="col">Attribute</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.changes.map((c) => (
              <tr key={c.attribute} className={`chg-${c.kind}`}>
                <th scope="row">{c.attribute}</th>
                <td>{displayValue(c.before, 60)}</td>
                <td>{displayValue(c.after, 60)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {step.request ? (
        <details>
          <summary>Request</summary>
          <CodeBlock code={pretty(step.request)} label={`Step ${n} request`} />
        </details>
      ) : null}
      {step.record ? (
        <details open={step.kind === 'stream-record'}>
          <summary>Stream record</summary>
          <CodeBlock code={pretty(step.record)} label={`Step ${n} record`} />
        </details>
      ) : null}
    </li>
  )
}
