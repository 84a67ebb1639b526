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

export interface MergeReport {
  from: Region
  into: Region
  places: number
  businesses: number
  users: number
  departments: number
  roles: number
}

/** 区划撤并: `code` into `into` (same level); its places, businesses, users, departments move. */
export function mergeRegion(code: string, into: string): Promise<MergeReport> {
  return http.post<MergeReport>(`/regions/${encodeURIComponent(code)}/merge`, { into })
}

/** 撤销 a place nothing belongs to any more (409 with the reason otherwise). */
export function retireRegion(code: string): Promise<Region> {
  return http.post<Region>(`/regions/${encodeURIComponent(code)}/retire`)
}
