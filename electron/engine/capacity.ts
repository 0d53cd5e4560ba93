import type { TableState } from './table'

export type CapacityMode = 'INDEXES' | 'TOTAL' | 'NONE'

/**
 * Capacity one request consumed on one table. Reads are counted per 4 KB (halved when eventually consistent),
 * writes per 1 KB. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 */
export class Consumed {
  table = 0
  readonly gsis = new Map<string, number>()
  readonly lsis = new Map<string, number>()

  constructor(readonly tableState: TableState) {}

  addIndex(name: string, units: number): void {
    const map = this.tableState.gsis.has(name) ? this.gsis : this.lsis
    map.set(name, (map.get(name) ?? 0) + units)
  }

  addIndexes(units: Map<string, number>): void {
    for (const [name, u] of units) this.addIndex(name, u)
  }

  total(): number {
    let t = this.table
    for (const u of this.gsis.values()) t += u
    for (const u of this.lsis.values()) t += u
    return t
  }

  wire(mode: CapacityMode): Record<string, unknown> {
    const out: Record<string, unknown> = { TableName: this.tableState.name, CapacityUnits: this.total() }
    if (mode === 'INDEXES') {
      out.Table = { CapacityUnits: this.table }
      if (this.lsis.size > 0)
        out.LocalSecondaryIndexes = Object.fromEntries(
          [...this.lsis].map(([k, v]) => [k, { CapacityUnits: v }]),
        )
      if (this.gsis.size > 0)
        out.GlobalSecondaryIndexes = Object.fromEntries(
          [...this.gsis].map(([k, v]) => [k, { CapacityUnits: v }]),
        )
    }
    return out
  }
}

export const writeUnitsFor = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024))

export function readUnitsFor(bytes: number, consistent: boolean, atLeastOne: boolean): number {
  const units = Math.ceil(bytes / 4096)
  const n = atLeastOne ? Math.max(1, units) : units
  return consistent ? n : n / 2
}
