import Editor, { type OnMount } from '@monaco-editor/react'
import { useEffect, useRef } from 'react'
import { bindKeys, useEditorKeys } from './editor-keys'
import { monaco } from './monaco-setup'

/** Monaco for one JSON document. Loaded lazily: it is the heaviest module and the first screen does not need it. */
export default function JsonEditor(props: {
  value: string
  onChange(value: string): void
  readOnly: boolean
  label: string
  theme: 'light' | 'dark'
  onSave(): void
}) {
  const saveRef = useRef(props.onSave)
  useEffect(() => {
    saveRef.current = props.onSave
  }, [props.onSave])
  const keys = useEditorKeys()
  const onMount: OnMount = (editor) => {
    keys.onMount(editor)
    bindKeys(editor, [
      {
        id: 'save',
        label: 'Save',
        keys: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
        run: () => saveRef.current(),
      },
    ])
  }
  return (
    <div className="editor-frame">
      <div className="editor-frame-body">
        <Editor
          height="100%"
          language="json"
          theme={props.theme === 'dark' ? 'vs-dark' : 'vs'}
          value={props.value}
          onChange={(v) => props.onChange(v ?? '')}
          onMount={onMount}
          options={{
            readOnly: props.readOnly,
            readOnlyMessage: { value: 'Editing is off on a read-only connection.' },
            ariaLabel: props.label,
            minimap: { enabled: false },
            fontSize: 12,
            scrollBeyondLastLine: false,
            automaticLayout: true,
            wordWrap: 'on',
            tabSize: 2,
          }}
        />
      </div>
      {keys.hint}
    </div>
  )
}
