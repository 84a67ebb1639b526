import { http } from './http'
import type { Page } from './businesses'

export interface AuditEntry {
  id: number
  at: string
  user_id: number | null
  username: string
  action: string
  entity: string
  entity_id: string | number | null
  summary: string
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
}

export interface AuditQuery {
  entity?: string
  id?: string | number
  user?: string
  action?: string
  from?: string
  to?: string
  page?: number
  page_size?: number
}

export function listAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
  return http.get<Page<AuditEntry>>('/audit', { ...query })
}
