import { ApiError, download, http, type Query } from './http'

export const BUSINESS_STATUSES = ['营业', '停业', '注销'] as const
export type BusinessStatus = (typeof BUSINESS_STATUSES)[number]

export const RISK_GRADES = ['A', 'B', 'C', 'D'] as const
export type RiskGrade = (typeof RISK_GRADES)[number]

export const PERSON_ROLES = ['法定代表人', '主要负责人', '食品安全总监', '食品安全员'] as const
export type PersonRole = (typeof PERSON_ROLES)[number]

export interface Person {
  role: PersonRole
  name: string
  id_number: string
  phone: string
}

export interface Business {
  id: number
  version: number
  name: string
  uscc: string
  licence_no: string
  /** The kind's dictionary code (the server also sends it as kind_code). */
  kind: string
  kind_code?: string
  kind_label: string
  region_code: string
  region_name: string
  address: string
  lng: number | null
  lat: number | null
  status: BusinessStatus
  risk_grade: RiskGrade | null
  people: Person[]
  tags: string[]
  created_at: string
  updated_at: string
}

export interface StatusChange {
  status: BusinessStatus
  reason: string
  at: string
  by: string
}

export interface GradeChange {
  grade: RiskGrade | null
  reason: string
  at: string
  by: string
}

export interface BusinessDetail extends Business {
  status_history: StatusChange[]
  grade_history: GradeChange[]
}

export type BusinessSort = 'name' | '-name' | 'updated_at' | '-updated_at' | 'risk_grade' | '-risk_grade'

export interface BusinessFilters {
  q?: string
  region?: string
  kind?: string
  risk_grade?: string
  status?: string
  tag?: string
}

export interface BusinessListParams extends BusinessFilters {
  sort?: BusinessSort
  page?: number
  page_size?: number
}

export interface Page<T> {
  items: T[]
  total: number
  /** false when more than `total` records match (the server stops counting at a cap). */
  total_exact?: boolean
  page: number
  page_size: number
}

/** The fields a client may write; PATCH takes any subset plus `version`. */
export interface BusinessInput {
  name: string
  uscc: string
  licence_no: string
  kind: string
  region_code: string
  address: string
  lng: number | null
  lat: number | null
  status: BusinessStatus
  risk_grade: RiskGrade | null
  people: Person[]
  tags: string[]
}

export interface BusinessPatch extends Partial<BusinessInput> {
  version: number
  grade_reason?: string
  status_reason?: string
}

export interface ImportRejection {
  row: number
  column: string
  message: string
}

export interface ImportResult {
  inserted: number
  /** rows whose USCC is already stored … */
  updated: number
  /** … of which these equal the stored business and were not written */
  unchanged: number
  rejected: ImportRejection[]
}

export type FileFormat = 'xlsx' | 'csv'

/** The 业态 dictionary code of a business, whichever field the server put it in. */
export function kindCodeOf(business: Pick<Business, 'kind' | 'kind_code'>): string {
  return business.kind_code ?? business.kind
}

export function listBusinesses(params: BusinessListParams, signal?: AbortSignal): Promise<Page<Business>> {
  return http.get<Page<Business>>('/businesses', { ...params }, signal)
}

export function getBusiness(id: number | string): Promise<BusinessDetail> {
  return http.get<BusinessDetail>(`/businesses/${encodeURIComponent(String(id))}`)
}

export function createBusiness(input: BusinessInput): Promise<Business> {
  return http.post<Business>('/businesses', input)
}

export function updateBusiness(id: number, patch: BusinessPatch): Promise<Business> {
  return http.patch<Business>(`/businesses/${id}`, patch)
}

function isImportResult(value: unknown): value is ImportResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { rejected?: unknown }).rejected)
  )
}

/**
 * Uploads a CSV/XLSX file. A 422 carrying rejected rows is a normal answer (nothing was
 * stored), so it is returned rather than thrown.
 */
export async function importBusinesses(file: File, dryRun: boolean): Promise<ImportResult> {
  const form = new FormData()
  form.append('file', file, file.name)
  try {
    return await http.upload<ImportResult>('/businesses/import', form, { dry_run: dryRun })
  } catch (error) {
    if (error instanceof ApiError && error.status === 422 && isImportResult(error.body)) {
      return {
        ...error.body,
        inserted: error.body.inserted ?? 0,
        updated: error.body.updated ?? 0,
        unchanged: error.body.unchanged ?? 0,
      }
    }
    throw error
  }
}

export function downloadTemplate(format: FileFormat): Promise<string> {
  return download('/businesses/template', { format }, `主体导入模板.${format}`)
}

export function exportBusinesses(format: FileFormat, filters: BusinessFilters & { sort?: string }): Promise<string> {
  const query: Query = { format, ...filters }
  return download('/businesses/export', query, `食品生产经营主体.${format}`)
}
