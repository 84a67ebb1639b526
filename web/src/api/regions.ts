import { http } from './http'

export type RegionLevel = 'county' | 'township' | 'village'

export interface Region {
  code: string
  name: string
  level: RegionLevel
  has_children: boolean
}

export interface RegionDetail {
  code: string
  name: string
  level: RegionLevel
  parent: string | null
  path: { code: string; name: string }[]
}

/** Children of `parent`, or the roots of the user's scope when parent is omitted. */
export async function listRegions(parent?: string): Promise<Region[]> {
  const result = await http.get<{ items: Region[] }>('/regions', { parent })
  return result.items
}

export function getRegion(code: string): Promise<RegionDetail> {
  return http.get<RegionDetail>(`/regions/${encodeURIComponent(code)}`)
}
