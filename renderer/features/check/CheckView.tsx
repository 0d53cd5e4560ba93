import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { CheckReportView, CostReportView } from '../../../shared/contract/channels/check'
import { checkNotes, checkResult, checkSummary } from '../../../shared/domain/check-report'
import { formatUsd } from '../../../shared/domain/cost'
import { rateOf } from '../../../shared/domain/traffic'
import { ErrorNote } from '../../components/ErrorNote'
import { toUiError, type UiError } from '../../store/connections.slice'
import { useAppStore } from '../../store/store'
import { CapacityChart, CostChart, PartitionSizeChart } from './CostCharts'

/**
 * The model as a contract, and its price: "Check model" runs every access pattern on a throwaway engine and
 * checks its expectations; "Estimate cost" measures each pattern's capacity there and prices it at the rates typed
 * here (over the model's declared traffic).
 */
export function CheckView() {
  const { model, modelId } = useAppStore(useShallow((s) => ({ model: s.model, modelId: s.modelId })))
  if (!model) return <p className="muted">Loading the model…</p>
  return (
    <section aria-label="Check and cost" className="check-view">
      <CheckSection />
      <CostSection
        key={modelId}
        modelId={modelId}
        patterns={[...model.accessPatterns.map((p) => p.id), ...model.recipes.map((r) => r.id)]}
        declared={Object.fromEntries(
          Object.entries(model.traffic?.rates ?? {}).map(([k, v]) => [k, rateOf(v).rate]),
        )}
      />
    </section>
  )
}

function CheckSection() {
  const active = useAppStore((s) => s.connections.find((c) => c.id === s.activeConnectionId))
  const { report, error, running } = useAppStore(
    useShallow((s) => ({
      report: s.checkModelId === s.modelId ? s.checkReport : undefined,
      error: s.checkError,
      running: s.checkRunning,
    })),
  )
  const [onConnection, setOnConnection] = useState(false)
  const run = () =>
    useAppStore.getState().runCheck(onConnection && active && !active.readOnly ? active.id : undefined)
  return (
    <div className="check-section">
      <h2>Check</h2>
      <p className="muted small">
        Creates the model&apos;s tables, loads its sample data, runs every access pattern and checks its
        expectations: on a throwaway engine, or on the active connection under a table-name prefix of its own
        that is removed afterwards (your tables are never touched).
      </p>
      {active ? (
        <label>
          <input
            type="checkbox"
            checked={onConnection && !active.readOnly}
            disabled={active.readOnly}
            onChange={(e) => setOnConnection(e.target.checked)}
          />{' '}
          On {active.name} instead of a throwaway engine
          {active.readOnly ? ' (read-only: allow writes first)' : ''}
        </label>
      ) : null}{' '}
      <button type="button" onClick={() => void run()} disabled={running}>
        {running ? 'Checking…' : 'Check model'}
      </button>
      {error ? <ErrorNote error={error} /> : null}
      {report ? <CheckResults report={report} /> : null}
    </div>
  )
}

const BADGE = { pass: 'badge good', fail: 'badge bad', 'n/a': 'badge neutral' } as const

