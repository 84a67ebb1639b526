import type { Department } from '@/api/departments'

export interface DepartmentNode extends Department {
  children: DepartmentNode[]
}

/** Nests departments under their parent_id; orphans (parent missing) become roots. */
export function buildDepartmentTree(departments: Department[]): DepartmentNode[] {
  const nodes = new Map<number, DepartmentNode>()
  for (const dept of departments) nodes.set(dept.id, { ...dept, children: [] })
  const roots: DepartmentNode[] = []
  for (const node of nodes.values()) {
    const parent = node.parent_id !== null ? nodes.get(node.parent_id) : undefined
    if (parent && parent !== node) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}
