import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ViewGroupSummary } from '../../../shared/contract/channels/workbench'
import { describePartition, partitionHeat, type PartitionHeat } from '../../../shared/domain/heat'
import { ErrorNote } from '../../components/ErrorNote'
import { useAppStore } from '../../store/store'

type Mode = 'size' | 'traffic'

export interface HeatStripProps {
  /** The shown view's partitions (excluded groups already left out), in the grid's order. */
  groups: readonly ViewGroupSummary[]
  table: string
  /** The GSI the view shows, if any (an LSI's traffic lands on the table's partitions). */
  gsi?: string
  onJump: (pk: string) => void
}

const HEIGHT = 16

/** `#rrggbb` → [r, g, b]; anything else (an unset variable) → undefined. */
function rgb(hex: string): [number, number, number] | undefined {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim())
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : undefined
}

/**
 * One cell per partition of the shown table or index, coloured by its size or its share of the traffic, so the
 * heavy and the hot partitions stand out before anyone reads a number. A canvas, so 100k items in thousands of
 * partitions cost one pass of rectangles; the cells are reached with the arrow keys (a slider over the partitions,
 * its text the focused one's figures) or the pointer, and Enter or a click jumps the grid to that partition.
 */
export function HeatStrip({ groups, table, gsi, onJump }: HeatStripProps) {
  const { model, modelId, report, running, error, theme } = useAppStore(
    useShallow((s) => ({
      model: s.model,
      modelId: s.modelId,
      report: s.costModelId === s.modelId ? s.costReport : undefined,
      running: s.costRunning,
      error: s.costError,
      theme: s.theme,
    })),
  )
  const [mode, setMode] = useState<Mode>('size')
  const [cursor, setCursor] = useState(0)
  const [hover, setHover] = useState<number | undefined>()
  const [focused, setFocused] = useState(false)
  const [width, setWidth] = useState(0)
  const canvas = useRef<HTMLCanvasElement>(null)
  const name = useId()
  const inModel = !!model?.tables.some((t) => t.name === table)

  // The model's declared traffic, estimated once when traffic is asked for and nothing was estimated yet (the
  // Check & cost tab's rates, when estimated there, are used as they are).
  useEffect(() => {
    if (mode === 'traffic' && inModel && !report && !running && !error)
      void useAppStore.getState().estimateCost()
  }, [mode, inModel, report, running, error, modelId])

  const cells = useMemo(
    () => groups.map((g) => ({ pk: g.pk, items: g.count - g.removedCount, bytes: g.sizeBytes })),
    [groups],
  )
  const withTraffic = mode === 'traffic' && !!report && inModel
  const heat = useMemo(
    () =>
      partitionHeat(cells, withTraffic ? report.partitionLoads : [], {
        table,
        ...(gsi ? { index: gsi } : {}),
      }),
    [cells, withTraffic, report, table, gsi],
  )
  const at = Math.min(cursor, Math.max(0, heat.cells.length - 1))
  const shown: PartitionHeat | undefined = heat.cells[hover ?? at]

  useLayoutEffect(() => {
    const el = canvas.current
    if (!el) return
    const measure = () => setWidth(el.parentElement?.clientWidth ?? 0)
    measure()
    const ro = new ResizeObserver(measure)
    if (el.parentElement) ro.observe(el.parentElement)
    return () => ro.disconnect()
  }, [])

  // Drawn on the next frame: the theme's attribute on <html> is set by an effect of the app's root, which runs
  // after this one, and the colours are read from the stylesheet.
  useEffect(() => {
    const frame = requestAnimationFrame(() => draw())
    return () => cancelAnimationFrame(frame)
    function draw() {
      const el = canvas.current
      const ctx = el?.getContext('2d')
      if (!el || !ctx || !width) return
      const dpr = window.devicePixelRatio || 1
      el.width = Math.round(width * dpr)
      el.height = Math.round(HEIGHT * dpr)
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
      const css = getComputedStyle(el)
      const lo = rgb(css.getPropertyValue('--heat-lo')) ?? [40, 60, 90]
      const hi = rgb(css.getPropertyValue('--heat-hi')) ?? [250, 160, 40]
      const danger = css.getPropertyValue('--danger').trim() || '#f00'
      ctx.clearRect(0, 0, width, HEIGHT)
      const n = heat.cells.length
      const max = mode === 'traffic' ? heat.maxShare : heat.maxBytes
      for (let i = 0; i < n; i++) {
        const c = heat.cells[i]!
        const x0 = (i * width) / n
        const w = Math.max(1, width / n - (n < width / 3 ? 1 : 0))
        const v = max > 0 ? (mode === 'traffic' ? c.share : c.bytes) / max : 0
        if (mode === 'traffic' && c.throttles) ctx.fillStyle = danger
        else {
          const mix = (k: number) => Math.round(lo[k]! + (hi[k]! - lo[k]!) * v)
          ctx.fillStyle = `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`
        }
        ctx.fillRect(x0, 0, w, HEIGHT)
      }
      if (focused && n) {
        ctx.strokeStyle = css.getPropertyValue('--text').trim() || '#fff'
        ctx.lineWidth = 2
        const x0 = (at * width) / n
        ctx.strokeRect(x0 + 1, 1, Math.max(2, width / n - 2), HEIGHT - 2)
      }
    }
  }, [heat, width, mode, focused, at, theme])

  if (!heat.cells.length) return null
  const n = heat.cells.length
  const indexAt = (clientX: number) => {
    const r = canvas.current!.getBoundingClientRect()
    return Math.min(n - 1, Math.max(0, Math.floor(((clientX - r.left) / r.width) * n)))
  }
  const move = (to: number) => setCursor(Math.min(n - 1, Math.max(0, to)))
  const page = Math.max(1, Math.round(n / 10))
  const target = gsi ? `${table}/${gsi}` : table
  const noTraffic = withTraffic && heat.totalUnitsPerSecond === 0

  return (
    <div className="heat-strip">
      <div className="heat-head">
        <fieldset className="heat-mode">
          <legend>Colour partitions by</legend>
          {(['size', 'traffic'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name={name} value={m} checked={mode === m} onChange={() => setMode(m)} />
              {m === 'size' ? 'Size' : 'Traffic share'}
            </label>
          ))}
        </fieldset>
        <HeatLegend mode={mode} max={mode === 'traffic' ? heat.maxShare : heat.maxBytes} />
        {withTraffic && heat.throttling ? (
          <span className="heat-throttle">
            <span className="swatch throttle" aria-hidden /> {heat.throttling} partition
            {heat.throttling === 1 ? '' : 's'} will throttle
          </span>
        ) : null}
      </div>
      <div
        className="heat-track"
        role="slider"
        tabIndex={0}
        aria-label={`Partitions of ${target} by ${mode === 'size' ? 'size' : 'traffic share'}`}
        aria-valuemin={1}
        aria-valuemax={n}
        aria-valuenow={at + 1}
        aria-valuetext={`${at + 1} of ${n}: ${describePartition(heat.cells[at]!, withTraffic)}`}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onKeyDown={(e) => {
          const k = e.key
          if (k === 'ArrowRight' || k === 'ArrowUp') move(at + 1)
          else if (k === 'ArrowLeft' || k === 'ArrowDown') move(at - 1)
          else if (k === 'PageUp') move(at + page)
          else if (k === 'PageDown') move(at - page)
          else if (k === 'Home') move(0)
          else if (k === 'End') move(n - 1)
          else if (k === 'Enter' || k === ' ') onJump(heat.cells[at]!.pk)
          else return
          e.preventDefault()
        }}
        onMouseMove={(e) => setHover(indexAt(e.clientX))}
        onMouseLeave={() => setHover(undefined)}
        onClick={(e) => {
          const i = indexAt(e.clientX)
          setCursor(i)
          onJump(heat.cells[i]!.pk)
        }}
      >
        <canvas ref={canvas} style={{ width: '100%', height: HEIGHT }} aria-hidden />
      </div>
      <p className="heat-readout small" aria-label="Partition under the pointer or cursor">
        {shown ? describePartition(shown, withTraffic) : ''}
      </p>
      {mode === 'traffic' && !inModel ? (
        <p className="muted small">Table {table} is not in the open model, which the traffic comes from.</p>
      ) : null}
      {mode === 'traffic' && inModel && running && !report ? (
        <p className="muted small">Estimating the model&apos;s traffic…</p>
      ) : null}
      {mode === 'traffic' && error && !report ? <ErrorNote error={error} /> : null}
      {noTraffic ? (
        <p className="muted small">
          No traffic reaches {target}: set rates under Check &amp; cost and estimate, or declare traffic in
          the model.
        </p>
      ) : null}
    </div>
  )
}

function HeatLegend({ mode, max }: { mode: Mode; max: number }) {
  const top =
    mode === 'traffic'
      ? `${(max * 100).toFixed(max >= 0.1 ? 0 : 1)}% of the traffic`
      : max < 1024
        ? `${max} B`
        : `${(max / 1024).toFixed(1)} KB`
  return (
    <span className="heat-legend" aria-label="Heat strip legend">
      0
      <span className="swatch ramp" aria-hidden />
      {top}
    </span>
  )
}
