import { http } from './http'

/** A 业态 (kind of business) dictionary entry. */
export interface BusinessKind {
  code: string
  label: string
  builtin: boolean
}

export async function listKinds(): Promise<BusinessKind[]> {
  const result = await http.get<{ items: BusinessKind[] }>('/dicts/kinds')
  return result.items
}

export function createKind(label: string): Promise<BusinessKind> {
  return http.post<BusinessKind>('/dicts/kinds', { label })
}