function CheckResults({ report }: { report: CheckReportView }) {
  const inspect = useAppStore.getState().inspect
  return (
    <>
      <p role="status" className={report.ok ? 'ok' : 'danger'}>
        {report.ok ? 'All passed' : 'Some failed'}: {checkSummary(report)}
      </p>
      <p className="muted small">
        Ran on {report.target}
        {report.prefix ? `, tables under ${report.prefix} (removed)` : ''}
        {report.removedLeftovers.length
          ? `; removed ${report.removedLeftovers.length} table(s) an interrupted check left`
          : ''}
      </p>
      <table className="grid" aria-label="Check results">
        <thead>
          <tr>
            <th>Row</th>
            <th>Result</th>
            <th>Served by</th>
            <th>Index</th>
            <th>Items</th>
            <th>Capacity</th>
            <th>Reason</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={`${r.kind}:${r.id}`} aria-label={`${r.kind === 'pattern' ? 'Pattern' : r.kind} ${r.id}`}>
              <td>
                <strong>{r.id}</strong> {r.name}
              </td>
              <td>
                <span className={BADGE[checkResult(r)]}>{checkResult(r)}</span>
              </td>
              <td>{r.operation ?? ''}</td>
              <td>{r.index ?? (r.kind === 'pattern' ? '(table)' : '')}</td>
              <td>{r.itemCount ?? ''}</td>
              <td>{r.consumedCapacity ?? ''}</td>
              <td>
                {r.reasons.join('; ')}
                {checkNotes(r) ? (
                  <span className="muted">
                    {r.reasons.length ? ' · ' : ''}
                    {checkNotes(r)}
                  </span>
                ) : null}
                {r.run ? (
                  <button
                    type="button"
                    className="link"
                    aria-label={`Show the run of ${r.id}`}
                    onClick={() => inspect({ title: `Check run of ${r.id}`, value: r.run })}
                  >
                    run
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

function CostSection({
  modelId,
  patterns,
  declared,
}: {
  modelId: string
  patterns: string[]
  declared: Record<string, number>
}) {
  const [rates, setRates] = useState<Record<string, string>>(() =>
    Object.fromEntries(patterns.map((p) => [p, String(declared[p] ?? 0)])),
  )
  const [utilisation, setUtilisation] = useState('70')
  const [inputError, setInputError] = useState<UiError>()
  const { report, storeError, running } = useAppStore(
    useShallow((s) => ({
      report: s.costModelId === modelId ? s.costReport : undefined,
      storeError: s.costError,
      running: s.costRunning,
    })),
  )
  const error = inputError ?? storeError
  const estimate = async () => {
    setInputError(undefined)
    try {
      const parsed: Record<string, number> = {}
      for (const [k, v] of Object.entries(rates)) {
        const n = Number(v)
        if (v.trim() === '' || !Number.isFinite(n) || n < 0)
          throw new Error(`the rate for ${k} must be a number of requests per second, 0 or more`)
        parsed[k] = n
      }
      const u = Number(utilisation)
      if (!Number.isFinite(u) || u <= 0 || u > 100)
        throw new Error('the utilisation target is a percentage from 1 to 100')
      await useAppStore.getState().estimateCost(parsed, u / 100)
    } catch (err) {
      setInputError(toUiError(err))
    }
  }
  return (
    <div className="check-section">
      <h2>Cost per access pattern</h2>
      <form
        className="rate-form"
        onSubmit={(e) => {
          e.preventDefault()
          void estimate()
        }}
      >
        {patterns.map((p) => (
          <label key={p}>
            {`Rate for ${p} (req/s)`}
            <input
              type="number"
              min={0}
              step="any"
              value={rates[p] ?? '0'}
              onChange={(e) => setRates({ ...rates, [p]: e.target.value })}
            />
          </label>
        ))}
        <label>
          Provisioned utilisation target (%)
          <input
            type="number"
            min={1}
            max={100}
            value={utilisation}
            onChange={(e) => setUtilisation(e.target.value)}
          />
        </label>
        <button type="submit" disabled={running}>
          {running ? 'Estimating…' : 'Estimate cost'}
        </button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {report ? <CostResults report={report} /> : null}
    </div>
  )
}

function CostResults({ report }: { report: CostReportView }) {
  return (
    <>
      <p role="status">
        Per month: on-demand {formatUsd(report.totals.onDemand)}, provisioned{' '}
        {formatUsd(report.totals.provisioned)} at {Math.round(report.utilisation * 100)}% utilisation, storage{' '}
        {formatUsd(report.totals.storage)}. GSI write amplification: {report.gsiWriteAmplification}×.
      </p>
      <p className="muted small">
        Prices: {report.prices.region} {report.prices.tableClass}, as of {report.prices.asOf} (
        {report.prices.source}
        ); a month is {report.prices.hoursPerMonth} hours.
      </p>
      <div className="chart-row">
        <CostChart report={report} />
        <CapacityChart report={report} />
        <PartitionSizeChart report={report} />
      </div>
      <table className="grid" aria-label="Cost per pattern">
        <thead>
          <tr>
            <th>Pattern</th>
            <th>Req/s</th>
            <th>RU/call</th>
            <th>WU/call</th>
            <th>GSI WU/call</th>
            <th>On-demand</th>
            <th>Provisioned</th>
          </tr>
        </thead>
        <tbody>
          {report.patterns.map((p) => (
            <tr key={p.patternId}>
              <td>
                <strong>{p.patternId}</strong> {p.name}
              </td>
              <td>{p.rate}</td>
              <td>{p.readUnitsPerCall}</td>
              <td>{p.writeUnitsPerCall}</td>
              <td>{p.gsiWriteUnitsPerCall}</td>
              <td>{formatUsd(p.onDemand)}</td>
              <td>{formatUsd(p.provisioned)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.warnings.length ? (
        <ul aria-label="Cost warnings" className="warnings">
          {report.warnings.map((w) => (
            <li key={w} className="warn">
              {w}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  )
}
