import { http } from './http'

export interface Department {
  id: number
  name: string
  parent_id: number | null
  region_code: string
  kind: string
}

export interface DepartmentCreate {
  name: string
  parent_id?: number | null
  region_code: string
  kind: string
}

export async function listDepartments(): Promise<Department[]> {
  const result = await http.get<{ items: Department[] }>('/departments')
  return result.items
}

export function createDepartment(input: DepartmentCreate): Promise<Department> {
  return http.post<Department>('/departments', input)
}
