const count = new Intl.NumberFormat()

/** Bytes in the largest unit that keeps the number at or above 1 (1,024 per step, as DynamoDB sizes are counted). */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${count.format(v)} B` : `${v.toFixed(1)} ${units[u]}`
}
