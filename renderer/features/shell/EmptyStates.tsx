import { useShallow } from 'zustand/react/shallow'
import { ErrorNote } from '../../components/ErrorNote'
import { OperationProgressList } from '../../components/ProgressBar'
import { useAppStore } from '../../store/store'

/** The next step when there is nothing to show: load the model's schema and sample data in one go. */
export function SampleButton() {
  const s = useAppStore(
    useShallow((st) => ({
      busy: st.sampleBusy,
      error: st.sampleError,
      readOnly: st.connections.find((c) => c.id === st.activeConnectionId)?.readOnly ?? false,
      name: st.model?.name,
      loadSample: st.loadSample,
    })),
  )
  return (
    <div className="sample">
      <button
        type="button"
        className="primary"
        disabled={Boolean(s.busy) || s.readOnly}
        onClick={() => void s.loadSample()}
      >
        {s.name ? `Load the ${s.name} sample` : "Load the model's sample"}
      </button>
      {s.readOnly ? (
        <span className="muted small"> This connection is read-only: allow writes first.</span>
      ) : null}
      {s.busy ? (
        <span role="status" className="muted small">
          {' '}
          {s.busy}
        </span>
      ) : null}
      {s.busy ? <OperationProgressList /> : null}
      {s.error ? <ErrorNote error={s.error} /> : null}
    </div>
  )
}
