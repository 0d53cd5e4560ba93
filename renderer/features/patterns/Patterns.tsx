import { useId, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { PatternRunResult } from '../../../shared/contract/channels/workbench'
import { displayValue, itemToPlain } from '../../../shared/domain/attribute-json'
import { CodeBlock, pretty } from '../../components/JsonBlock'
import { ErrorNote } from '../../components/ErrorNote'
import { call } from '../../bridge/bridge'
import { ParamField } from '../../components/ParamField'
import { useAppStore } from '../../store/store'
import { SampleButton } from '../shell/EmptyStates'
import { patternKeyNames, resultColumns } from './result-columns'

type Pattern = NonNullable<ReturnType<typeof useAppStore.getState>['model']>['accessPatterns'][number]

/** The model's access patterns as forms; running one shows its request, code, items, capacity and expectations. */
export function Patterns() {
  const s = useAppStore(
    useShallow((st) => ({
      model: st.model,
      modelError: st.modelError,
      selectedPatternId: st.selectedPatternId,
      tablesCount: st.tables.length,
    })),
  )
  const { selectPattern, loadModel } = useAppStore.getState()

  if (s.modelError)
    return (
      <div>
        <ErrorNote error={s.modelError} />
        <button type="button" onClick={() => void loadModel()}>
          Try again
        </button>
      </div>
    )
  if (!s.model) return <p className="muted">Loading the model…</p>
  const patterns = s.model.accessPatterns
  const current = patterns.find((p) => p.id === s.selectedPatternId) ?? patterns[0]
  return (
    <section aria-label="Access patterns" className="patterns">
      {s.tablesCount === 0 ? (
        <div className="empty-state">
          <p>No tables yet — load the model's sample to run its patterns.</p>
          <SampleButton />
        </div>
      ) : null}
      <div className="patterns-layout">
        <nav aria-label="Patterns" className="pattern-list">
          <ul className="list">
            {patterns.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className={p.id === current?.id ? 'list-item active' : 'list-item'}
                  aria-current={p.id === current?.id ? 'true' : undefined}
                  onClick={() => selectPattern(p.id)}
                >
                  <strong>{p.id}</strong> <span className="grow">{p.name}</span>
                  {p.entity ? (
                    <span
                      className="entity small"
                      style={{
                        borderLeftColor: s.model?.entities.find((e) => e.name === p.entity)?.colour,
                      }}
                    >
                      {p.entity}
                    </span>
                  ) : null}
                  <span className="badge neutral">{p.operation}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {current ? (
          <PatternForm key={current.id} pattern={current} keyNames={patternKeyNames(s.model, current)} />
        ) : null}
      </div>
    </section>
  )
}

function PatternForm({ pattern, keyNames }: { pattern: Pattern; keyNames: string[] }) {
  const s = useAppStore(
    useShallow((st) => ({
      typed: st.patternParams[pattern.id],
      connectionId: st.activeConnectionId,
      modelId: st.modelId,
      limit: st.patternLimits[pattern.id] ?? '',
      result: st.patternResults[pattern.id],
      error: st.patternErrors[pattern.id],
      running: st.patternRunning === pattern.id,
    })),
  )
  const { setPatternParam, setPatternLimit, runPattern } = useAppStore.getState()
  const { connectionId, modelId } = s
  const baseId = useId()
  const run = () => void runPattern(pattern.id)
  const pages = pattern.operation === 'Query' || pattern.operation === 'Scan'
  return (
    <div className="pattern">
      <h2>
        {pattern.id}. {pattern.name}
      </h2>
      {pattern.description ? <p className="muted">{pattern.description}</p> : null}
      <p className="small">
        <code>
          {pattern.operation} {pattern.table}
          {pattern.index ? ` / ${pattern.index}` : ''}
          {pattern.keyCondition ? ` · ${pattern.keyCondition}` : ''}
        </code>
      </p>
      <form
        aria-label={`Pattern ${pattern.id} parameters`}
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
        {pattern.params.map((p) => (
          <ParamField
            key={p.name}
            param={p}
            value={s.typed?.[p.name] ?? (p.default === undefined ? '' : String(p.default))}
            onChange={(v) => setPatternParam(pattern.id, p.name, v)}
            onCompanions={(values) => {
              for (const [name, v] of Object.entries(values))
                if (pattern.params.some((x) => x.name === name)) setPatternParam(pattern.id, name, v)
            }}
            loadSuggestions={
              connectionId && p.bind
                ? async () =>
                    (
                      await call('params:suggest', {
                        connectionId,
                        modelId,
                        patternId: pattern.id,
                        param: p.name,
                        limit: 200,
                      })
                    ).suggestions
                : undefined
            }
          />
        ))}
        {pages ? (
          <div className="field-row inline">
            <label htmlFor={`${baseId}-limit`}>Limit</label>
            <input
              id={`${baseId}-limit`}
              type="number"
              min={1}
              max={1000}
              className="narrow"
              value={s.limit}
              placeholder={pattern.limit === undefined ? 'none' : String(pattern.limit)}
              aria-describedby={`${baseId}-limit-hint`}
              onChange={(e) => setPatternLimit(pattern.id, e.target.value)}
            />
            <span id={`${baseId}-limit-hint`} className="muted small">
              items per page (DynamoDB&apos;s Limit
              {pattern.limit === undefined ? '' : `; the pattern's own is ${pattern.limit}`})
            </span>
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={s.running} title="Ctrl+Enter">
          Run pattern {pattern.id}
        </button>
        {s.running ? (
          <span role="status" className="muted small">
            {' '}
            Running…
          </span>
        ) : null}
      </form>
      {s.error ? (
        <ErrorNote error={s.error} hint="Your parameters are kept: fix them and run again." />
      ) : null}
      {s.result ? <PatternResult result={s.result} keyNames={keyNames} pattern={pattern} /> : null}
    </div>
  )
}

function PatternResult({
  result,
  keyNames,
  pattern,
}: {
  result: PatternRunResult
  keyNames: string[]
  pattern: Pattern
}) {
  const [codeTab, setCodeTab] = useState<'typescript' | 'python' | 'cli'>('typescript')
  const { page, running } = useAppStore(
    useShallow((st) => ({
      page: st.patternPages[result.patternId]?.page ?? 1,
      running: st.patternRunning === result.patternId,
    })),
  )
  const pages = pattern.operation === 'Query' || pattern.operation === 'Scan'
  // A newest-first pattern pages back in time.
  const newestFirst = pattern.direction === 'desc'
  const { showPatternInVisualizer, selectItem, inspect, runPattern } = useAppStore.getState()
  const cap = result.consumedCapacity
  const capText = cap
    ? [
        cap.capacityUnits !== undefined ? `${cap.capacityUnits} total` : '',
        cap.readCapacityUnits !== undefined ? `${cap.readCapacityUnits} RCU` : '',
        cap.writeCapacityUnits !== undefined ? `${cap.writeCapacityUnits} WCU` : '',
        cap.table !== undefined ? `table ${cap.table}` : '',
        ...Object.entries(cap.indexes ?? {}).map(([k, v]) => `${k} ${v}`),
      ]
        .filter(Boolean)
        .join(' · ')
    : 'not reported'
  const columns = resultColumns(result.presented, keyNames)
  return (
    <section aria-label={`Result of pattern ${result.patternId}`} className="result">
      <div className="toolbar">
        <span className={`badge ${result.servedBy === 'Scan' ? 'bad' : 'good'}`} aria-label="Served by">
          {result.servedBy}
        </span>
        <span aria-label="Item count">
          {result.count} items (scanned {result.scannedCount})
        </span>
        <span aria-label="Consumed capacity">Capacity: {capText}</span>
        <span className="muted small">{result.durationMs.toFixed(0)} ms</span>
        <span className="grow" />
        <button
          type="button"
          onClick={() =>
            inspect({
              title: `Pattern ${result.patternId} run`,
              value: { ...result, items: undefined, presented: undefined },
            })
          }
        >
          Inspect run
        </button>
        <button type="button" onClick={() => void showPatternInVisualizer(result.patternId)}>
          Show in visualizer
        </button>
      </div>
      {pages ? (
        <nav aria-label="Pages" className="toolbar">
          <button
            type="button"
            disabled={page <= 1 || running}
            onClick={() => void runPattern(result.patternId, 'previous')}
          >
            {newestFirst ? 'Newer' : 'Previous page'}
          </button>
          <span aria-label="Page">Page {page}</span>
          <button
            type="button"
            disabled={!result.lastEvaluatedKey || running}
            onClick={() => void runPattern(result.patternId, 'next')}
          >
            {newestFirst ? 'Older' : 'Next page'}
          </button>
          <span className="muted small" aria-label="LastEvaluatedKey">
            {result.lastEvaluatedKey ? (
              <>
                LastEvaluatedKey <code>{JSON.stringify(itemToPlain(result.lastEvaluatedKey))}</code>
              </>
            ) : (
              'No LastEvaluatedKey: this is the last page.'
            )}
          </span>
        </nav>
      ) : null}
      <ul aria-label="Expectations" className="expectations">
        {result.expectations.map((e) => (
          <li key={e.name} className={e.held ? 'ok' : 'bad'}>
            {e.held ? '✓ held' : '✗ failed'}: {e.name} — {e.detail}
          </li>
        ))}
      </ul>
      <h3>Request</h3>
      <CodeBlock code={pretty(result.request)} label="Request" language="json" />
      <div role="tablist" aria-label="Code" className="tabs small-tabs">
        {(
          [
            ['typescript', 'TypeScript (SDK v3)'],
            ['python', 'Python (boto3)'],
            ['cli', 'AWS CLI'],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={codeTab === id}
            onClick={() => setCodeTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={`${codeTab} code`}>
        <CodeBlock
          code={result.code[codeTab]}
          label={`${codeTab} code`}
          language={codeTab === 'cli' ? 'bash' : codeTab}
        />
      </div>
      <h3>Items, in the order the pattern presents them</h3>
      {result.presented.length === 0 ? (
        <p className="muted">No items.</p>
      ) : (
        <div className="scroll-x">
          <table className="grid" aria-label={`Pattern ${result.patternId} items`}>
            <thead>
              <tr>
                <th scope="col">#</th>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.presented.map((it, i) => (
                <tr
                  key={i}
                  tabIndex={0}
                  onClick={() => selectItem(it)}
                  onKeyDown={(e) => e.key === 'Enter' && selectItem(it)}
                >
                  <td className="num">{i + 1}</td>
                  {columns.map((c) => (
                    <td key={c}>{displayValue(it[c], 48)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
