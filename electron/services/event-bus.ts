import { EventEmitter } from 'node:events'
import type { EventName, EventPayload } from '../../shared/contract/events'

type Listener = (name: EventName, payload: unknown) => void

/** Typed fan-out of push events; both hosts subscribe once and forward everything. */
export class EventBus {
  private readonly emitter = new EventEmitter()

  constructor() {
    this.emitter.setMaxListeners(100)
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', name, payload)
  }

  subscribe(listener: Listener): () => void {
    this.emitter.on('event', listener)
    return () => this.emitter.off('event', listener)
  }
}
