import { useRef, type KeyboardEvent, type PointerEvent } from 'react'

const STEP = 16

/**
 * A vertical splitter between two columns (WAI-ARIA window splitter: a focusable separator with a value). Drag it,
 * or focus it and use ← →, Home, End; Enter collapses the panel.
 */
export function Splitter(props: {
  label: string
  /** Which side of the splitter the panel is on: dragging toward it shrinks it. */
  side: 'left' | 'right'
  width: number
  min: number
  max: number
  controls: string
  onResize(px: number): void
  onCollapse(): void
}) {
  const drag = useRef<{ x: number; width: number } | undefined>(undefined)
  const sign = props.side === 'left' ? 1 : -1
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return
    e.currentTarget.setPointerCapture(e.pointerId)
    drag.current = { x: e.clientX, width: props.width }
  }
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return
    props.onResize(drag.current.width + sign * (e.clientX - drag.current.x))
  }
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = undefined
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const by: Record<string, number> = { ArrowLeft: -STEP * sign, ArrowRight: STEP * sign }
    if (e.key in by) props.onResize(props.width + by[e.key]!)
    else if (e.key === 'Home') props.onResize(props.min)
    else if (e.key === 'End') props.onResize(props.max)
    else if (e.key === 'Enter') props.onCollapse()
    else return
    e.preventDefault()
  }
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={props.label}
      aria-controls={props.controls}
      aria-valuenow={props.width}
      aria-valuemin={props.min}
      aria-valuemax={props.max}
      tabIndex={0}
      className="splitter"
      title={`${props.label}: drag, or ← → with the keyboard; Enter hides the panel`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  )
}
