import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import type { CostReportView } from '../../../shared/contract/channels/check'
import { formatUsd } from '../../../shared/domain/cost'
import { useAppStore } from '../../store/store'

/**
 * Recharts draws SVG with colours given as props, so each theme has its palette here (the same values as
 * app.css's --accent, --warn, --muted and --border for that theme).
 */
const PALETTES = {
  dark: {
    first: '#38bdf8',
    second: '#fbbf24',
    axis: '#94a3b8',
    grid: '#2b3a55',
    panel: '#111c33',
    text: '#e2e8f0',
  },
  light: {
    first: '#0369a1',
    second: '#b45309',
    axis: '#475569',
    grid: '#cbd5e1',
    panel: '#ffffff',
    text: '#0f172a',
  },
} as const

function usePalette() {
  return PALETTES[useAppStore((s) => s.theme)]
}

const WIDTH = 460
const HEIGHT = 240

/** Monthly cost per pattern, on-demand next to provisioned. */
export function CostChart({ report }: { report: CostReportView }) {
  const c = usePalette()
  const data = report.patterns.map((p) => ({
    name: p.patternId,
    'On-demand': p.onDemand,
    Provisioned: p.provisioned,
  }))
  return (
    <figure aria-label="Cost per pattern chart" className="chart">
      <figcaption>Cost per pattern, $ a month</figcaption>
      <BarChart width={WIDTH} height={HEIGHT} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
        <CartesianGrid stroke={c.grid} strokeDasharray="3 3" />
        <XAxis dataKey="name" interval={0} stroke={c.axis} tick={{ fill: c.axis }} />
        <YAxis stroke={c.axis} tick={{ fill: c.axis }} />
        <Tooltip
          formatter={(v) => formatUsd(Number(v))}
          contentStyle={{ background: c.panel, borderColor: c.grid, color: c.text }}
        />
        <Legend wrapperStyle={{ color: c.text }} />
        <Bar dataKey="On-demand" fill={c.first} isAnimationActive={false} />
        <Bar dataKey="Provisioned" fill={c.second} isAnimationActive={false} />
      </BarChart>
    </figure>
  )
}

/** Read and write units per second on each table and GSI at the traffic. */
export function CapacityChart({ report }: { report: CostReportView }) {
  const c = usePalette()
  const data = report.targets.map((t) => ({
    name: t.index ?? t.table,
    'RCU/s': t.readUnitsPerSecond,
    'WCU/s': t.writeUnitsPerSecond,
  }))
  return (
    <figure aria-label="Capacity per index chart" className="chart">
      <figcaption>Capacity per table and index, units per second</figcaption>
      <BarChart width={WIDTH} height={HEIGHT} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
        <CartesianGrid stroke={c.grid} strokeDasharray="3 3" />
        <XAxis dataKey="name" interval={0} stroke={c.axis} tick={{ fill: c.axis }} />
        <YAxis stroke={c.axis} tick={{ fill: c.axis }} />
        <Tooltip contentStyle={{ background: c.panel, borderColor: c.grid, color: c.text }} />
        <Legend wrapperStyle={{ color: c.text }} />
        <Bar dataKey="RCU/s" fill={c.first} isAnimationActive={false} />
        <Bar dataKey="WCU/s" fill={c.second} isAnimationActive={false} />
      </BarChart>
    </figure>
  )
}

/** How many partitions of each table fall in each size band. */
export function PartitionSizeChart({ report }: { report: CostReportView }) {
  const c = usePalette()
  return (
    <>
      {report.partitions
        .filter((p) => p.histogram.length)
        .map((p) => (
          <figure key={p.table} aria-label={`Partition sizes of ${p.table}`} className="chart">
            <figcaption>Partition sizes of {p.table} (partitions per size band)</figcaption>
            <BarChart
              width={WIDTH}
              height={HEIGHT}
              data={p.histogram.map((b) => ({ name: b.label, Partitions: b.partitions }))}
              margin={{ top: 8, right: 8, bottom: 8, left: 8 }}
            >
              <CartesianGrid stroke={c.grid} strokeDasharray="3 3" />
              <XAxis dataKey="name" interval={0} stroke={c.axis} tick={{ fill: c.axis }} />
              <YAxis allowDecimals={false} stroke={c.axis} tick={{ fill: c.axis }} />
              <Tooltip contentStyle={{ background: c.panel, borderColor: c.grid, color: c.text }} />
              <Bar dataKey="Partitions" fill={c.first} isAnimationActive={false} />
            </BarChart>
          </figure>
        ))}
    </>
  )
}
