import { http } from './http'

export type StatsDimension = 'kind' | 'region' | 'risk_grade' | 'status'

export interface StatsRow {
  key: string | null
  label: string
  count: number
}

export interface StatsResult {
  rows: StatsRow[]
  total: number
}

export function businessStats(by: StatsDimension, region?: string): Promise<StatsResult> {
  return http.get<StatsResult>('/stats/businesses', { by, region })
}
