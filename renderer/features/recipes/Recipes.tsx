import { useEffect, useId, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { AttributeValueJson, FlowStep } from '../../../shared/contract/channels/workbench'
import { displayValue } from '../../../shared/domain/attribute-json'
import { diffItems, type AttributeChange } from '../../../shared/domain/diff'
import type { WriteRecipe } from '../../../shared/domain/model'
import { CodeBlock, pretty } from '../../components/JsonBlock'
import { ErrorNote } from '../../components/ErrorNote'
import { useAppStore } from '../../store/store'
import { ReadOnlyReason, useActiveConnection } from '../connections/write-access'
import { SampleButton } from '../shell/EmptyStates'

const STEP_LABEL: Record<FlowStep['kind'], string> = {
  write: 'Write',
  read: 'Read',
  'stream-record': 'Stream record',
  'handler-log': 'Handler log',
  skip: 'Skipped',
  error: 'Error',
}

const SOURCE_LABEL: Record<NonNullable<FlowStep['source']>, string> = {
  recipe: 'recipe',
  stream: 'stream',
  handler: 'handler',
}

/**
 * The writes-and-stream view: pick one of the open model's write recipes, fill its parameters, run it, and follow
 * the timeline: each write, the stream records, and what the stream handler read, wrote and logged.
 */
export function Recipes() {
  const s = useAppStore(
    useShallow((st) => ({
      model: st.model,
      modelId: st.modelId,
      selectedRecipeId: st.selectedRecipeId,
      tablesCount: st.tables.length,
    })),
  )
  const { selectRecipe, loadRunHistory } = useAppStore.getState()
  useEffect(() => {
    void loadRunHistory()
  }, [s.modelId, loadRunHistory])
  if (!s.model) return <p className="muted">Loading the model…</p>
  const recipes = s.model.recipes
  const current = recipes.find((r) => r.id === s.selectedRecipeId) ?? recipes[0]
  return (
    <section aria-label="Writes and stream" className="messages">
      {s.tablesCount === 0 ? (
        <div className="empty-state">
          <p>No tables yet — load the model's sample to run its write recipes.</p>
          <SampleButton />
        </div>
      ) : null}
      <div className="messages-layout">
        <div>
          {recipes.length === 0 ? (
            <p className="muted">
              The model {s.model.name} has no write recipes. Add some under <code>recipes</code> in the model:
              Put, Update, Delete and ConditionCheck steps over its key templates.
            </p>
          ) : (
            <nav aria-label="Recipes" className="pattern-list">
              <ul className="list">
                {recipes.map((r) => (
                  <li key={r.id}>
                    <button
                      type="button"
                      className={r.id === current?.id ? 'list-item active' : 'list-item'}
                      aria-current={r.id === current?.id ? 'true' : undefined}
                      onClick={() => selectRecipe(r.id)}
                    >
                      <strong>{r.name}</strong> <span className="muted small">{r.id}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {current ? <RecipeForm recipe={current} key={current.id} /> : null}
          <RunHistory />
        </div>
        <Timeline />
      </div>
    </section>
  )
}

function RecipeForm({ recipe }: { recipe: WriteRecipe }) {
  const s = useAppStore(
    useShallow((st) => ({
      typed: st.recipeParams[recipe.id],
      mode: st.recipeMode,
      busy: st.recipeBusy,
      error: st.recipeError,
    })),
  )
  const { setRecipeParam, setRecipeMode, runRecipe } = useAppStore.getState()
  const { readOnly } = useActiveConnection()
  const baseId = useId()
  const readOnlyId = `${baseId}-readonly`
  const canRun = !s.busy && !readOnly
  const run = () => {
    if (canRun) void runRecipe(recipe.id)
  }
  return (
    <form
      aria-label={`Recipe ${recipe.id} parameters`}
      className="compose"
      onSubmit={(e) => {
        e.preventDefault()
        run()
      }}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
          e.preventDefault()
          run()
        }
      }}
    >
      <h2>{recipe.name}</h2>
      {recipe.description ? <p className="muted small">{recipe.description}</p> : null}
      <ol className="small" aria-label="Recipe steps">
        {recipe.steps.map((st, i) => (
          <li key={i}>
            <code>
              {st.op} {st.table}
            </code>
            {st.entity ? ` ${st.entity}` : ''}
            {st.description ? <span className="muted"> — {st.description}</span> : null}
          </li>
        ))}
      </ol>
      {recipe.params.map((p) => {
        const id = `${baseId}-${p.name}`
        const generated = p.type === 'uuid' || p.type === 'timestamp'
        return (
          <div className="field-row" key={p.name}>
            <label htmlFor={id}>
              {p.name}{' '}
              <span className="muted small">
                ({p.type}
                {p.required ? '' : ', optional'})
              </span>
            </label>
            <input
              id={id}
              type="text"
              inputMode={p.type === 'number' ? 'decimal' : undefined}
              value={s.typed?.[p.name] ?? (p.default === undefined ? '' : String(p.default))}
              placeholder={
                p.default === undefined && generated
                  ? `empty: a new ${p.type === 'uuid' ? 'uuid' : 'time'}`
                  : ''
              }
              onChange={(e) => setRecipeParam(recipe.id, p.name, e.target.value)}
            />
            {p.description ? <span className="muted small">{p.description}</span> : null}
          </div>
        )
      })}
      <div className="field-row">
        <label htmlFor={`${baseId}-mode`}>Run as</label>
        <select
          id={`${baseId}-mode`}
          value={s.mode}
          onChange={(e) => setRecipeMode(e.target.value as typeof s.mode)}
        >
          <option value="recipe">the recipe's mode ({recipe.mode})</option>
          <option value="auto">a transaction where the connection has them</option>
          <option value="transaction">one TransactWriteItems</option>
          <option value="steps">one request per step</option>
        </select>
      </div>
      <button
        type="submit"
        className="primary"
        disabled={!canRun}
        aria-describedby={readOnly ? readOnlyId : undefined}
        title="Ctrl+Enter"
      >
        Run {recipe.name}
      </button>
      <ReadOnlyReason id={readOnlyId} what="running write recipes and replaying stream records" />
      {s.busy ? (
        <span role="status" className="muted small">
          {' '}
          {s.busy}
        </span>
      ) : null}
      {s.error ? (
        <ErrorNote error={s.error} hint="Your parameters are kept: fix them and run again." />
      ) : null}
    </form>
  )
}

/**
 * Text that wraps at spaces: each word (an id, an `ORDER#…` key, an ISO timestamp with its hyphens) stays on one
 * line, since a browser would otherwise break after any hyphen, unless the word is wider than the whole line it is
 * given (a 500-character value): only then does it break, so nothing scrolls sideways.
 */
function Words({ text }: { text: string }) {
  return (
    <>
      {text.split(/(\s+)/).map((part, i) =>
        /^\s*$/.test(part) ? (
          part
        ) : (
          <span key={i} className="word">
            {part}
          </span>
        ),
      )}
    </>
  )
}

/** `2026-12-06 03:14:07` in local time: a whole token that never wraps. */
function localTime(iso: string): string {
  const d = new Date(iso)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/** Earlier sends and replays of this model (kept in the user data folder): click one to see its timeline again. */
function RunHistory() {
  const s = useAppStore(useShallow((st) => ({ runs: st.runHistory, shown: st.shownRunId })))
  const { showRun } = useAppStore.getState()
  if (s.runs.length === 0) return null
  return (
    <nav aria-label="Earlier runs" className="run-history">
      <h2>Earlier runs</h2>
      <ul className="list">
        {s.runs.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              className={r.id === s.shown ? 'list-item active' : 'list-item'}
              aria-current={r.id === s.shown ? 'true' : undefined}
              onClick={() => void showRun(r.id)}
            >
              <span className="grow">
                {r.kind === 'replay' ? 'Replay' : r.title}
                {r.ok === false ? <span className="badge bad">refused</span> : null}
                <span className="muted small block">
                  <time dateTime={r.at} className="nowrap">
                    {localTime(r.at)}
                  </time>{' '}
                  · {r.steps} step{r.steps === 1 ? '' : 's'}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}

function Timeline() {
  const s = useAppStore(
    useShallow((st) => ({
      flow: st.flow,
      flowShown: st.flowShown,
      recordsProcessed: st.recordsProcessed,
    })),
  )
  const { showSteps, setTab } = useAppStore.getState()
  const [playing, setPlaying] = useState(false)
  const list = useRef<HTMLOListElement>(null)
  const total = s.flow?.steps.length ?? 0
  const isPlaying = playing && s.flowShown < total
  useEffect(() => {
    if (!isPlaying) return
    // A visual pace for the replay of steps that already happened; nothing waits on it.
    const t = setTimeout(() => showSteps(s.flowShown + 1), 700)
    return () => clearTimeout(t)
  }, [isPlaying, s.flowShown, showSteps])
  // Bring the step that Next (or Play) just revealed into view, its head first: a tall step with a diff and a
  // record would otherwise be scrolled to its bottom.
  useEffect(() => {
    const revealed = list.current?.children[s.flowShown - 1]
    revealed?.scrollIntoView?.({ block: 'start', behavior: 'smooth' })
  }, [s.flowShown])
  const run = s.flow?.run
  return (
    <section aria-label="Timeline" className="timeline">
      <div className="toolbar">
        <h2 className="grow">{s.flow ? s.flow.title : 'Timeline'}</h2>
        <span aria-label="Records processed">Records processed: {s.recordsProcessed}</span>
      </div>
      {!s.flow ? (
        <p className="muted">
          Run a recipe to see each write, the stream records it makes, and what the stream handler reads and
          writes.
        </p>
      ) : (
        <>
          {run ? (
            <p className="small" aria-label="Run summary">
              {run.ok ? 'Written' : `Refused (${run.error?.code ?? 'failed'})`} as{' '}
              {run.mode === 'transaction' ? 'one TransactWriteItems' : 'one request per step'}; handler{' '}
              {run.process === 'stream'
                ? 'ran from the stream'
                : run.process === 'direct'
                  ? 'ran in-process'
                  : 'not run'}
              .{' '}
              <span className="muted">
                {Object.entries(run.params).map(([k, v], i) => (
                  <span key={k}>
                    {i ? ' · ' : ''}
                    <span className="word">
                      {k}={v}
                    </span>
                  </span>
                ))}
              </span>
              {run.notes.map((n) => (
                <span key={n} className="block muted">
                  {n}
                </span>
              ))}
            </p>
          ) : null}
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
            <button type="button" disabled={s.flowShown >= total} onClick={() => showSteps(s.flowShown + 1)}>
              Next step
            </button>
            <button type="button" disabled={s.flowShown >= total} onClick={() => showSteps(total)}>
              Show all steps
            </button>
            <span className="muted small">
              Step {s.flowShown} of {total}
            </span>
            <span className="grow" />
            <button type="button" onClick={() => setTab('visualizer')}>
              Show in visualizer
            </button>
          </div>
          <ol aria-label="Steps" className="steps" ref={list}>
            {s.flow.steps.slice(0, s.flowShown).map((step, i) => (
              <StepView key={i} step={step} n={i + 1} />
            ))}
          </ol>
        </>
      )}
    </section>
  )
}

/**
 * Attribute, before, after. A new item has no before and a deleted one no after: that column is left out, so the
 * values get the whole width and a uuid or a timestamp keeps its line.
 */
function DiffTable({ changes, label }: { changes: AttributeChange[]; label: string }) {
  const sides = (['before', 'after'] as const).filter((side) => changes.some((c) => c[side]))
  // As wide as the longest name (attribute names rarely break nicely: `user_display_name`), up to 24 characters.
  const nameWidth = `${Math.min(24, Math.max(...changes.map((c) => c.attribute.length))) + 3}ch`
  return (
    <table className="grid diff" aria-label={label}>
      <colgroup>
        <col style={{ width: nameWidth }} />
        {sides.map((side) => (
          <col key={side} />
        ))}
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Attribute</th>
          {sides.map((side) => (
            <th key={side} scope="col">
              {side === 'before' ? 'Before' : 'After'}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.attribute} className={`chg-${c.kind}`}>
            <th scope="row">
              <Words text={c.attribute} />
            </th>
            {sides.map((side) => (
              <td key={side} className={`diff-${side}`}>
                <DiffValue value={c[side]} label={`${c.attribute} ${side}`} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Longer values show their start and a Show more: a 400 KB item would otherwise fill the timeline. */
const DIFF_CLAMP = 200

/** One side of a diff row, wrapped within its column. */
function DiffValue({ value, label }: { value: AttributeValueJson | undefined; label: string }) {
  const [more, setMore] = useState(false)
  const text = displayValue(value, Number.POSITIVE_INFINITY)
  if (text.length <= DIFF_CLAMP) return <Words text={text} />
  return (
    <>
      <Words text={more ? text : `${text.slice(0, DIFF_CLAMP - 1)}…`} />{' '}
      <button
        type="button"
        className="subtle small"
        aria-expanded={more}
        aria-label={`${more ? 'Show less of' : 'Show all of'} ${label} (${text.length} characters)`}
        onClick={() => setMore(!more)}
      >
        {more ? 'Show less' : 'Show more'}
      </button>
    </>
  )
}

function sequenceNumberOf(record: Record<string, unknown> | undefined): string | undefined {
  const ddb = record?.dynamodb as Record<string, unknown> | undefined
  const seq = ddb?.SequenceNumber
  // Direct mode's records were never on a stream: nothing to replay.
  return typeof seq === 'string' && !String(record?.eventID ?? '').startsWith('direct-') ? seq : undefined
}

function StepView({ step, n }: { step: FlowStep; n: number }) {
  const replay = useAppStore((st) => st.replay)
  const inspect = useAppStore((st) => st.inspect)
  const busy = useAppStore((st) => Boolean(st.recipeBusy))
  const { readOnly } = useActiveConnection()
  const diff = step.before || step.after ? diffItems(step.before, step.after) : undefined
  const seq = step.kind === 'stream-record' ? sequenceNumberOf(step.record) : undefined
  return (
    <li className={`step step-${step.kind}`} aria-label={`Step ${n}: ${step.title}`}>
      <div className="step-head">
        <span className="badge neutral">{STEP_LABEL[step.kind]}</span>
        {step.moved ? <span className="badge">moved</span> : null}
        {step.source ? <span className="muted small">{SOURCE_LABEL[step.source]}</span> : null}{' '}
        <h3 className="step-title">
          <Words text={step.title} />
        </h3>
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
            onClick={() => void replay(seq, step.table)}
          >
            Replay this record
          </button>
        ) : null}
      </div>
      {step.detail ? <p className="small muted">{step.detail}</p> : null}
      {step.reason ? (
        <p className="small bad" aria-label={`Step ${n} reason`}>
          Cancellation reason: {step.reason.code}
          {step.reason.message ? ` — ${step.reason.message}` : ''}
        </p>
      ) : null}
      {diff && diff.changes.length ? <DiffTable changes={diff.changes} label={`Step ${n} changes`} /> : null}
      {step.moved && step.before && step.after ? (
        <details>
          <summary>Old and new items</summary>
          <div className="move-items">
            <CodeBlock code={pretty(step.before)} label={`Step ${n} old item`} />
            <CodeBlock code={pretty(step.after)} label={`Step ${n} new item`} />
          </div>
        </details>
      ) : null}
      {step.items ? (
        <p className="small muted">
          {step.items.length} item(s)
          {step.items.length ? ': ' : ''}
          <Words
            text={step.items
              .slice(0, 5)
              .map((it) =>
                Object.values(it)
                  .slice(0, 2)
                  .map((v) => displayValue(v, 40))
                  .join(' · '),
              )
              .join('; ')}
          />
        </p>
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
