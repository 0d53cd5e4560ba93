import Editor, { type OnMount } from '@monaco-editor/react'
import { useEffect, useRef } from 'react'
import modelSchema from '../../../shared/domain/model.schema.json'
import { bindKeys, useEditorKeys } from '../inspector/editor-keys'
import { monaco } from '../inspector/monaco-setup'

/** The editor's document URI: the model's JSON Schema is bound to it, for completions, hovers and errors. */
const MODEL_URI = 'inmemory://tablewright/model.json'

// Registered once for the whole app: Monaco's JSON service validates every document matching fileMatch.
monaco.json.jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  enableSchemaRequest: false, // bundled, never fetched
  schemas: [{ uri: 'inmemory://tablewright/model.schema.json', fileMatch: [MODEL_URI], schema: modelSchema }],
})

export interface EditorApi {
  undo(): void
  redo(): void
}

/** Monaco over the model's JSON, driven by the model's JSON Schema. Loaded lazily with the Model tab. */
export default function ModelJsonEditor(props: {
  value: string
  onChange(value: string): void
  onSave(): void
  /** The model's one undo history (the store's), shared with the forms, instead of Monaco's own. */
  onUndo(): void
  onRedo(): void
  theme: 'light' | 'dark'
  onReady(api: EditorApi): void
}) {
  const saveRef = useRef(props.onSave)
  const historyRef = useRef({ undo: props.onUndo, redo: props.onRedo })
  useEffect(() => {
    saveRef.current = props.onSave
    historyRef.current = { undo: props.onUndo, redo: props.onRedo }
  }, [props.onSave, props.onUndo, props.onRedo])
  const keys = useEditorKeys()
  const onMount: OnMount = (editor) => {
    keys.onMount(editor)
    bindKeys(editor, [
      {
        id: 'save',
        label: 'Save the model',
        keys: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
        run: () => saveRef.current(),
      },
      {
        id: 'undo',
        label: 'Undo (the model draft)',
        keys: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyZ],
        run: () => historyRef.current.undo(),
      },
      {
        id: 'redo',
        label: 'Redo (the model draft)',
        keys: [
          monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyZ,
          monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyY,
        ],
        run: () => historyRef.current.redo(),
      },
    ])
    props.onReady({
      undo: () => editor.trigger('toolbar', 'undo', null),
      redo: () => editor.trigger('toolbar', 'redo', null),
    })
  }
  return (
    <div className="editor-frame">
      <div className="editor-frame-body">
        <Editor
          height="100%"
          language="json"
          path={MODEL_URI}
          theme={props.theme === 'dark' ? 'vs-dark' : 'vs'}
          value={props.value}
          onChange={(v) => props.onChange(v ?? '')}
          onMount={onMount}
          options={{
            ariaLabel: 'Model JSON',
            minimap: { enabled: false },
            fontSize: 12,
            scrollBeyondLastLine: false,
            automaticLayout: true,
            tabSize: 2,
            quickSuggestions: { strings: true, other: true, comments: false },
          }}
        />
      </div>
      {keys.hint}
    </div>
  )
}
