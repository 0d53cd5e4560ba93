/**
 * Projections: the item reduced to the requested document paths. Several indexes of one list come back as a shorter
 * list in index order. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
 */
import type { AttributeValue, Item } from '../types'
import { cloneAttributeValue, getAttr, setAttr } from '../values'
import type { Projection } from './ast'

type Node = { leaf: AttributeValue } | { children: Map<string | number, Node> }

function toValue(node: Node, isList: boolean): AttributeValue {
  if ('leaf' in node) return cloneAttributeValue(node.leaf)
  if (isList) {
    const keys = [...node.children.keys()].sort((a, b) => (a as number) - (b as number))
    return { L: keys.map((k) => childValue(node.children.get(k)!)) }
  }
  const m: Record<string, AttributeValue> = {}
  for (const [k, child] of node.children) setAttr(m, k as string, childValue(child))
  return { M: m }
}

function childValue(node: Node): AttributeValue {
  if ('leaf' in node) return toValue(node, false)
  const first = node.children.keys().next().value
  return toValue(node, typeof first === 'number')
}

export function applyProjection(p: Projection, item: Item): Item {
  const root = new Map<string | number, Node>()
  for (const path of p.paths) {
    // Walk the item and the output tree together; a missing step means nothing to project.
    let value: AttributeValue | undefined = getAttr(item, path[0] as string)
    if (value === undefined) continue
    for (let i = 1; i < path.length && value; i++) {
      const e = path[i]!
      value =
        typeof e === 'number'
          ? 'L' in value
            ? value.L[e]
            : undefined
          : 'M' in value
            ? getAttr(value.M, e)
            : undefined
    }
    if (!value) continue
    let level = root
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!
      let node = level.get(key)
      if (!node) {
        node = { children: new Map() }
        level.set(key, node)
      }
      if ('leaf' in node) break
      level = node.children
    }
    level.set(path[path.length - 1]!, { leaf: value })
  }
  const out: Item = {}
  for (const [k, node] of root) setAttr(out, k as string, childValue(node))
  return out
}

export function projectionTopLevelNames(p: Projection): string[] {
  return [...new Set(p.paths.map((path) => path[0] as string))]
}
